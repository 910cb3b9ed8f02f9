"""Calendar's HTTP edge: read the calendars built from people's events. Calls use cases only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import Database
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Limit, Offset, Page

from .. import use_cases
from ..domain import Calendar, Day
from ..use_cases.calendars import Month, edit_day, get_month
from .salary_element_schemas import ElementOut, ElementTotalOut, MessageOut

router = APIRouter(tags=["calendars"])
CanRead = Annotated[Principal, Depends(require(Permission.CALENDAR_READ))]
CanWrite = Annotated[Principal, Depends(require(Permission.CALENDAR_WRITE))]
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"
MonthFilter = Annotated[str | None, Query(pattern=MONTH, description="YYYY-MM")]
MonthPath = Annotated[str, Path(pattern=MONTH, description="YYYY-MM")]


def now() -> datetime:
    """The request's time; tests override this dependency to move the clock."""
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(now)]


class EntryOut(BaseModel):
    code: str
    minutes: int


class DayOut(BaseModel):
    date: str
    code: str | None
    planned_minutes: int
    replacement_for: str | None = Field(default=None, description="The holiday (on a usual day off) it replaces.")
    entries: list[EntryOut] = Field(default_factory=list, description="What an edit put on the day.")

    @classmethod
    def of(cls, d: Day) -> DayOut:
        return cls(
            date=d.date.isoformat(),
            code=d.code,
            planned_minutes=d.planned_minutes,
            replacement_for=d.replacement_for.isoformat() if d.replacement_for else None,
            entries=[EntryOut(code=e.code, minutes=e.minutes) for e in d.entries],
        )


class CalendarOut(BaseModel):
    calendar_id: str
    worker_id: str
    contract_id: str
    month: str
    weekly_hours: str
    planned_minutes: int
    cancelled: bool = Field(description="The contract was cancelled before it started: no day is planned.")
    locked: bool = Field(default=False, description="Sent to the payroll provider: days cannot be edited.")
    days: list[DayOut]

    @classmethod
    def of(cls, c: Calendar) -> CalendarOut:
        return cls(
            calendar_id=c.calendar_id,
            worker_id=c.worker_id,
            contract_id=c.contract_id,
            month=c.month,
            weekly_hours=str(c.weekly_hours),
            planned_minutes=c.planned_minutes,
            cancelled=c.cancelled,
            locked=c.locked,
            days=[DayOut.of(d) for d in c.days],
        )


@router.get("/calendars", response_model=Page[CalendarOut], summary="The employer's calendars, by worker and month")
async def list_calendars(
    principal: CanRead,
    db: Database,
    limit: Limit = 50,
    offset: Offset = 0,
    worker_id: str | None = None,
    month: MonthFilter = None,
) -> Page[CalendarOut]:
    calendars, total = await use_cases.list_calendars(
        db, tenant=principal.tenant, worker_id=worker_id, month=month, limit=limit, offset=offset
    )
    return Page(items=[CalendarOut.of(c) for c in calendars], total=total, limit=limit, offset=offset)


@router.get("/calendars/{calendar_id}", response_model=CalendarOut, summary="One calendar")
async def get_calendar(calendar_id: str, principal: CanRead, db: Database) -> CalendarOut:
    return CalendarOut.of(await use_cases.get_calendar(db, tenant=principal.tenant, calendar_id=calendar_id))


# Month grids and days ------------------------------------------------------------------------------------------
class EntryIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=20, examples=["HOL"])
    minutes: int = Field(ge=0, le=1440, examples=[480])


class DayEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[EntryIn] = Field(max_length=10, description="The day's codes and minutes; empty: back to its plan.")


class MonthDayOut(BaseModel):
    date: str
    contract_id: str | None = Field(description="The contract covering the day; none outside every contract.")
    planned_code: str | None = Field(description="WORK, PH (a public holiday or a replacement day) or none.")
    planned_minutes: int
    public_holiday: bool
    replacement_for: str | None = Field(description="The holiday (on a usual day off) this day replaces.")
    entries: list[EntryOut] = Field(description="What an edit put on the day; empty: the day is as planned.")


class TotalOut(BaseModel):
    code: str
    minutes: int
    days: int


class LastModified(BaseModel):
    by: str
    at: datetime


class MonthOut(BaseModel):
    worker_id: str
    month: str
    calendar_ids: list[str]
    locked: bool = Field(description="Sent to the payroll provider: days cannot be edited.")
    planned_minutes: int
    totals: list[TotalOut] = Field(description="Per code: an edited day counts its entries, another its plan.")
    last_modified: LastModified | None
    days: list[MonthDayOut]
    salary_elements: list[ElementOut] = Field(description="The month's one-off salary elements.")
    salary_element_totals: list[ElementTotalOut] = Field(description="Per code: the sum of its elements, how many.")
    message: MessageOut | None = Field(description="The message to the payroll provider; none when there is none.")

    @classmethod
    def of(cls, m: Month) -> MonthOut:
        last = m.last_modified
        return cls(
            worker_id=m.worker_id,
            month=m.month,
            calendar_ids=[c.calendar_id for c in m.calendars],
            locked=m.locked,
            planned_minutes=m.planned_minutes,
            totals=[TotalOut(code=t.code, minutes=t.minutes, days=t.days) for t in m.totals()],
            last_modified=LastModified(by=last[0], at=last[1]) if last else None,
            days=[
                MonthDayOut(
                    date=d.date.isoformat(),
                    contract_id=contract_id,
                    planned_code=d.code,
                    planned_minutes=d.planned_minutes,
                    public_holiday=d.code == "PH",
                    replacement_for=d.replacement_for.isoformat() if d.replacement_for else None,
                    entries=[EntryOut(code=e.code, minutes=e.minutes) for e in d.entries],
                )
                for d, contract_id in m.days()
            ],
            salary_elements=[ElementOut.of(e) for e in m.inputs.elements] if m.inputs else [],
            salary_element_totals=[ElementTotalOut.of(t) for t in m.inputs.totals()] if m.inputs else [],
            message=MessageOut.of(m.inputs) if m.inputs and m.inputs.message else None,
        )


@router.get(
    "/workers/{worker_id}/months/{month}",
    response_model=MonthOut,
    summary="A worker's month grid: plan, entries, totals per code, last modified",
)
async def read_month(worker_id: str, month: MonthPath, principal: CanRead, db: Database) -> MonthOut:
    return MonthOut.of(await get_month(db, tenant=principal.tenant, worker_id=worker_id, month=month))


@router.put(
    "/workers/{worker_id}/months/{month}/days/{day}",
    response_model=MonthOut,
    responses=problems(409),
    summary="Put codes and minutes on a day (an empty list: back to its plan)",
)
async def put_day(
    worker_id: str, month: MonthPath, day: date, body: DayEdit, principal: CanWrite, db: Database, at: Now
) -> MonthOut:
    changed = await edit_day(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        month=month,
        on=day,
        entries=[(e.code, e.minutes) for e in body.entries],
        by=principal.subject,
        now=at,
    )
    return MonthOut.of(changed)


@router.delete(
    "/workers/{worker_id}/months/{month}/days/{day}",
    response_model=MonthOut,
    responses=problems(409),
    summary="Reset a day to its plan",
)
async def reset_day(
    worker_id: str, month: MonthPath, day: date, principal: CanWrite, db: Database, at: Now
) -> MonthOut:
    changed = await edit_day(
        db, tenant=principal.tenant, worker_id=worker_id, month=month, on=day, entries=[], by=principal.subject, now=at
    )
    return MonthOut.of(changed)
