"""Calendar's HTTP edge: read the calendars built from people's events. Calls use cases only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import Database
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.paging import Limit, Offset, Page

from .. import use_cases
from ..domain import Calendar

router = APIRouter(tags=["calendars"])
CanRead = Annotated[Principal, Depends(require(Permission.CALENDAR_READ))]
Month = Annotated[str | None, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]


class DayOut(BaseModel):
    date: str
    code: str | None
    planned_minutes: int


class CalendarOut(BaseModel):
    calendar_id: str
    worker_id: str
    contract_id: str
    month: str
    weekly_hours: str
    planned_minutes: int
    cancelled: bool = Field(description="The contract was cancelled before it started: no day is planned.")
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
            days=[DayOut(date=d.date.isoformat(), code=d.code, planned_minutes=d.planned_minutes) for d in c.days],
        )


@router.get("/calendars", response_model=Page[CalendarOut], summary="The employer's calendars, by worker and month")
async def list_calendars(
    principal: CanRead,
    db: Database,
    limit: Limit = 50,
    offset: Offset = 0,
    worker_id: str | None = None,
    month: Month = None,
) -> Page[CalendarOut]:
    calendars, total = await use_cases.list_calendars(
        db, tenant=principal.tenant, worker_id=worker_id, month=month, limit=limit, offset=offset
    )
    return Page(items=[CalendarOut.of(c) for c in calendars], total=total, limit=limit, offset=offset)


@router.get("/calendars/{calendar_id}", response_model=CalendarOut, summary="One calendar")
async def get_calendar(calendar_id: str, principal: CanRead, db: Database) -> CalendarOut:
    return CalendarOut.of(await use_cases.get_calendar(db, tenant=principal.tenant, calendar_id=calendar_id))
