"""A service's own loop under a lease (people's Dimona dispatcher): one replica works at a time, a wake makes it
work at once, a failing step does not stop it, and leases of different names do not exclude each other."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from ruche_servicekit.loops import LeasedLoop
from ruche_servicekit.outbox import RelayLease
from ruche_testing import eventually


class Steps:
    """A step that does `work` units once each, counting calls; it fails on its first call when told to."""

    def __init__(self, work: int = 0, *, fail_first: bool = False) -> None:
        self.work, self.calls, self.fail_first = work, 0, fail_first

    async def __call__(self, db: AsyncDatabase[Any], now: datetime) -> int:
        self.calls += 1
        if self.fail_first and self.calls == 1:
            raise RuntimeError("the outside system is down")
        done, self.work = min(self.work, 1), max(self.work - 1, 0)
        return done


async def running(loop: LeasedLoop) -> asyncio.Task[None]:
    return asyncio.create_task(loop.run())


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def test_only_the_holder_of_the_lease_works_and_a_wake_works_at_once(db: AsyncDatabase[Any]) -> None:
    first_steps, second_steps = Steps(), Steps()
    first = LeasedLoop("dispatcher", db, first_steps, every_seconds=30, lease_seconds=30)
    second = LeasedLoop("dispatcher", db, second_steps, every_seconds=30, lease_seconds=30)
    one = await running(first)
    await eventually(lambda: _true(first_steps.calls >= 1), what="the first loop's first step")
    two = await running(second)
    first_steps.work = 3
    first.wake()  # an every-30-seconds loop works now, and until nothing is left
    await eventually(lambda: _true(first_steps.work == 0), what="the woken loop to do all the work")
    assert not await second.lease.hold()  # the second replica waits while the first holds the lease
    assert second_steps.calls == 0
    await stop(one)  # stopping releases the lease: the other replica takes over on its next wake
    second.wake()
    await eventually(lambda: _true(second_steps.calls >= 1), what="the other replica to take over")
    await stop(two)


async def test_a_failing_step_is_tried_again(db: AsyncDatabase[Any]) -> None:
    steps = Steps(work=1, fail_first=True)
    loop = LeasedLoop("flaky", db, steps, every_seconds=0.05, lease_seconds=5)
    task = await running(loop)
    await eventually(lambda: _true(steps.work == 0), what="the work done after the failure")
    await stop(task)


async def test_leases_of_different_names_are_independent(db: AsyncDatabase[Any]) -> None:
    relay = RelayLease(db, seconds=5)
    dispatcher = RelayLease(db, seconds=5, name="dimona")
    assert await relay.hold() and await dispatcher.hold()
    assert not await RelayLease(db, seconds=5, name="dimona").hold()


async def _true(value: bool) -> bool:
    return value
