"""Events produced by the calendar service."""

from typing import ClassVar

from pydantic import Field

from .envelope import Payload


class CalendarOpened(Payload):
    event_type: ClassVar[str] = "be.ruche.calendar.calendar-opened.v1"
    producer: ClassVar[str] = "calendar"

    calendar_id: str
    worker_id: str
    contract_id: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    planned_minutes: int = Field(ge=0, description="Sum of the planned minutes of the month's days.")
