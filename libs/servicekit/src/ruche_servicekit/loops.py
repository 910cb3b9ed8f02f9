"""Housekeeping: expired records removed by the service itself, since FerretDB has no TTL index."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

log = logging.getLogger(__name__)
Chore = Callable[[AsyncDatabase[Any], datetime], Awaitable[int]]


async def housekeeping(db: AsyncDatabase[Any], chores: Sequence[Chore], *, every_seconds: float) -> None:
    """Run each chore (`chore(db, now)` → records removed) now and then every `every_seconds`; a failing chore
    is logged and tried again next time."""
    while True:
        for chore in chores:
            try:
                removed = await chore(db, datetime.now(UTC))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning(
                    "housekeeping chore failed", extra={"chore": chore.__name__, "error_type": type(exc).__name__}
                )
                continue
            if removed:
                log.info("expired records removed", extra={"chore": chore.__name__, "removed": removed})
        await asyncio.sleep(every_seconds)
