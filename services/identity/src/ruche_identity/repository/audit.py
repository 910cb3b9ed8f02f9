"""The audit trail: one record per user event, keyed by the event id."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError
from ruche_servicekit.mongo import Db
from ruche_servicekit.paging import find_page

from .names import AUDIT


async def insert(db: Db, record: dict[str, Any]) -> bool:
    """False when the event was recorded already (a redelivery)."""
    try:
        await db[AUDIT].insert_one(record)
    except DuplicateKeyError:
        return False
    return True


async def page(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    return await find_page(db[AUDIT], {"tenant": tenant}, sort=[("at", -1)], limit=limit, offset=offset)
