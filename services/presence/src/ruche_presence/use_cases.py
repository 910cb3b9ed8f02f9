"""Presence's use cases: learn workers and their periods in service from people's events (accepted Dimona
periods; contract dates when the payroll is done elsewhere), declare a workplace, register a presence and hand out
its receipt, and the reads the API needs. The only writers of the service; time and random draws are arguments,
so a test passes its own."""

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


async def learn_dimona(
    db: Db,
    *,
    tenant: str,
    event_id: str,
    worker_id: str,
    contract_id: str,
    start_date: date,
    end_date: date | None,
    cancelled: bool,
) -> bool:
    """ONSS accepted a declaration of the contract: its Dimona period now has these bounds, or, cancelled, is no
    more. False when this event changed nothing (applied before, or nothing to cancel)."""
    period = domain.dimona_period(start_date=start_date, end_date=end_date, cancelled=cancelled)
    if period is None:
        return await repository.remove_period(
            db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, event_id=event_id
        )
    return await repository.record_period(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, period=period, event_id=event_id
    )


async def learn_contract(
    db: Db,
    *,
    tenant: str,
    event_id: str,
    worker_id: str,
    contract_id: str,
    start_date: date,
    end_date: date | None,
    payroll_provider: str,
) -> bool:
    """A contract signed or amended: for a contract Ruche declares no Dimona for (another payroll provider), its
    dates are the period in service; Ruche's own contracts wait for their accepted Dimona. False when this event
    changed nothing."""
    if domain.declared_by_ruche(payroll_provider):
        return False
    period = Period(start_date, end_date)
    return await repository.record_period(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, period=period, event_id=event_id
    )


async def end_contract(
    db: Db, *, tenant: str, event_id: str, worker_id: str, contract_id: str, end_date: date, payroll_provider: str
) -> bool:
    """A contract without a Dimona from Ruche ends early: its period ends on `end_date`. (Ruche's own contracts
    end with their accepted OUT.)"""
    if domain.declared_by_ruche(payroll_provider):
        return False
    return await repository.end_period(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, end_date=end_date, event_id=event_id
    )


async def cancel_contract(
    db: Db, *, tenant: str, event_id: str, worker_id: str, contract_id: str, payroll_provider: str
) -> bool:
    """A contract without a Dimona from Ruche is cancelled: it gives no period. (Ruche's own contracts lose theirs
    with their accepted CANCEL.)"""
    if domain.declared_by_ruche(payroll_provider):
        return False
    return await repository.remove_period(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, event_id=event_id
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
async def workers_in_service(
    db: Db, *, tenant: str, day: date, limit: int, offset: int
) -> tuple[list[tuple[str, str, str]], int]:
    """Who may be registered on `day`: the workers presence knows in service then (id, first and last name)."""
    return await repository.workers_in_service(db, tenant=tenant, day=day, limit=limit, offset=offset)


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
