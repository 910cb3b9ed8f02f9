"""Bulk hires: the answer given to each `Idempotency-Key` of an employer, `_id` = `<tenant>:<key>`, replayed for
the same key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo.errors import DuplicateKeyError
from ruche_servicekit.mongo import Db

from .names import BULK_HIRES, WORKERS


def _id(tenant: str, key: str) -> str:
    return f"{tenant}:{key}"


async def stored_answer(db: Db, *, tenant: str, key: str) -> dict[str, Any] | None:
    doc = await db[BULK_HIRES].find_one({"_id": _id(tenant, key), "tenant": tenant})
    return None if doc is None else dict(doc["answer"])


async def store_answer(db: Db, *, tenant: str, key: str, answer: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Keep the answer; when the same key was answered meanwhile, that first answer stands and is returned."""
    try:
        await db[BULK_HIRES].insert_one(
            {"_id": _id(tenant, key), "tenant": tenant, "key": key, "answer": answer, "created_at": now}
        )
    except DuplicateKeyError:
        first = await stored_answer(db, tenant=tenant, key=key)
        assert first is not None
        return first
    return answer


async def registered_niss(db: Db, *, tenant: str, niss: list[str]) -> dict[str, str]:
    """Which of these NISS a worker of the employer holds already: NISS → worker id (one query for a batch)."""
    if not niss:
        return {}
    cursor = db[WORKERS].find({"tenant": tenant, "personal_data.niss": {"$in": niss}}, {"personal_data.niss": 1})
    return {d["personal_data"]["niss"]: d["_id"] async for d in cursor}
