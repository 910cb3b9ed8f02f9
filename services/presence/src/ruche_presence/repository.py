"""Presence's MongoDB collections. Every query filters by tenant; every lookup on the registration path goes by
`_id` (the only index FerretDB uses): a worker by its id, a workplace by `<tenant>:<workplace_id>`, a
registration by the id derived from its worker, workplace and day. Lists scan."""

from __future__ import annotations

from datetime import date
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.inbox import apply_once
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.paging import find_page

from .domain import (
    Address,
    AlreadyRegistered,
    Period,
    Registration,
    RegistrationNotFound,
    Workplace,
    WorkplaceExists,
)

WORKERS = "workers"  # learnt from people's events: names, NISS and the periods in service, by contract
IN_SERVICE = "in_service"  # a worker's field: {<contract_id>: {start_date, end_date}}
WORKPLACES = "workplaces"
REGISTRATIONS = "registrations"


async def create_indexes(db: Db) -> None:
    await db[REGISTRATIONS].create_index(
        [("tenant", ASCENDING), ("worker_id", ASCENDING), ("workplace_id", ASCENDING), ("date", ASCENDING)],
        unique=True,
        name="one_per_worker_workplace_day",
    )
    await db[REGISTRATIONS].create_index([("receipt_number", ASCENDING)], unique=True, name="receipt_number")
    await db[WORKPLACES].create_index([("tenant", ASCENDING), ("workplace_id", ASCENDING)], unique=True)


# Workers, as people's events describe them -----------------------------------------------------------------
async def record_worker(
    db: Db, *, tenant: str, worker_id: str, first_name: str, last_name: str, niss: str, event_id: str
) -> bool:
    """True when stored; False when this event was applied before."""
    return await apply_once(
        db[WORKERS],
        {"_id": worker_id, "tenant": tenant},
        {"$set": {"first_name": first_name, "last_name": last_name, "niss": niss}},
        event_id=event_id,
        upsert=True,
    )


async def record_period(
    db: Db, *, tenant: str, worker_id: str, contract_id: str, period: Period, event_id: str
) -> bool:
    """Set the contract's period in service (the worker is created if its registration is still on the way)."""
    doc = {
        "start_date": period.start_date.isoformat(),
        "end_date": period.end_date.isoformat() if period.end_date else None,
    }
    return await apply_once(
        db[WORKERS],
        {"_id": worker_id, "tenant": tenant},
        {"$set": {_period_field(contract_id): doc}},
        event_id=event_id,
        upsert=True,
    )


async def end_period(db: Db, *, tenant: str, worker_id: str, contract_id: str, end_date: date, event_id: str) -> bool:
    """Set the end of the contract's period, if there is one."""
    field = _period_field(contract_id)
    return await apply_once(
        db[WORKERS],
        {"_id": worker_id, "tenant": tenant, field: {"$exists": True}},
        {"$set": {f"{field}.end_date": end_date.isoformat()}},
        event_id=event_id,
    )


async def remove_period(db: Db, *, tenant: str, worker_id: str, contract_id: str, event_id: str) -> bool:
    """The contract gives no period in service any more."""
    field = _period_field(contract_id)
    return await apply_once(
        db[WORKERS],
        {"_id": worker_id, "tenant": tenant, field: {"$exists": True}},
        {"$unset": {field: ""}},
        event_id=event_id,
    )


def _period_field(contract_id: str) -> str:
    if not contract_id or "." in contract_id or contract_id.startswith("$"):
        raise ValueError(f"contract id {contract_id!r} cannot name a field")
    return f"{IN_SERVICE}.{contract_id}"


async def employment_periods(db: Db, *, tenant: str, worker_id: str) -> list[Period] | None:
    """The worker's periods in service; None when presence knows no such worker of this employer."""
    doc = await db[WORKERS].find_one({"_id": worker_id, "tenant": tenant}, {IN_SERVICE: 1})
    if doc is None:
        return None
    return sorted((_period(p) for p in (doc.get(IN_SERVICE) or {}).values()), key=lambda p: p.start_date)


async def workers_in_service(
    db: Db, *, tenant: str, day: date, limit: int, offset: int
) -> tuple[list[tuple[str, str, str]], int]:
    """A page of the employer's workers in service on `day` (id, first and last name), by name, and how many.

    The periods sit under per-contract keys, which no query can range over: the employer's workers are read (names
    and periods only) and filtered here; a page of thousands is a few milliseconds of Python."""
    found = []
    async for doc in db[WORKERS].find({"tenant": tenant}, {IN_SERVICE: 1, "first_name": 1, "last_name": 1}):
        periods = (doc.get(IN_SERVICE) or {}).values()
        if any(_period(p).covers(day) for p in periods):
            found.append((doc["_id"], doc.get("first_name") or "", doc.get("last_name") or ""))
    found.sort(key=lambda w: (w[2].casefold(), w[1].casefold(), w[0]))
    return found[offset : offset + limit], len(found)


