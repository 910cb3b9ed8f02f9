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


async def retire(db: Db, digest: str) -> dict[str, Any] | None:
    """Mark the token used and return it as it was; None when no such token is unused (unknown, or a replay)."""
    return await db[REFRESH_TOKENS].find_one_and_update({"_id": digest, "used": False}, {"$set": {"used": True}})


async def revoke_family(db: Db, family: str) -> None:
    await db[REFRESH_TOKENS].update_many({"family": family}, {"$set": {"revoked": True}})


async def remove_expired(db: Db, now: datetime) -> int:
    return (await db[REFRESH_TOKENS].delete_many({"expires_at": {"$lt": now}})).deleted_count
