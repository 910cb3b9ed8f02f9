"""The loop every relay runs: a pass now, then again when woken or after `poll_seconds`; on failure, again
after a backoff that doubles up to `max_backoff_seconds`."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def relay_loop(
    one_pass: Callable[[], Awaitable[int]],
    wakeup: asyncio.Event,
    *,
    name: str,
    poll_seconds: float,
    max_backoff_seconds: float = 30.0,
) -> None:
    backoff = poll_seconds
    while True:
        try:
            while await one_pass() > 0:
                pass  # more may be pending than one pass takes, or written meanwhile
            backoff = poll_seconds
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # The type only: a message could quote a document (personal data).
            log.warning(
                f"{name} pass failed; retrying", extra={"error_type": type(exc).__name__, "retry_in_seconds": backoff}
            )
            backoff = min(backoff * 2, max_backoff_seconds)
        wakeup.clear()
        try:
            await asyncio.wait_for(wakeup.wait(), timeout=backoff)
        except TimeoutError:
            pass
