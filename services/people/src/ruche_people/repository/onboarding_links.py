"""Self-service onboarding links, by the SHA-256 of their token (the token itself is never stored): which worker
of which employer a link opens, until when, and whether it was used. The worker document says which link is
the current one; this collection finds the worker from a link."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from ruche_servicekit.mongo import Db

from .names import ONBOARDING_LINKS


async def create_indexes(db: Db) -> None:
    await db[ONBOARDING_LINKS].create_index([("tenant", ASCENDING), ("worker_id", ASCENDING)], name="tenant_worker")


async def insert(db: Db, *, link: str, tenant: str, worker_id: str, expires_at: datetime) -> None:
    await db[ONBOARDING_LINKS].insert_one(
        {"_id": link, "tenant": tenant, "worker_id": worker_id, "expires_at": expires_at, "used": False}
    )


async def get(db: Db, link: str) -> dict[str, Any] | None:
    return await db[ONBOARDING_LINKS].find_one({"_id": link})


async def mark_used(db: Db, *, tenant: str, worker_id: str, keep: str | None = None) -> None:
    """The worker's links (but `keep`) are used: submitted, withdrawn or replaced."""
    query: dict[str, Any] = {"tenant": tenant, "worker_id": worker_id, "used": False}
    if keep is not None:
        query["_id"] = {"$ne": keep}
    await db[ONBOARDING_LINKS].update_many(query, {"$set": {"used": True}})


async def remove_expired(db: Db, now: datetime) -> int:
    return (await db[ONBOARDING_LINKS].delete_many({"expires_at": {"$lt": now}})).deleted_count
