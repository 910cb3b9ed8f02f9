"""What people's events say about each worker, folded for matching, to recognise an employee who lost their
identifier (keyed by worker id)."""

from __future__ import annotations

from typing import Any

from ruche_servicekit.inbox import apply_once
from ruche_servicekit.mongo import Db

from .names import IDENTITIES


async def learn(db: Db, *, worker_id: str, tenant: str, folded: dict[str, Any], event_id: str) -> bool:
    return await apply_once(
        db[IDENTITIES], {"_id": worker_id, "tenant": tenant}, {"$set": folded}, event_id=event_id, upsert=True
    )


async def matching(db: Db, folded: dict[str, Any]) -> list[dict[str, Any]]:
    return await db[IDENTITIES].find(folded, {"_inbox": 0}).to_list(20)
