"""Presence's MongoDB collections; every query filters by tenant."""

from __future__ import annotations

from datetime import date
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from ruche_servicekit.paging import find_page

from .domain import AlreadyRegistered, Period, WorkplaceExists

WORKERS = "workers"  # learnt from people's events: employment periods
WORKPLACES = "workplaces"
REGISTRATIONS = "registrations"


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[REGISTRATIONS].create_index(
        [("tenant", ASCENDING), ("worker_id", ASCENDING), ("workplace_id", ASCENDING), ("date", ASCENDING)],
        unique=True,
        name="one_per_worker_workplace_day",
    )
    await db[REGISTRATIONS].create_index([("receipt_number", ASCENDING)], unique=True, name="receipt_number")
    await db[WORKPLACES].create_index([("tenant", ASCENDING), ("workplace_id", ASCENDING)], unique=True)


async def employment_periods(db: AsyncDatabase[Any], *, tenant: str, worker_id: str) -> list[Period] | None:
    doc = await db[WORKERS].find_one({"_id": worker_id, "tenant": tenant})
    if doc is None:
        return None
    return [
        Period(date.fromisoformat(p["start_date"]), date.fromisoformat(p["end_date"]) if p.get("end_date") else None)
        for p in doc.get("periods", [])
    ]


async def insert_workplace(db: AsyncDatabase[Any], doc: dict[str, Any]) -> None:
    try:
        await db[WORKPLACES].insert_one(doc)
    except DuplicateKeyError as exc:
        raise WorkplaceExists("This workplace is already declared.") from exc


async def workplace_exists(db: AsyncDatabase[Any], *, tenant: str, workplace_id: str) -> bool:
    return await db[WORKPLACES].find_one({"tenant": tenant, "workplace_id": workplace_id}, {"_id": 1}) is not None


async def list_workplaces(
    db: AsyncDatabase[Any], *, tenant: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    return await find_page(db[WORKPLACES], {"tenant": tenant}, sort=[("workplace_id", 1)], limit=limit, offset=offset)


async def insert_registration(db: AsyncDatabase[Any], doc: dict[str, Any]) -> bool:
    """False when the receipt number collided (the caller draws another); raises when already registered."""
    try:
        await db[REGISTRATIONS].insert_one(doc)
    except DuplicateKeyError as exc:
        clash = await db[REGISTRATIONS].find_one(
            {
                "tenant": doc["tenant"],
                "worker_id": doc["worker_id"],
                "workplace_id": doc["workplace_id"],
                "date": doc["date"],
            },
            {"_id": 1},
        )
        if clash is not None:
            raise AlreadyRegistered("This worker is already registered at this workplace on that day.") from exc
        return False
    return True


async def find_registrations(
    db: AsyncDatabase[Any], *, tenant: str, day: str | None, worker_id: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query: dict[str, Any] = {"tenant": tenant}
    if day:
        query["date"] = day
    if worker_id:
        query["worker_id"] = worker_id
    return await find_page(db[REGISTRATIONS], query, sort=[("date", 1)], limit=limit, offset=offset)


async def get_registration(db: AsyncDatabase[Any], *, tenant: str, registration_id: str) -> dict[str, Any] | None:
    return await db[REGISTRATIONS].find_one({"_id": registration_id, "tenant": tenant}, {"_outbox": 0})
