"""Provision and run Ruche's real local infrastructure and services (`make up`, e2e fixtures)."""

from .environment import kafka_bootstrap, mongodb_url, onss_environment, onss_url, service_environment
from .kafka import ensure_topics
from .ports import APPS, CONSOLE, DEV, ONSS, PROFILES, SERVICES, TEST, Profile, ephemeral_profile, get_profile
from .processes import ManagedProcess
from .provision import Tools, provision_all
from .readiness import NotReadyError
from .stack import Stack, uvicorn_command

__all__ = [
    "APPS",
    "CONSOLE",
    "DEV",
    "ONSS",
    "PROFILES",
    "SERVICES",
    "TEST",
    "ManagedProcess",
    "NotReadyError",
    "Profile",
    "Stack",
    "Tools",
    "ensure_topics",
    "ephemeral_profile",
    "get_profile",
    "kafka_bootstrap",
    "mongodb_url",
    "onss_environment",
    "onss_url",
    "provision_all",
    "service_environment",
    "uvicorn_command",
]