def _period(doc: Document) -> Period:
    return Period(
        date.fromisoformat(doc["start_date"]), date.fromisoformat(doc["end_date"]) if doc.get("end_date") else None
    )


# Workplaces -------------------------------------------------------------------------------------------------
def _workplace_key(tenant: str, workplace_id: str) -> str:
    return f"{tenant}:{workplace_id}"


async def insert_workplace(db: Db, workplace: Workplace, *, events: list[dict[str, Any]]) -> None:
    doc = {
        "_id": _workplace_key(workplace.tenant, workplace.workplace_id),
        "tenant": workplace.tenant,
        "workplace_id": workplace.workplace_id,
        "name": workplace.name,
        "address": workplace.address.__dict__,
        outbox.OUTBOX_FIELD: events,
    }
    try:
        await outbox.insert(db[WORKPLACES], doc)
    except DuplicateKeyError as exc:
        raise WorkplaceExists("This workplace is already declared.") from exc


async def workplace_exists(db: Db, *, tenant: str, workplace_id: str) -> bool:
    key = {"_id": _workplace_key(tenant, workplace_id), "tenant": tenant}
    return await db[WORKPLACES].find_one(key, {"_id": 1}) is not None


async def list_workplaces(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[Workplace], int]:
    docs, total = await find_page(
        db[WORKPLACES], {"tenant": tenant}, sort=[("workplace_id", 1)], limit=limit, offset=offset
    )
    return [_workplace(d) for d in docs], total


def _workplace(doc: Document) -> Workplace:
    return Workplace(
        tenant=doc["tenant"], workplace_id=doc["workplace_id"], name=doc["name"], address=Address(**doc["address"])
    )


# Registrations ----------------------------------------------------------------------------------------------
async def insert_registration(db: Db, registration: Registration, *, events: list[dict[str, Any]]) -> bool:
    """True when stored; False when the receipt number is another registration's (the caller draws another).
    Raises AlreadyRegistered when the worker is registered at this workplace on that day."""
    doc = {
        "_id": registration.registration_id,
        "tenant": registration.tenant,
        "worker_id": registration.worker_id,
        "workplace_id": registration.workplace_id,
        "date": registration.date.isoformat(),
        "receipt_number": registration.receipt_number,
        "registered_at": registration.registered_at,
        outbox.OUTBOX_FIELD: events,
    }
    try:
        await outbox.insert(db[REGISTRATIONS], doc)
    except DuplicateKeyError as exc:
        # FerretDB does not say which unique key clashed: the id (the usual case) is checked by `_id`; only
        # then the receipt number (a 1 in 10^10 draw), by a lookup that scans but runs on that draw alone.
        same_day = await db[REGISTRATIONS].find_one({"_id": doc["_id"], "tenant": doc["tenant"]}, {"_id": 1})
        if same_day is None and await db[REGISTRATIONS].find_one({"receipt_number": doc["receipt_number"]}, {"_id": 1}):
            return False
        raise AlreadyRegistered("This worker is already registered at this workplace on that day.") from exc
    return True


async def find_registrations(
    db: Db, *, tenant: str, day: date | None, worker_id: str | None, limit: int, offset: int
) -> tuple[list[Registration], int]:
    query: dict[str, Any] = {"tenant": tenant}
    if day:
        query["date"] = day.isoformat()
    if worker_id:
        query["worker_id"] = worker_id
    docs, total = await find_page(db[REGISTRATIONS], query, sort=[("date", 1)], limit=limit, offset=offset)
    return [_registration(d) for d in docs], total


async def get_registration(db: Db, *, tenant: str, registration_id: str) -> Registration:
    doc = await db[REGISTRATIONS].find_one({"_id": registration_id, "tenant": tenant}, {"_outbox": 0})
    if doc is None:
        raise RegistrationNotFound("No such registration for this employer.")
    return _registration(doc)


def _registration(doc: Document) -> Registration:
    return Registration(
        registration_id=doc["_id"],
        tenant=doc["tenant"],
        worker_id=doc["worker_id"],
        workplace_id=doc["workplace_id"],
        date=date.fromisoformat(doc["date"]),
        receipt_number=doc["receipt_number"],
        registered_at=doc["registered_at"],
    )
