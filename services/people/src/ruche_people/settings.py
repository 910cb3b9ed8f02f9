"""People's settings: the environment every service reads (`ServiceSettings`), under its own service name."""

from __future__ import annotations

from ruche_servicekit.settings import ServiceSettings


class PeopleSettings(ServiceSettings):
    service_name: str = "people"
