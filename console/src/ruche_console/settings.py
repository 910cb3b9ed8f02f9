"""The console's settings (no prefix, like the services'; the defaults reach `make up`'s stack)."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ConsoleSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "console"
    # How the console reaches the services' APIs: through the gateway, like any client.
    gateway_url: str = "http://127.0.0.1:8080"
    # Where people reach the console (the gateway's public address): links, the Secure cookie decision.
    public_url: str = "http://127.0.0.1:8080"
    # Sessions live server-side, in the console's own database (no domain data there).
    mongodb_url: str = "mongodb://127.0.0.1:27018/?directConnection=true&maxPoolSize=1"
    mongodb_database: str = "ruche_console"
    # Secure cookies when the console is served over https (default: when PUBLIC_URL is https).
    cookie_secure: bool | None = None
    session_idle_minutes: int = Field(default=30, ge=1)
    session_max_hours: int = Field(default=12, ge=1)
    log_level: str = "INFO"
    root_path: str = ""

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://") if self.cookie_secure is None else self.cookie_secure
