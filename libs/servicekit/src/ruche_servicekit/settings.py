"""Settings every service reads from its environment; each service subclasses it for its own."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Shared names, no prefix, so one deployment environment (compose, the local runner) serves all services.

    The defaults run against the local stack of `make up`.
    """

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "ruche"
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    # FerretDB locally: one connection (see README, "One connection to FerretDB per service locally").
    mongodb_url: str = "mongodb://127.0.0.1:27018/?directConnection=true&maxPoolSize=1"
    mongodb_database: str = ""  # empty: ruche_<service_name>
    jwks_url: str = "http://127.0.0.1:8101/.well-known/jwks.json"
    token_issuer: str = "ruche-identity"
    token_audience: str = "ruche"
    root_path: str = ""
    log_level: str = "INFO"
    otel_exporter_otlp_endpoint: str | None = None

    # Delivery. Turning the relay off is for tests that prove a killed process loses nothing.
    outbox_relay_enabled: bool = True
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_seconds: float = Field(default=0.2, ge=0)

    @property
    def database_name(self) -> str:
        return self.mongodb_database or f"ruche_{self.service_name}"
