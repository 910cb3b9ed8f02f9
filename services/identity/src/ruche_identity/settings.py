"""Identity's settings: the shared ones, plus the SMTP server and the platform operator."""

from __future__ import annotations

from pydantic import SecretStr
from ruche_servicekit.smtp import MailSettings


class IdentitySettings(MailSettings):
    service_name: str = "identity"
    # The platform operator who handles designation requests; created on first start when both are set.
    operator_username: str | None = None
    operator_password: SecretStr | None = None
