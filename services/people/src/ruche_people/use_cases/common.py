"""What every people use case needs: ids, Belgian dates, and the worker's guarded read-modify-write."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from ruche_servicekit.mongo import Db

from ..domain.errors import ConcurrentUpdate
from ..domain.workers import Worker
from ..repository import workers as worker_store

MAX_WRITE_ATTEMPTS = 3
BRUSSELS = ZoneInfo("Europe/Brussels")
R = TypeVar("R")
Entries = list[dict[str, Any]]


def new_id() -> str:
    return str(uuid.uuid4())


def today_in_belgium(now: datetime) -> date:
    return now.astimezone(BRUSSELS).date()


async def update_worker(
    db: Db, *, tenant: str, worker_id: str, change: Callable[[Worker], tuple[Worker, Entries, R]]
) -> tuple[Worker, R]:
    """Read the worker, apply `change` (the new state, its outbox entries and what the caller wants back), and
    store it in one write guarded by the version; when another write came in between, read again and retry."""
    for attempt in range(1, MAX_WRITE_ATTEMPTS + 1):
        worker = await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)
        changed, entries, result = change(worker)
        try:
            await worker_store.save_worker(db, replace(changed, version=worker.version), entries=entries)
        except ConcurrentUpdate:
            if attempt == MAX_WRITE_ATTEMPTS:
                raise
            continue
        return replace(changed, version=worker.version + 1), result
    raise AssertionError("unreachable")
