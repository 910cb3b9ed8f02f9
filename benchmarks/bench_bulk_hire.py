"""`make bench`, bulk hire (issue 8): 5,000 workers hired through people's bulk API (10 calls of 500, each worker
with personal data and a contract declared to the ONSS simulator), timed until calendar, presence and vault all
reflect every one; printed next to raw aiokafka producing and consuming 5,000 records of the same size (one
hire's ContractSigned event) to a fresh topic in the same run, and the ratio of the two rates.

"Reflect" is what a user of each service sees: a calendar per contract and a vault per worker (counted as their
CalendarOpened and VaultOpened events arrive on Kafka: each leaves with its stored document, so it is readable by
then, and one GET of each list checks the totals at the end), and the worker in service on the contract's start
day for presence (`GET /presence/workers?on=` total, fed by the accepted Dimona periods, read every few seconds).
Polling every list instead would load the database the services share with the measure (each count reads every
document of the employer).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from ruche_contracts import new_event, to_wire
from ruche_contracts.people import ContractSigned
from ruche_devstack.kafka import ensure_topics
from ruche_devstack.ports import ephemeral_profile
from ruche_devstack.stack import Stack
from ruche_testing.kafka import partitions_of

from tests.e2e.support import Employer, contract_body, login, register_employer, worker_body

WORKERS, BATCH, CONCURRENT_CALLS = 5_000, 500, 2
TARGET_RATIO = 0.25


def event_size() -> int:
    """The size on the wire of one hire's ContractSigned, the largest event a hire raises."""
    event = new_event(
        ContractSigned(
            worker_id=str(uuid.uuid4()),
            contract_id=str(uuid.uuid4()),
            start_date=date.today(),
            contract_type="open_ended",
            weekly_hours=Decimal("38"),
            gross_monthly_salary=Decimal("3150.00"),
            joint_committee="200",
            worker_type="OTH",
            full_time_weekly_hours=Decimal("38"),
            minutes_by_weekday={"mon": 456, "tue": 456, "wed": 456, "thu": 456, "fri": 456},
            job_title="Boulanger",
        ),
        tenant="0123456749",
        subject=str(uuid.uuid4()),
    )
    return len(to_wire(event))


async def raw_rate(bootstrap: str, count: int, size: int) -> float:
    """Records per second from the first send to the last record consumed, on a fresh topic."""
    topic = f"bench.bulk-raw-{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [topic])
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=100)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    try:
        tp = TopicPartition(topic, 0)
        consumer.assign([tp])
        await consumer.seek_to_beginning(tp)
        received = 0

        async def consume() -> None:
            nonlocal received
            while received < count:
                for records in (await consumer.getmany(timeout_ms=200)).values():
                    received += len(records)

        started = time.perf_counter()
        reader = asyncio.create_task(consume())
        acks = [await producer.send(topic, os.urandom(size), key=uuid.uuid4().bytes) for _ in range(count)]
        await asyncio.gather(*acks)
        await asyncio.wait_for(reader, 120)
        return count / (time.perf_counter() - started)
    finally:
        await producer.stop()
        await consumer.stop()


def bulk_items(count: int, start: date, taken: set[str]) -> list[dict[str, Any]]:
    """`count` hires, each with a NISS no other hire of the run has (random ones collide now and then)."""
    items: list[dict[str, Any]] = []
    while len(items) < count:
        worker = worker_body()
        if worker["personal_data"]["niss"] not in taken:
            taken.add(worker["personal_data"]["niss"])
            items.append(worker | {"contract": contract_body(start)})
    return items


async def total(employer: Employer, path: str, **params: Any) -> int:
    """The total of a list, or -1 while it cannot be read (a busy identity's keys, an access token to renew)."""
    answer = await employer.get(path, params={"limit": 1, **params})
    if answer.status_code == 401:  # the access token lasts 15 minutes; a long run outlives it
        employer.token = await login(employer.client, employer.username, employer.password)
        return -1
    if answer.status_code == 503:
        return -1
    assert answer.status_code == 200, answer.text
    return int(answer.json()["total"])


