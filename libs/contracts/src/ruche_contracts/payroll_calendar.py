"""Events produced by the calendar service."""

import datetime as dt
from decimal import Decimal
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from .envelope import Payload
from .identifiers import StoredEnterpriseNumber


class CalendarOpened(Payload):
    event_type: ClassVar[str] = "be.ruche.calendar.calendar-opened.v1"
    producer: ClassVar[str] = "calendar"

    calendar_id: str
    worker_id: str
    contract_id: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    planned_minutes: int = Field(ge=0, description="Sum of the planned minutes of the month's days.")


class DayEntry(BaseModel):
    """What a day of a month calendar holds besides its plan: a calendar code and its minutes."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(min_length=1)
    minutes: int = Field(ge=0, le=1440)


class CalendarDayChanged(Payload):
    """A day of a worker's month calendar was edited: `entries` replace what it held (empty: back to its plan)."""

    event_type: ClassVar[str] = "be.ruche.calendar.calendar-day-changed.v1"
    producer: ClassVar[str] = "calendar"

    calendar_id: str
    worker_id: str
    contract_id: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    date: dt.date
    planned_minutes: int = Field(ge=0, description="What the contract plans on that day.")
    entries: tuple[DayEntry, ...] = Field(description="The day's codes and minutes; empty when reset to its plan.")
    changed_by: str = Field(description="The subject of the token that made the change.")


class CodeSettingsChanged(Payload):
    """An employer changed how it uses a calendar code: active or not, and for leave types whether employees may
    request it in self-service and whether a manager validates it. Carries the code's settings after the change."""

    event_type: ClassVar[str] = "be.ruche.calendar.code-settings-changed.v1"
    producer: ClassVar[str] = "calendar"

    enterprise_number: StoredEnterpriseNumber = Field(description="The employer (the tenant); the record key.")
    code: str = Field(description="The calendar code, as in the shipped catalogue (HOL, SICK-GS, 5003, ...).")
    active: bool
    requestable: bool = Field(description="Employees may request it in self-service (leave types only).")
    needs_validation: bool = Field(description="A manager validates its requests (leave types only).")
    changed_by: str = Field(description="Subject of the caller who changed it.")


class SalaryElementAdded(Payload):
    """A one-off salary element (a bonus, a commission, an expense reimbursement) was added to a worker's month;
    it goes to the payroll provider with that month's calendar. Amounts in EUR, as decimal strings."""

    event_type: ClassVar[str] = "be.ruche.calendar.salary-element-added.v1"
    producer: ClassVar[str] = "calendar"

    worker_id: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    element_id: str
    code: str = Field(description="The payroll code of the element (BONUS, 3110, 5000, 5003, ...).")
    unit: str = Field(description="amount (a total) or unit_days (an amount per day times a number of days).")
    amount: Decimal = Field(description="The total, 2 decimals.")
    unit_amount: Decimal | None = Field(default=None, description="The amount per day (unit_days only).")
    days: int | None = Field(default=None, ge=1, le=31, description="The number of days (unit_days only).")
    comment: str | None = None
    added_by: str = Field(description="The subject of the token that added it.")


class SalaryElementRemoved(Payload):
    """A salary element was removed from a worker's month (before the month was sent)."""

    event_type: ClassVar[str] = "be.ruche.calendar.salary-element-removed.v1"
    producer: ClassVar[str] = "calendar"

    worker_id: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    element_id: str
    code: str
    amount: Decimal = Field(description="The total it had.")
    removed_by: str


class PayrollMessageChanged(Payload):
    """The message to the payroll provider of a worker's month changed; it is sent with that month's calendar.
    An empty text: the message was removed."""

    event_type: ClassVar[str] = "be.ruche.calendar.payroll-message-changed.v1"
    producer: ClassVar[str] = "calendar"

    worker_id: str
    month: str = Field(pattern=r"^\d{4}-\d{2}$")
    text: str = Field(max_length=2000, description="The message; empty when removed.")
    changed_by: str
