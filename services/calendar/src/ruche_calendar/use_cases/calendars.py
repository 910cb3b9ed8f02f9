"""Calendar's use cases: learn what people's events tell, open a contract's first calendar and plan it again
when the contract is amended, ended early or cancelled, and the reads the API needs. The only writers of the
service; each write happens once per consumed event.

An event this service raises in answer to one it consumed takes an id derived from the consumed one (uuid5), so
however often the consumed event is delivered, only one distinct event leaves.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ruche_contracts import new_event, topics
from ruche_contracts.payroll_calendar import CalendarDayChanged, CalendarOpened, DayEntry
from ruche_servicekit.errors import DomainError
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry

from .. import domain, repository
from ..domain import Calendar, DayOutsideContract, Entry, MonthNotCovered, Terms, Total
from ..domain.codes import Kind
from ..domain.salary_elements import PayrollInputs
from ..repository import calendars as store
from ..repository import salary_elements
from . import codes

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
        changed |= await store.replan_calendar(db, amended, event_id=event_id)
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
            changed |= await store.replan_calendar(db, calendar.ended(end_date), event_id=event_id)
    return changed


async def cancel_contract(db: Db, *, tenant: str, event_id: str, contract_id: str) -> bool:
    """The contract was cancelled before it started: its calendars are marked cancelled and plan nothing. False
    when applied before."""
    calendars = await repository.contract_calendars(db, tenant=tenant, contract_id=contract_id)
    changed = False
    for calendar in calendars:
        changed |= await store.replan_calendar(db, calendar.cancelled_contract(), event_id=event_id)
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


# Months and days -----------------------------------------------------------------------------------------------
class NotADayCode(DomainError):
    kind, title, field = "not-a-day-code", "Not a code for a day", "code"


@dataclass(frozen=True)
class Month:
    """A worker's month: the calendars of the contracts covering it (usually one; two when one contract follows
    another inside the month), stored or planned on read."""

    worker_id: str
    month: str
    calendars: tuple[Calendar, ...]
    inputs: PayrollInputs | None = None  # the salary elements and the message to the payroll provider

    def calendar_on(self, day: date) -> Calendar | None:
        return next((c for c in self.calendars if c.covers(day)), None)

    @property
    def locked(self) -> bool:
        return any(c.locked for c in self.calendars)

    @property
    def planned_minutes(self) -> int:
        return sum(c.planned_minutes for c in self.calendars)

    def days(self) -> list[tuple[domain.Day, str | None]]:
        """Each day of the month, from the calendar of the contract covering it (else the first), with its
        contract id (none outside every contract)."""
        out = []
        for on in domain.month_days(self.month):
            covering = self.calendar_on(on)
            source = covering or self.calendars[0]
            out.append((source.day(on), covering.contract_id if covering else None))
        return out

    def totals(self) -> list[Total]:
        minutes: dict[str, int] = {}
        days: dict[str, int] = {}
        for calendar in self.calendars:
            for total in calendar.totals():
                minutes[total.code] = minutes.get(total.code, 0) + total.minutes
                days[total.code] = days.get(total.code, 0) + total.days
        return [Total(code, minutes[code], days[code]) for code in sorted(minutes)]

    @property
    def last_modified(self) -> tuple[str, datetime] | None:
        edits = [(c.modified_at, c.modified_by) for c in self.calendars if c.modified_at and c.modified_by]
        if not edits:
            return None
        at, by = max(edits)
        return by, at


async def get_month(db: Db, *, tenant: str, worker_id: str, month: str) -> Month:
    """The worker's month: the stored calendars of that month, and for each other contract covering it a calendar
    planned from the contract's versions (not stored: planning is pure). MonthNotCovered (404) when no contract
    of the worker covers the month."""
    stored = await store.worker_month(db, tenant=tenant, worker_id=worker_id, month=month)
    known = {c.contract_id for c in stored}
    planned = [
        domain.month_calendar(c, month)
        for c in await store.worker_contracts(db, tenant=tenant, worker_id=worker_id)
        if c.contract_id not in known and not c.cancelled and c.terms.covers_month(month)
    ]
    covering = [c for c in [*stored, *planned] if not c.cancelled and c.terms.covers_month(month)]
    if not covering:
        raise MonthNotCovered(f"No contract of this worker covers {month}.")
    calendars = tuple(sorted(covering, key=lambda c: c.terms.start_date))
    inputs = await salary_elements.get_inputs(db, tenant=tenant, worker_id=worker_id, month=month)
    return Month(worker_id=worker_id, month=month, calendars=calendars, inputs=inputs)


async def edit_day(
    db: Db,
    *,
    tenant: str,
    worker_id: str,
    month: str,
    on: date,
    entries: Sequence[tuple[str, int]],
    by: str,
    now: datetime,
) -> Month:
    """Put `entries` (code, minutes) on the worker's day `on` (none: back to its plan), with CalendarDayChanged in
    the same write. Each code must be one of the employer's active day codes (UnknownCode 404, InactiveCode or
    NotADayCode 422, field `code`), at most its hours a day; the day inside a contract (DayOutsideContract, 422
    `date`); the month not locked (MonthLocked, 409)."""
    if domain.month_of(on) != month:
        raise DayOutsideContract(f"{on.isoformat()} is not in {month}.")
    found = await get_month(db, tenant=tenant, worker_id=worker_id, month=month)
    calendar = found.calendar_on(on)
    if calendar is None:
        raise DayOutsideContract(f"{on.isoformat()} is outside the worker's contracts.")
    limits: dict[str, int] = {}
    normalized: list[Entry] = []
    for code_name, minutes in entries:
        code = await codes.active_code(db, tenant=tenant, code=code_name)
        if code.kind != Kind.PERFORMANCE:
            raise NotADayCode(f"{code.code} is a salary element, not a code for a day.")
        if code.max_hours_per_day is not None:
            limits[code.code] = code.max_hours_per_day * 60
        normalized.append(Entry(code.code, minutes))
    changed = calendar.with_day(on, normalized, by=by, at=now, limits=limits)
    await store.save_day(db, changed, on, events=[_day_changed(changed, on)])
    return await get_month(db, tenant=tenant, worker_id=worker_id, month=month)


def _day_changed(calendar: Calendar, on: date) -> dict[str, Any]:
    day = calendar.day(on)
    event = new_event(
        CalendarDayChanged(
            calendar_id=calendar.calendar_id,
            worker_id=calendar.worker_id,
            contract_id=calendar.contract_id,
            month=calendar.month,
            date=on,
            planned_minutes=day.planned_minutes,
            entries=tuple(DayEntry(code=e.code, minutes=e.minutes) for e in day.entries),
            changed_by=calendar.modified_by or "",
        ),
        tenant=calendar.tenant,
        subject=calendar.worker_id,
        time=calendar.modified_at,
    )
    return event_entry(topics.CALENDAR_CALENDARS, event)


# Reads ------------------------------------------------------------------------------------------------------
async def list_calendars(
    db: Db, *, tenant: str, worker_id: str | None, month: str | None, limit: int, offset: int
) -> tuple[list[Calendar], int]:
    return await repository.find_calendars(
        db, tenant=tenant, worker_id=worker_id, month=month, limit=limit, offset=offset
    )


async def get_calendar(db: Db, *, tenant: str, calendar_id: str) -> Calendar:
    return await repository.get_calendar(db, tenant=tenant, calendar_id=calendar_id)