async def wait_for(
    description: str, probe: Callable[[], Awaitable[bool]], *, every: float = 1.0, timeout: float = 1800
) -> float:
    deadline = time.monotonic() + timeout
    while not await probe():
        if time.monotonic() > deadline:
            raise TimeoutError(description)
        await asyncio.sleep(every)
    return time.perf_counter()


class EventCount:
    """Counts one event type of one employer on a topic, from the topic's end when started."""

    def __init__(self, bootstrap: str, topic: str, event_type: str, tenant: str) -> None:
        self._bootstrap, self._topic, self._type, self._tenant = bootstrap, topic, event_type, tenant
        self._consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self.seen: set[str] = set()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._consumer.start()
        tps = [TopicPartition(self._topic, p) for p in await partitions_of(self._bootstrap, self._topic)]
        self._consumer.assign(tps)
        await self._consumer.seek_to_end(*tps)
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            for records in (await self._consumer.getmany(timeout_ms=200)).values():
                for record in records:
                    event = json.loads(record.value)
                    if event.get("type") == self._type and event.get("tenant") == self._tenant:
                        self.seen.add(event["subject"])

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        await self._consumer.stop()


async def bulk_hire(employer: Employer, count: int, bootstrap: str) -> dict[str, float]:
    """Hire `count` workers, then wait for each service to reflect all; seconds from the first call."""
    start = date.today() + timedelta(days=7)  # a contract in the future: the Dimona IN is on time
    taken: set[str] = set()
    batches = [bulk_items(min(BATCH, count), start, taken) for _ in range(max(count // BATCH, 1))]
    semaphore = asyncio.Semaphore(CONCURRENT_CALLS)
    calendars = EventCount(
        bootstrap, "calendar.calendars.v1", "be.ruche.calendar.calendar-opened.v1", employer.enterprise_number
    )
    vaults = EventCount(bootstrap, "vault.vaults.v1", "be.ruche.vault.vault-opened.v1", employer.enterprise_number)
    await calendars.start()
    await vaults.start()
    began = time.perf_counter()

    async def call(items: list[dict[str, Any]]) -> None:
        async with semaphore:
            answer = await employer.post(
                "/people/workers/bulk", {"items": items}, headers={"Idempotency-Key": str(uuid.uuid4())}
            )
        assert answer.status_code == 200, answer.text
        refused = [r for r in answer.json()["results"] if r["status"] != "created"]
        assert not refused, refused[:3]

    await asyncio.gather(*(call(items) for items in batches))
    answered = time.perf_counter()
    print(f"  {count} hires answered by the bulk API in {answered - began:.1f} s", flush=True)

    async def seen(path: str, **params: Any) -> bool:
        return await total(employer, path, **params) >= count

    async def counted(events: EventCount) -> bool:
        return len(events.seen) >= count

    calendar, vault, presence = await asyncio.gather(
        wait_for("calendars", lambda: counted(calendars), every=0.2),
        wait_for("vaults", lambda: counted(vaults), every=0.2),
        wait_for("presence", lambda: seen("/presence/workers", on=start.isoformat()), every=5),
    )
    await calendars.stop()
    await vaults.stop()
    assert await total(employer, "/calendar/calendars") >= count and await total(employer, "/vault/vaults") >= count
    return {
        "bulk calls answered": answered - began,
        "calendar": calendar - began,
        "vault": vault - began,
        "presence": presence - began,
    }


async def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else WORKERS
    size = event_size()
    print(f"bulk-hire benchmark ({os.cpu_count()}-core machine; one run, loopback)", flush=True)
    with Stack(ephemeral_profile("bench-bulk")) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=600) as client:
            employer = await register_employer(client, stack)
            raw = await raw_rate(stack.kafka_bootstrap, count, size)
            print(f"  raw aiokafka, {count} records of {size} B produced and consumed: {raw:.0f} records/s", flush=True)
            times = await bulk_hire(employer, count, stack.kafka_bootstrap)
            for what, seconds in times.items():
                print(f"  {what:22} {seconds:7.1f} s", flush=True)
            everything = max(times.values())
            rate = count / everything
            print(
                f"  {count} hires reflected in calendar, presence and vault in {everything:.1f} s: {rate:.0f} hires/s, "
                f"{rate / raw:.1%} of the raw rate (target {TARGET_RATIO:.0%})",
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())
