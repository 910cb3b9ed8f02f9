"""Designation requests, keyed by their (unguessable) ticket."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db
from ruche_servicekit.paging import find_page

from .names import DESIGNATIONS


async def insert(db: Db, doc: dict[str, Any]) -> bool:
    """False when the ticket is taken (the caller draws another)."""
    try:
        await outbox.insert(db[DESIGNATIONS], doc)
    except DuplicateKeyError:
        return False
    return True


async def get(db: Db, ticket: str) -> dict[str, Any] | None:
    return await db[DESIGNATIONS].find_one({"_id": ticket}, {"_outbox": 0})


async def page(db: Db, *, status: str | None, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    query = {"status": status} if status else {}
    return await find_page(db[DESIGNATIONS], query, sort=[("created_at", 1)], limit=limit, offset=offset)


async def move(db: Db, ticket: str, *, from_status: str, change: dict[str, Any]) -> bool:
    """Apply `change` if the request is still in `from_status`; False when someone moved it meanwhile."""
    result = await outbox.update(db[DESIGNATIONS], {"_id": ticket, "status": from_status}, change)
    return result.matched_count > 0
