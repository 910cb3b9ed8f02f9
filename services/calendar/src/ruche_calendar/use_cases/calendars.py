"""Calendar's use cases: learn what people's events tell, open a contract's first calendar and plan it again
when the contract is amended, ended early or cancelled, and the reads the API needs. The only writers of the
service; each write happens once per consumed event.

An event this service raises in answer to one it consumed takes an id derived from the consumed one (uuid5), so
however often the consumed event is delivered, only one distinct event leaves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ruche_contracts import new_event, topics
from ruche_contracts.payroll_calendar import CalendarOpened
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry

from .. import domain, repository
from ..domain import Calendar, Terms

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
    minutes_by_weekday: Mapping[str, int] | None = None,
) -> bool:
    """Plan the first month of a newly signed contract from its schedule and raise CalendarOpened with it. False
    when this event was applied before (nothing changes)."""
    terms = Terms(start_date, end_date, weekly_hours, minutes_by_weekday)
    calendar = domain.open_first_calendar(tenant=tenant, worker_id=worker_id, contract_id=contract_id, terms=terms)
    return await repository.store_calendar(db, calendar, events=[_opened(calendar, event_id)], event_id=event_id)


async def amend_contract(
    db: Db,
    *,
    tenant: str,
    event_id: str,
    worker_id: str,
    contract_id: str,
    effective_date: date,
    start_date: date,
    end_date: date | None,
    weekly_hours: Decimal,
    minutes_by_weekday: Mapping[str, int] | None = None,
) -> bool:
    """Plan the contract's opened months again from its new version (from `effective_date` on; new bounds
    everywhere), and open the month of its new start if none was. False when this event changed nothing (applied
    before, or the contract was cancelled)."""
    terms = Terms(start_date, end_date, weekly_hours, minutes_by_weekday)
    calendars = await repository.contract_calendars(db, tenant=tenant, contract_id=contract_id)
    if any(c.cancelled for c in calendars):
        return False
    changed = False
    for calendar in calendars:
        amended = calendar.amended(terms, effective_date=effective_date)
        changed |= await repository.store_calendar(db, amended, event_id=event_id)
    if domain.month_of(start_date) not in {c.month for c in calendars}:
        first = domain.open_first_calendar(tenant=tenant, worker_id=worker_id, contract_id=contract_id, terms=terms)
        changed |= await repository.store_calendar(db, first, events=[_opened(first, event_id)], event_id=event_id)
    return changed


async def end_contract(db: Db, *, tenant: str, event_id: str, contract_id: str, end_date: date) -> bool:
    """The contract ends early: its calendars plan nothing after `end_date`. False when applied before."""
    calendars = await repository.contract_calendars(db, tenant=tenant, contract_id=contract_id)
    changed = False
    for calendar in calendars:
        if not calendar.cancelled:
            changed |= await repository.store_calendar(db, calendar.ended(end_date), event_id=event_id)
    return changed


async def cancel_contract(db: Db, *, tenant: str, event_id: str, contract_id: str) -> bool:
    """The contract was cancelled before it started: its calendars are marked cancelled and plan nothing. False
    when applied before."""
    calendars = await repository.contract_calendars(db, tenant=tenant, contract_id=contract_id)
    changed = False
    for calendar in calendars:
        changed |= await repository.store_calendar(db, calendar.cancelled_contract(), event_id=event_id)
    return changed


def _opened(calendar: Calendar, consumed_event_id: str) -> dict[str, Any]:
    """CalendarOpened for a calendar opened in answer to a consumed event (one per consumed event)."""
    opened = new_event(
        CalendarOpened(
            calendar_id=calendar.calendar_id,
            worker_id=calendar.worker_id,
            contract_id=calendar.contract_id,
            month=calendar.month,
            planned_minutes=calendar.planned_minutes,
        ),
        tenant=calendar.tenant,
        subject=calendar.worker_id,
        event_id=answer_id(consumed_event_id, "calendar-opened"),
    )
    return event_entry(topics.CALENDAR_CALENDARS, opened)


# Reads ------------------------------------------------------------------------------------------------------
async def list_calendars(
    db: Db, *, tenant: str, worker_id: str | None, month: str | None, limit: int, offset: int
) -> tuple[list[Calendar], int]:
    return await repository.find_calendars(
        db, tenant=tenant, worker_id=worker_id, month=month, limit=limit, offset=offset
    )


async def get_calendar(db: Db, *, tenant: str, calendar_id: str) -> Calendar:
    return await repository.get_calendar(db, tenant=tenant, calendar_id=calendar_id)
