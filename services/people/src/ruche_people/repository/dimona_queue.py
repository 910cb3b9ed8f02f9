"""The Dimona queue: one entry per contract with a declaration to send or an answer to read, `_id` = contract id,
due at `due_at`. Written before the contract changes (a note without work is dropped by the dispatcher), so a
crash between the two loses no declaration. The dispatcher reschedules or drops an entry only if it is still as
it read it: a change noted meanwhile (due now) is never pushed back nor lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pymongo import ASCENDING, UpdateOne
from ruche_servicekit.mongo import Db

from .names import DIMONA_QUEUE

BULK_STATEMENTS = 25  # FerretDB and long bulk writes: see ruche_servicekit.outbox


@dataclass(frozen=True)
class Entry:
    contract_id: str
    tenant: str
    worker_id: str
    due_at: datetime
    attempts: int = 0


async def create_indexes(db: Db) -> None:
    await db[DIMONA_QUEUE].create_index([("due_at", ASCENDING)], name="due_at")


async def note(db: Db, *, contract_id: str, tenant: str, worker_id: str, due_at: datetime) -> None:
    """The contract has something to declare from `due_at` (now, usually)."""
    await db[DIMONA_QUEUE].update_one(
        {"_id": contract_id},
        {"$set": {"tenant": tenant, "worker_id": worker_id, "due_at": due_at, "attempts": 0}},
        upsert=True,
    )


async def note_many(db: Db, entries: list[Entry]) -> None:
    updates = [
        UpdateOne(
            {"_id": e.contract_id},
            {"$set": {"tenant": e.tenant, "worker_id": e.worker_id, "due_at": e.due_at, "attempts": 0}},
            upsert=True,
        )
        for e in entries
    ]
    for start in range(0, len(updates), BULK_STATEMENTS):
        await db[DIMONA_QUEUE].bulk_write(updates[start : start + BULK_STATEMENTS], ordered=False)


async def due(db: Db, now: datetime, *, limit: int) -> list[Entry]:
    cursor = db[DIMONA_QUEUE].find({"due_at": {"$lte": now}}).sort([("due_at", 1)]).limit(limit)
    return [_entry(d) async for d in cursor]


async def reschedule(db: Db, entry: Entry, *, due_at: datetime, attempts: int) -> bool:
    result = await db[DIMONA_QUEUE].update_one(
        {"_id": entry.contract_id, "due_at": entry.due_at}, {"$set": {"due_at": due_at, "attempts": attempts}}
    )
    return result.matched_count == 1


async def drop(db: Db, entry: Entry) -> None:
    await db[DIMONA_QUEUE].delete_one({"_id": entry.contract_id, "due_at": entry.due_at})


async def get(db: Db, contract_id: str) -> Entry | None:
    doc = await db[DIMONA_QUEUE].find_one({"_id": contract_id})
    return None if doc is None else _entry(doc)


def _entry(doc: dict[str, Any]) -> Entry:
    return Entry(doc["_id"], doc["tenant"], doc["worker_id"], doc["due_at"], int(doc.get("attempts", 0)))
