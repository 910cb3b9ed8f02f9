"""Vaults in MongoDB, one per worker (`_id` = worker id), with pending events in `_outbox`. Every query filters
by tenant; a vault is read by `_id`, the list alone scans."""

from __future__ import annotations

import enum
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.paging import find_page

from .domain import Vault, VaultNotFound

VAULTS = "vaults"


class Stored(enum.Enum):
    OPENED = "opened"
    ALREADY_OPEN = "already-open"  # the worker's vault exists (a redelivered event, or two deliveries at once)
    IDENTIFIER_TAKEN = "identifier-taken"  # another vault has this identifier: draw another


async def create_indexes(db: Db) -> None:
    await db[VAULTS].create_index([("identifier", ASCENDING)], unique=True, name="identifier")
    await db[VAULTS].create_index([("tenant", ASCENDING), ("opened_at", ASCENDING)], name="tenant_opened_at")


async def is_open(db: Db, *, tenant: str, vault_id: str) -> bool:
    return await db[VAULTS].find_one({"_id": vault_id, "tenant": tenant}, {"_id": 1}) is not None


async def insert_vault(db: Db, vault: Vault, *, event_id: str, events: list[dict[str, Any]]) -> Stored:
    doc = {
        "_id": vault.vault_id,
        "tenant": vault.tenant,
        "worker_id": vault.worker_id,
        "identifier": vault.identifier,
        "opened_at": vault.opened_at,
        "opened_by_event": event_id,
        outbox.OUTBOX_FIELD: events,
    }
    try:
        await outbox.insert(db[VAULTS], doc)
    except DuplicateKeyError:
        if await is_open(db, tenant=vault.tenant, vault_id=vault.vault_id):
            return Stored.ALREADY_OPEN
        return Stored.IDENTIFIER_TAKEN
    return Stored.OPENED


async def list_vaults(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[Vault], int]:
    docs, total = await find_page(db[VAULTS], {"tenant": tenant}, sort=[("opened_at", 1)], limit=limit, offset=offset)
    return [_vault(d) for d in docs], total


async def get_vault(db: Db, *, tenant: str, worker_id: str) -> Vault:
    doc = await db[VAULTS].find_one({"_id": worker_id, "tenant": tenant}, {"_outbox": 0})
    if doc is None:
        raise VaultNotFound("No vault for this worker at this employer.")
    return _vault(doc)


def _vault(doc: Document) -> Vault:
    return Vault(
        vault_id=doc["_id"],
        tenant=doc["tenant"],
        worker_id=doc["worker_id"],
        identifier=doc["identifier"],
        opened_at=doc["opened_at"],
    )
