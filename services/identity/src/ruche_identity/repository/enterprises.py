"""Enterprises known to Ruche, keyed by enterprise number."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db

from .names import ENTERPRISES


async def insert_enterprise(
    db: Db, *, enterprise_number: str, name: str, access_manager_id: str, outbox_entries: list[dict[str, Any]]
) -> bool:
    """False when the enterprise was registered already (a retried approval)."""
    try:
        await outbox.insert(
            db[ENTERPRISES],
            {
                "_id": enterprise_number,
                "tenant": enterprise_number,
                "name": name,
                "access_manager_ids": [access_manager_id],
                "_outbox": outbox_entries,
            },
        )
    except DuplicateKeyError:
        return False
    return True


async def exists(db: Db, enterprise_number: str) -> bool:
    return await db[ENTERPRISES].find_one({"_id": enterprise_number}, {"_id": 1}) is not None


async def get(db: Db, *, tenant: str) -> dict[str, Any] | None:
    return await db[ENTERPRISES].find_one({"_id": tenant, "tenant": tenant}, {"_outbox": 0})
