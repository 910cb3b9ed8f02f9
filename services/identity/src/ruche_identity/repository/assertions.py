"""Client assertions already used, by client id and `jti` (RFC 7523 §3), until they expire."""

from __future__ import annotations

from datetime import datetime

from pymongo.errors import DuplicateKeyError
from ruche_servicekit.mongo import Db

from .names import USED_ASSERTIONS


async def remember(db: Db, *, client_id: str, jti: str, expires_at: datetime) -> bool:
    """False when this assertion was seen before."""
    try:
        await db[USED_ASSERTIONS].insert_one({"_id": f"{client_id}:{jti}", "expires_at": expires_at})
    except DuplicateKeyError:
        return False
    return True


async def remove_expired(db: Db, now: datetime) -> int:
    return (await db[USED_ASSERTIONS].delete_many({"expires_at": {"$lt": now}})).deleted_count
