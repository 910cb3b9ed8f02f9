"""Calendar's use cases: learn what people's events tell, open a contract's first calendar, and the reads the
API needs. The only writers of the service; each write happens once per consumed event.

An event this service raises in answer to one it consumed takes an id derived from the consumed one (uuid5), so
however often the consumed event is delivered, only one distinct event leaves.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from ruche_contracts import new_event, topics
from ruche_contracts.payroll_calendar import CalendarOpened
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry

from . import domain, repository
from .domain import Calendar

EVENT_IDS = uuid.UUID("6f1c2a64-5b0e-4d8c-9a41-3f2f4c8e7a10")  # namespace of the ids of raised events


def answer_id(consumed_event_id: str, what: str) -> str:
    """The id of the event raised in answer to a consumed one: the same for every delivery of that event."""
    return str(uuid.uuid5(EVENT_IDS, f"{what}/{consumed_event_id}"))


async def learn_worker(db: Db, *, tenant: str, event_id: str, worker_id: str, first_name: str, last_name: str) -> bool:
    """Keep the worker's name. False when this event was applied before."""
    return await repository.record_worker_name(
        db, tenant=tenant, worker_id=worker_id, first_name=first_name, last_name=last_name, event_id=event_id
    )


async def open_first_calendar(
    db: Db,
    *,
    tenant: str,
    event_id: str,
    worker_id: str,
    contract_id: str,
    start_date: date,
    end_date: date | None,
    weekly_hours: Decimal,
) -> bool:
    """Plan the first month of a newly signed contract and raise CalendarOpened with it. False when this event
    was applied before (nothing changes)."""
    calendar = domain.open_first_calendar(
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        start_date=start_date,
        end_date=end_date,
        weekly_hours=weekly_hours,
    )
    opened = new_event(
        CalendarOpened(
            calendar_id=calendar.calendar_id,
            worker_id=worker_id,
            contract_id=contract_id,
            month=calendar.month,
            planned_minutes=calendar.planned_minutes,
        ),
        tenant=tenant,
        subject=worker_id,
        event_id=answer_id(event_id, "calendar-opened"),
    )
    events = [event_entry(topics.CALENDAR_CALENDARS, opened)]
    return await repository.store_calendar(db, calendar, events=events, event_id=event_id)


# Reads ------------------------------------------------------------------------------------------------------
async def list_calendars(
    db: Db, *, tenant: str, worker_id: str | None, month: str | None, limit: int, offset: int
) -> tuple[list[Calendar], int]:
    return await repository.find_calendars(
        db, tenant=tenant, worker_id=worker_id, month=month, limit=limit, offset=offset
    )


async def get_calendar(db: Db, *, tenant: str, calendar_id: str) -> Calendar:
    return await repository.get_calendar(db, tenant=tenant, calendar_id=calendar_id)
