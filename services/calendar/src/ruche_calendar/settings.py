"""Calendar's settings: the environment every service reads (`ServiceSettings`), under its own service name
(also its consumer group)."""

from __future__ import annotations

from ruche_servicekit.settings import ServiceSettings


class CalendarSettings(ServiceSettings):
    service_name: str = "calendar"
