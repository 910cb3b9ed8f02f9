"""Employee accounts, keyed by the identifier they opened with (a later identifier, after a lost one, is kept
in `identifier`); their login lookups go by `_id` first, the indexed path."""

from __future__ import annotations

from typing import Any

from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db

from .names import EMPLOYEES

HIDDEN = {"_outbox": 0}


async def open_account(db: Db, doc: dict[str, Any]) -> bool:
    """False when the account is open already (a redelivered event)."""
    try:
        await outbox.insert(db[EMPLOYEES], doc)
    except DuplicateKeyError:
        return False
    return True


async def get(db: Db, account_id: str) -> dict[str, Any] | None:
    return await db[EMPLOYEES].find_one({"_id": account_id}, HIDDEN)


async def of_worker(db: Db, *, tenant: str, worker_id: str) -> dict[str, Any] | None:
    return await db[EMPLOYEES].find_one({"tenant": tenant, "worker_id": worker_id}, HIDDEN)


async def resolve_login(db: Db, login: str) -> str | None:
    """The account behind a login: its 12-digit identifier, or its personal e-mail (the second identifier) when
    exactly one account has it. None when no account has that login."""
    if "@" in login:
        docs = await db[EMPLOYEES].find({"personal_email_key": login.casefold()}, {"_id": 1}).to_list(2)
        return docs[0]["_id"] if len(docs) == 1 else None
    doc = await db[EMPLOYEES].find_one({"_id": login}, {"identifier": 1})  # most accounts keep their first one
    if doc is not None and doc.get("identifier", doc["_id"]) == login:
        return str(doc["_id"])
    doc = await db[EMPLOYEES].find_one({"identifier": login}, {"_id": 1})
    return str(doc["_id"]) if doc else None


async def update(db: Db, account_id: str, change: dict[str, Any]) -> bool:
    """Apply `change`; False when a unique field (the identifier) collided with another account's."""
    try:
        await outbox.update(db[EMPLOYEES], {"_id": account_id}, change)
    except DuplicateKeyError:
        return False
    return True


async def active_of_worker(db: Db, *, tenant: str, worker_id: str) -> dict[str, Any] | None:
    return await db[EMPLOYEES].find_one({"tenant": tenant, "worker_id": worker_id, "status": "active"}, HIDDEN)
