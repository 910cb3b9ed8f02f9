"""Presence's use cases: learn workers and their contracts from people's events, declare a workplace, register a
presence and hand out its receipt, and the reads the API needs. The only writers of the service; time and
random draws are arguments, so a test passes its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from ruche_contracts import new_event, topics
from ruche_contracts.presence import PresenceRegistered, WorkplaceDeclared
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry

from . import domain, repository
from .domain import Period, Registration, Workplace

BRUSSELS = ZoneInfo("Europe/Brussels")
RECEIPT_ATTEMPTS = 5


def today_in_belgium(now: datetime) -> date:
    return now.astimezone(BRUSSELS).date()


# From people's events --------------------------------------------------------------------------------------
async def learn_worker(
    db: Db, *, tenant: str, event_id: str, worker_id: str, first_name: str, last_name: str, niss: str
) -> bool:
    """Keep who the worker is. False when this event was applied before."""
    return await repository.record_worker(
        db, tenant=tenant, worker_id=worker_id, first_name=first_name, last_name=last_name, niss=niss, event_id=event_id
    )


async def learn_contract(
    db: Db, *, tenant: str, event_id: str, worker_id: str, contract_id: str, start_date: date, end_date: date | None
) -> bool:
    """Keep the contract's period: a presence can be registered inside it. False when applied before."""
    period = Period(start_date, end_date)
    return await repository.record_period(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, period=period, event_id=event_id
    )


# Workplaces and registrations ------------------------------------------------------------------------------
async def declare_workplace(db: Db, workplace: Workplace) -> Workplace:
    event = new_event(
        WorkplaceDeclared(workplace_id=workplace.workplace_id, name=workplace.name),
        tenant=workplace.tenant,
        subject=workplace.workplace_id,
    )
    await repository.insert_workplace(db, workplace, events=[event_entry(topics.PRESENCE_WORKPLACES, event)])
    return workplace


async def register_presence(
    db: Db,
    *,
    tenant: str,
    worker_id: str,
    workplace_id: str,
    day: date,
    now: datetime,
    new_receipt: Callable[[date], str] = domain.new_receipt_number,
) -> Registration:
    periods = await repository.employment_periods(db, tenant=tenant, worker_id=worker_id)
    if periods is None:
        raise domain.UnknownWorker("No such worker for this employer.")
    if not await repository.workplace_exists(db, tenant=tenant, workplace_id=workplace_id):
        raise domain.UnknownWorkplace("No such workplace for this employer.")
    domain.check_registration(day=day, today=today_in_belgium(now), periods=periods)
    registration_id = domain.registration_id(tenant=tenant, worker_id=worker_id, workplace_id=workplace_id, day=day)
    for _ in range(RECEIPT_ATTEMPTS):
        registration = Registration(
            registration_id=registration_id,
            tenant=tenant,
            worker_id=worker_id,
            workplace_id=workplace_id,
            date=day,
            receipt_number=new_receipt(day),
            registered_at=now.astimezone(UTC),
        )
        event = new_event(
            PresenceRegistered(
                registration_id=registration_id,
                receipt_number=registration.receipt_number,
                worker_id=worker_id,
                workplace_id=workplace_id,
                date=day,
            ),
            tenant=tenant,
            subject=worker_id,
        )
        if await repository.insert_registration(
            db, registration, events=[event_entry(topics.PRESENCE_REGISTRATIONS, event)]
        ):
            return registration
    raise RuntimeError("could not draw a free receipt number")


# Reads ------------------------------------------------------------------------------------------------------
async def list_workplaces(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[Workplace], int]:
    return await repository.list_workplaces(db, tenant=tenant, limit=limit, offset=offset)


async def list_registrations(
    db: Db, *, tenant: str, day: date | None, worker_id: str | None, limit: int, offset: int
) -> tuple[list[Registration], int]:
    return await repository.find_registrations(
        db, tenant=tenant, day=day, worker_id=worker_id, limit=limit, offset=offset
    )


async def get_registration(db: Db, *, tenant: str, registration_id: str) -> Registration:
    return await repository.get_registration(db, tenant=tenant, registration_id=registration_id)
