"""Calendars in MongoDB, one document per contract and month, with pending events in `_outbox`."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from ruche_servicekit.paging import find_page

CALENDARS = "calendars"
WORKERS = "workers"  # names of workers, as learnt from people's events


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[CALENDARS].create_index([("tenant", ASCENDING), ("worker_id", ASCENDING), ("month", ASCENDING)])
    await db[CALENDARS].create_index([("tenant", ASCENDING), ("month", ASCENDING)])


def calendar_id(contract_id: str, month: str) -> str:
    return f"{contract_id}:{month}"


async def find_calendars(
    db: AsyncDatabase[Any], *, tenant: str, worker_id: str | None, month: str | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query: dict[str, Any] = {"tenant": tenant}
    if worker_id:
        query["worker_id"] = worker_id
    if month:
        query["month"] = month
    return await find_page(db[CALENDARS], query, sort=[("month", 1), ("worker_id", 1)], limit=limit, offset=offset)


async def get_calendar(db: AsyncDatabase[Any], *, tenant: str, calendar_id: str) -> dict[str, Any] | None:
    return await db[CALENDARS].find_one({"_id": calendar_id, "tenant": tenant}, {"_outbox": 0, "_inbox": 0})


async def get_worker_name(db: AsyncDatabase[Any], *, tenant: str, worker_id: str) -> dict[str, Any] | None:
    return await db[WORKERS].find_one({"_id": worker_id, "tenant": tenant})
