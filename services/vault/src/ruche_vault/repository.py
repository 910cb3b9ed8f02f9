"""Vaults in MongoDB, one per worker (`_id` = worker id), with pending events in `_outbox`."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from ruche_servicekit.paging import find_page

VAULTS = "vaults"


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[VAULTS].create_index([("identifier", ASCENDING)], unique=True, name="identifier")
    await db[VAULTS].create_index([("tenant", ASCENDING), ("worker_id", ASCENDING)], name="tenant_worker")


async def exists(db: AsyncDatabase[Any], vault_id: str) -> bool:
    return await db[VAULTS].find_one({"_id": vault_id}, {"_id": 1}) is not None


async def insert_vault(db: AsyncDatabase[Any], doc: dict[str, Any]) -> bool:
    """True when inserted; False when the identifier collided with another vault's. A second delivery of the
    same event (same `_id`) is not an error: nothing changes."""
    try:
        await db[VAULTS].insert_one(doc)
    except DuplicateKeyError:
        if await exists(db, doc["_id"]):
            return True
        return False
    return True


async def list_vaults(
    db: AsyncDatabase[Any], *, tenant: str, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    return await find_page(db[VAULTS], {"tenant": tenant}, sort=[("opened_at", 1)], limit=limit, offset=offset)


async def get_vault(db: AsyncDatabase[Any], *, tenant: str, worker_id: str) -> dict[str, Any] | None:
    return await db[VAULTS].find_one({"tenant": tenant, "worker_id": worker_id}, {"_outbox": 0})
