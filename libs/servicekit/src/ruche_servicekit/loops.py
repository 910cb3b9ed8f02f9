"""Housekeeping: expired records removed by the service itself, since FerretDB has no TTL index."""

from __future__ import annotations

import asyncio
import contextlib
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


Step = Callable[[AsyncDatabase[Any], datetime], Awaitable[int]]


class LeasedLoop:
    """A service's own single-worker loop (a dispatcher to an outside system): with several replicas only the
    holder of the lease `name` runs `step(db, now)`; it runs again at once while a step did work (returned more
    than 0), after each `wake()` (the service wakes its loops with its relay: after every write request and
    every handled event), and at least every `every_seconds`. A failing step is logged by type (a message
    could quote personal data) and tried again with a growing pause."""

    def __init__(
        self,
        name: str,
        db: AsyncDatabase[Any],
        step: Step,
        *,
        every_seconds: float = 1.0,
        lease_seconds: float = 10.0,
        max_backoff_seconds: float = 30.0,
    ) -> None:
        from .outbox import RelayLease  # the lease is the relay's; imported here to keep loops free of Kafka

        self.name, self._db, self._step = name, db, step
        self._every, self._max_backoff = every_seconds, max_backoff_seconds
        self.lease = RelayLease(db, seconds=lease_seconds, name=name)
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    async def run(self) -> None:
        backoff = self._every
        try:
            while True:
                self._wakeup.clear()
                try:
                    if await self.lease.hold():
                        while await self._step(self._db, datetime.now(UTC)) > 0:
                            pass
                    backoff = self._every
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning(
                        "loop step failed; retrying",
                        extra={"loop": self.name, "error_type": type(exc).__name__, "retry_in_seconds": backoff},
                    )
                    backoff = min(backoff * 2, self._max_backoff)
                try:
                    await asyncio.wait_for(self._wakeup.wait(), timeout=backoff)
                except TimeoutError:
                    pass
        finally:
            with contextlib.suppress(Exception):
                await self.lease.release()
