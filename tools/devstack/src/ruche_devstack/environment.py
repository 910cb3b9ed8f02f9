"""The one place that decides the environment a service process gets from the runner."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .paths import run_dir as default_run_dir
from .ports import CONSOLE, HOST, ONSS, Profile, get_profile

LOCAL_OPERATOR_PASSWORD = "local operator of ruche"
ONSS_EXPEDITOR = "123456"  # the expeditor number people declares as, whose key the simulator knows


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


def onss_url(profile: Profile | str) -> str:
    """The ONSS simulator's base URL (not behind the gateway: it stands for an outside system)."""
    return f"http://{HOST}:{get_profile(profile).onss}"


def onss_keys_dir(run_dir: Path) -> Path:
    """Where the simulator reads the expeditors' public keys (as registered in ONSS's Chaman)."""
    return run_dir / "onss" / "keys"


def onss_private_key(run_dir: Path) -> Path:
    """The expeditor's private key, which people signs its token requests with."""
    return run_dir / "onss" / "expeditor.pem"


def onss_environment(profile: Profile | str, run_dir: Path | None = None) -> dict[str, str]:
    """The simulator's settings."""
    return {"ONSS_KEYS_DIR": str(onss_keys_dir(run_dir or default_run_dir(get_profile(profile).name)))}


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


def service_environment(
    name: str, profile: Profile | str, env: Mapping[str, str] | None = None, run_dir: Path | None = None
) -> dict[str, str]:
    """Exactly the settings a service reads; `env` (default os.environ) only supplies external overrides, and
    `run_dir` (default the profile's) holds the files the runner makes for it (the ONSS expeditor's key)."""
    env = os.environ if env is None else env
    if name == CONSOLE:
        return console_environment(profile, env)
    p = get_profile(profile)
    if name == ONSS:
        return onss_environment(p, run_dir)
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
    if name == "people":
        # Dimona goes to the ONSS simulator, as the expeditor whose key pair the runner made.
        onss = onss_url(p)
        result["DIMONA_TOKEN_URL"] = f"{onss}/REST/oauth/v3/token"
        result["DIMONA_API_URL"] = f"{onss}/REST/dimona/v1"
        result["DIMONA_EXPEDITOR"] = ONSS_EXPEDITOR
        result["DIMONA_PRIVATE_KEY_FILE"] = str(onss_private_key(run_dir or default_run_dir(p.name)))
    if otlp := env.get("OTEL_EXPORTER_OTLP_ENDPOINT"):
        result["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp
    return result
