"""People's settings: the shared ones, SMTP (onboarding links) and the ONSS Dimona client."""

from __future__ import annotations

from pydantic import Field
from ruche_servicekit.smtp import MailSettings


class PeopleSettings(MailSettings):
    service_name: str = "people"
    # ONSS's Dimona REST web service (domain.md §4); locally and in tests, the simulator in simulators/onss.
    dimona_token_url: str = "http://127.0.0.1:8107/REST/oauth/v3/token"
    dimona_api_url: str = "http://127.0.0.1:8107/REST/dimona/v1"
    dimona_audience: str = "https://oauth.socialsecurity.be"
    dimona_expeditor: str = "123456"
    dimona_private_key_file: str = ".run/onss/expeditor.pem"
    dimona_poll_seconds: float = Field(default=0.5, gt=0)
    dimona_enabled: bool = True
