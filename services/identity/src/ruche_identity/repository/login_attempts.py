"""Failed logins per login (`_id`: the login as typed, case folded), for the lockout."""

from __future__ import annotations

from datetime import datetime, timedelta

from ruche_servicekit.mongo import Db

from ..domain.logins import LOCKOUT, LoginAttempts
from .names import LOGIN_ATTEMPTS

STALE_AFTER = timedelta(days=1)  # a failure count older than this and no lock in force is forgotten


async def get(db: Db, key: str) -> LoginAttempts:
    doc = await db[LOGIN_ATTEMPTS].find_one({"_id": key})
    return LoginAttempts(doc["failures"], doc.get("locked_until")) if doc else LoginAttempts()


async def save(db: Db, key: str, attempts: LoginAttempts, *, now: datetime) -> None:
    await db[LOGIN_ATTEMPTS].update_one(
        {"_id": key},
        {"$set": {"failures": attempts.failures, "locked_until": attempts.locked_until, "updated_at": now}},
        upsert=True,
    )


async def clear(db: Db, key: str) -> None:
    await db[LOGIN_ATTEMPTS].delete_one({"_id": key})


async def remove_stale(db: Db, now: datetime) -> int:
    result = await db[LOGIN_ATTEMPTS].delete_many({"updated_at": {"$lt": now - max(STALE_AFTER, LOCKOUT)}})
    return result.deleted_count
