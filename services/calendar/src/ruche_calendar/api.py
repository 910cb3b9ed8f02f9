"""Calendar's HTTP edge: read the calendars built from people's events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from ruche_servicekit.app import Database
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.paging import Limit, Offset, Page
from ruche_servicekit.problems import Problem

from . import repository

router = APIRouter(tags=["calendars"])
CanRead = Annotated[Principal, Depends(require("calendar:read"))]
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
    days: list[DayOut]

    @classmethod
    def of(cls, doc: dict[str, Any]) -> CalendarOut:
        return cls(calendar_id=doc["_id"], **{k: v for k, v in doc.items() if k in cls.model_fields})


@router.get("/calendars", response_model=Page[CalendarOut], summary="The employer's calendars, by worker and month")
async def list_calendars(
    principal: CanRead,
    db: Database,
    limit: Limit = 50,
    offset: Offset = 0,
    worker_id: str | None = None,
    month: Month = None,
):
    docs, total = await repository.find_calendars(
        db, tenant=principal.tenant, worker_id=worker_id, month=month, limit=limit, offset=offset
    )
    return Page(items=[CalendarOut.of(d) for d in docs], total=total, limit=limit, offset=offset)


@router.get("/calendars/{calendar_id}", response_model=CalendarOut, summary="One calendar")
async def get_calendar(calendar_id: str, principal: CanRead, db: Database):
    doc = await repository.get_calendar(db, tenant=principal.tenant, calendar_id=calendar_id)
    if doc is None:
        raise Problem(404, "Not found", "No such calendar for this employer.", kind="calendar-not-found")
    return CalendarOut.of(doc)
