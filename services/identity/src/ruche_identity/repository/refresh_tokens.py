"""Refresh tokens, stored by the SHA-256 of the token (the `_id`, so each grant is an indexed lookup)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ruche_servicekit.mongo import Db

from .names import REFRESH_TOKENS


async def insert(db: Db, doc: dict[str, Any]) -> None:
    await db[REFRESH_TOKENS].insert_one(doc)


async def get(db: Db, digest: str) -> dict[str, Any] | None:
    return await db[REFRESH_TOKENS].find_one({"_id": digest})


async def retire(db: Db, digest: str) -> bool:
    """Mark the token used; False when it was used already (a replay)."""
    result = await db[REFRESH_TOKENS].update_one({"_id": digest, "used": False}, {"$set": {"used": True}})
    return result.modified_count == 1


async def revoke_family(db: Db, family: str) -> None:
    await db[REFRESH_TOKENS].update_many({"family": family}, {"$set": {"revoked": True}})


async def remove_expired(db: Db, now: datetime) -> int:
    return (await db[REFRESH_TOKENS].delete_many({"expires_at": {"$lt": now}})).deleted_count
