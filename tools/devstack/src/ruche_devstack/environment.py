"""The one place that decides the environment a service process gets from the runner."""

from __future__ import annotations

import os
from collections.abc import Mapping

from .ports import CONSOLE, HOST, Profile, get_profile

LOCAL_OPERATOR_PASSWORD = "local operator of ruche"


def kafka_bootstrap(profile: Profile | str, env: Mapping[str, str] | None = None) -> str:
    """$KAFKA_BOOTSTRAP_SERVERS (external Kafka, none started) or the profile's local broker."""
    env = os.environ if env is None else env
    return env.get("KAFKA_BOOTSTRAP_SERVERS") or f"{HOST}:{get_profile(profile).kafka}"


def mongodb_url(profile: Profile | str, env: Mapping[str, str] | None = None) -> str:
    """$MONGODB_URL (external MongoDB, no FerretDB started) or the profile's local FerretDB.

    One connection per client (`maxPoolSize=1`) for FerretDB: its SQLite backend does not isolate
    concurrent updates of one document sent over different connections (lost updates, measured), while
    the commands of one connection run one after the other. MongoDB itself needs no such limit.
    """
    env = os.environ if env is None else env
    local = f"mongodb://{HOST}:{get_profile(profile).ferretdb}/?directConnection=true&maxPoolSize=1"
    return env.get("MONGODB_URL") or local


def console_environment(profile: Profile | str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """The console's settings: where it reaches the APIs (the gateway), its session store, its public address."""
    env = os.environ if env is None else env
    p = get_profile(profile)
    return {
        "GATEWAY_URL": f"http://{HOST}:{p.gateway}",
        "PUBLIC_URL": f"http://{HOST}:{p.gateway}",
        "MONGODB_URL": mongodb_url(p, env),
        "MONGODB_DATABASE": "ruche_console",
        "SERVICE_NAME": "console",
        "LOG_LEVEL": "INFO",
    }


def service_environment(name: str, profile: Profile | str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """Exactly the settings a service reads; `env` (default os.environ) only supplies external overrides."""
    env = os.environ if env is None else env
    if name == CONSOLE:
        return console_environment(profile, env)
    p = get_profile(profile)
    result = {
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap(p, env),
        "MONGODB_URL": mongodb_url(p, env),
        "MONGODB_DATABASE": f"ruche_{name}",
        "JWKS_URL": f"http://{HOST}:{p.service_port('identity')}/.well-known/jwks.json",
        # Where people reach the platform: links in mails, and the token issuer (<public url>/identity).
        "PUBLIC_URL": f"http://{HOST}:{p.gateway}",
        "SMTP_HOST": HOST,
        "SMTP_PORT": str(p.smtp),
        "SERVICE_NAME": name,
        "ROOT_PATH": f"/{name}",
        "LOG_LEVEL": "INFO",
    }
    if name == "identity":
        # The platform operator who approves designations; a known local password unless one is given.
        result["OPERATOR_USERNAME"] = "operator"
        result["OPERATOR_PASSWORD"] = env.get("RUCHE_OPERATOR_PASSWORD") or LOCAL_OPERATOR_PASSWORD
    if otlp := env.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        result["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp
    return result
