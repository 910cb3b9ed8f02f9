"""Identity's settings: the shared ones, plus the SMTP server and the platform operator."""

from __future__ import annotations

from pydantic import SecretStr
from ruche_servicekit.settings import ServiceSettings


class IdentitySettings(ServiceSettings):
    service_name: str = "identity"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    mail_sender: str = "Ruche <no-reply@ruche.example>"
    # Where people open the links identity mails: the web console (by default at the gateway's root).
    console_url: str | None = None
    # The platform operator who handles designation requests; created on first start when both are set.
    operator_username: str | None = None
    operator_password: SecretStr | None = None
