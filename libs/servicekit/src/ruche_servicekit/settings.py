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
    # Partitions of the topics a service creates at start (those it produces and consumes, and their dead-letter
    # twins); records are keyed by aggregate, so replicas share the work and each aggregate keeps its order.
    kafka_topic_partitions: int = Field(default=3, ge=1)
    # FerretDB locally: one connection (see README, "One connection to FerretDB per service locally").
    mongodb_url: str = "mongodb://127.0.0.1:27018/?directConnection=true&maxPoolSize=1"
    mongodb_database: str = ""  # empty: ruche_<service_name>
    # Where people and other systems reach the platform (the gateway); links in mails and the token issuer.
    public_url: str = "http://127.0.0.1:8080"
    jwks_url: str = "http://127.0.0.1:8101/.well-known/jwks.json"
    token_issuer: str = ""  # empty: <public_url>/identity
    token_audience: str = "ruche"
    root_path: str = ""
    log_level: str = "INFO"
    otel_exporter_otlp_endpoint: str | None = None

    # Delivery. Turning the relay off is for tests that prove a killed process loses nothing.
    outbox_relay_enabled: bool = True
    outbox_poll_seconds: float = Field(default=1.0, gt=0)
    outbox_sweep_seconds: float = Field(default=300.0, gt=0)
    outbox_lease_seconds: float = Field(default=10.0, gt=0)
    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_seconds: float = Field(default=0.2, ge=0)
    # Expired records (used assertions, reset links, ...) are removed this often.
    housekeeping_seconds: float = Field(default=3600.0, gt=0)

    @property
    def database_name(self) -> str:
        return self.mongodb_database or f"ruche_{self.service_name}"

    @property
    def issuer(self) -> str:
        """The `iss` of access tokens: a URL, the identity service's public address unless set."""
        return self.token_issuer or f"{self.public_url.rstrip('/')}/identity"
