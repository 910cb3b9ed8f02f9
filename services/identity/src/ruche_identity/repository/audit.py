"""The audit trail: one record per user event, keyed by the event id."""

from __future__ import annotations

from datetime import datetime
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


async def page(
    db: Db,
    *,
    tenant: str,
    action: str | None = None,
    user_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    query: dict[str, Any] = {"tenant": tenant}
    if action:
        query["action"] = action
    if user_id:
        query["$or"] = [{"actor_id": user_id}, {"user_id": user_id}]
    if since or until:
        query["at"] = {op: at for op, at in (("$gte", since), ("$lt", until)) if at is not None}
    return await find_page(db[AUDIT], query, sort=[("at", -1)], limit=limit, offset=offset)
