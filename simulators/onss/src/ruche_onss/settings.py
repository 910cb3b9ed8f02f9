"""The simulator's settings (environment variables prefixed ONSS_)."""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict


class OnssSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ONSS_")

    # Public keys (or certificates) of the expeditors allowed to declare, one PEM file per expeditor number:
    # <keys_dir>/<expeditor number>.pem, read at each token request (as registering a certificate in Chaman).
    keys_dir: Path = Path(".run/onss/keys")
    audience: str = "https://oauth.socialsecurity.be"  # the `aud` a client assertion must carry
    token_seconds: int = 600  # how long an access token lives
    processing_seconds: float = 0.3  # how long a declaration stays "not yet processed" (404)
    identification_seconds: float = 2.0  # how long a result S (waiting for identification) lasts before A
    control_enabled: bool = True  # the /_simulator routes tests use to make it refuse or wait on purpose
