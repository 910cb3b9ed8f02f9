"""Single-use password-reset links, stored by the SHA-256 of their token, with the mail that carries them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db

from .names import RESET_LINKS


async def insert(db: Db, doc: dict[str, Any]) -> None:
    await outbox.insert(db[RESET_LINKS], doc)


async def get(db: Db, digest: str) -> dict[str, Any] | None:
    return await db[RESET_LINKS].find_one({"_id": digest}, {"_outbox": 0})


async def take(db: Db, digest: str) -> bool:
    """Mark the link used; False when it was used already."""
    result = await db[RESET_LINKS].update_one({"_id": digest, "used": False}, {"$set": {"used": True}})
    return result.modified_count == 1


async def remove_expired(db: Db, now: datetime) -> int:
    return (
        await db[RESET_LINKS].delete_many({"expires_at": {"$lt": now}, "_outbox.0": {"$exists": False}})
    ).deleted_count
