"""`make bench`, the platform: what the database costs when nothing happens, how fast events leave, and how long
a hire takes to reach the calendar, on the whole stack (Kafka, FerretDB, the five services, the gateway) started
on free ports. Printed next to the raw Kafka round trip measured in the same run.

1. Raw aiokafka produce → consume round trip, 300 records at 50 per second.
2. 10,000 workers registered through the gateway (every consumer does its share: vaults, employee accounts,
   calendars' and presence's copies), then each process's CPU while nothing happens, FerretDB's first.
3. Event lag: hires (a worker, then a contract) at a steady 5 and 50 per second; for each, the time from the
   contract's 201 to its calendar's CalendarOpened arriving on Kafka (the calendar is stored by then, and one GET
   through the gateway checks it is readable); p50 and p99.
4. Relay throughput: 2,000 events stored while people's relay is off, then published when it starts; events per
   second from the first to the last record's broker timestamp.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from ruche_devstack.kafka import ensure_topics
from ruche_devstack.ports import ephemeral_profile
from ruche_devstack.stack import Stack
from ruche_testing.kafka import partitions_of

from tests.e2e.support import Employer, contract_body, register_employer, worker_body

STORED_WORKERS, LOAD_CONCURRENCY = 10_000, 16
IDLE_SECONDS = 30
LAG_RUNS = ((5, 20.0), (15, 20.0), (50, 10.0))  # (hires per second, seconds)
RELAY_EVENTS = 2_000
RAW_RECORDS, RAW_RATE = 300, 50
TICKS = os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process and its waited-for children, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICKS


async def raw_round_trip(bootstrap: str) -> list[float]:
    topic = f"bench.raw-{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, [topic])
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=500)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all", enable_idempotence=True)
    await consumer.start()
    await producer.start()
    sent: dict[bytes, float] = {}
    received: list[float] = []
    try:
        consumer.assign([TopicPartition(topic, 0)])
        await consumer.seek_to_end(TopicPartition(topic, 0))

        async def consume() -> None:
            while len(received) < RAW_RECORDS:
                batch = await consumer.getmany(timeout_ms=200)
                for records in batch.values():
                    for record in records:
                        received.append(time.perf_counter() - sent[record.value])

        reader = asyncio.create_task(consume())
        for n in range(RAW_RECORDS):
            value = n.to_bytes(4, "big") + os.urandom(1020)  # 1 KB, like an event
            sent[value] = time.perf_counter()
            await producer.send(topic, value)
            await asyncio.sleep(1 / RAW_RATE)
        await asyncio.wait_for(reader, 30)
    finally:
        await producer.stop()
        await consumer.stop()
    return received


async def register(employer: Employer, n: int) -> str:
    while True:  # a random NISS may already be taken by an earlier worker: draw again
        answer = await employer.post("/people/workers", worker_body())
        if answer.status_code == 201:
            return str(answer.json()["worker_id"])
        assert answer.status_code == 409, answer.text


async def load_workers(employer: Employer, count: int) -> float:
    queue = iter(range(count))
    started = time.perf_counter()

    async def worker() -> None:
        for n in queue:
            await register(employer, n)

    await asyncio.gather(*(worker() for _ in range(LOAD_CONCURRENCY)))
    return time.perf_counter() - started


async def wait_for(description: str, probe: Callable[[], Awaitable[bool]], timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while not await probe():
        if time.monotonic() > deadline:
            raise TimeoutError(description)
        await asyncio.sleep(1)


async def idle_cpu(stack: Stack) -> dict[str, float]:
    processes = {name: stack.process(name).pid for name in ("ferretdb", "kafka", *stack.services)}
    before = {name: cpu_seconds(pid) for name, pid in processes.items() if pid}
    await asyncio.sleep(IDLE_SECONDS)
    return {name: (cpu_seconds(processes[name]) - spent) / IDLE_SECONDS * 100 for name, spent in before.items()}


class CalendarWatch:
    """Reads calendar.calendars.v1 as it grows: when a contract's CalendarOpened arrives, its calendar is stored
    (the event leaves with the document). Polling every hire's calendar would load the platform it measures."""

    def __init__(self, bootstrap: str) -> None:
        self._consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
        self._bootstrap = bootstrap
        self._waiting: dict[str, asyncio.Future[float]] = {}
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self._consumer.start()
        tps = [
            TopicPartition("calendar.calendars.v1", p)
            for p in await partitions_of(self._bootstrap, "calendar.calendars.v1")
        ]
        self._consumer.assign(tps)
        await self._consumer.seek_to_end(*tps)
        self._task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        while True:
            for records in (await self._consumer.getmany(timeout_ms=100)).values():
                arrived = time.perf_counter()
                for record in records:
                    contract_id = json.loads(record.value)["data"]["contract_id"]
                    self._waiting.setdefault(contract_id, asyncio.get_running_loop().create_future())
                    if not self._waiting[contract_id].done():
                        self._waiting[contract_id].set_result(arrived)

    def opened(self, contract_id: str) -> asyncio.Future[float]:
        return self._waiting.setdefault(contract_id, asyncio.get_running_loop().create_future())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        await self._consumer.stop()


async def hire_and_time(employer: Employer, client: httpx.AsyncClient, start: date, watch: CalendarWatch) -> float:
    worker = await register(employer, 0)
    contract = await employer.post(f"/people/workers/{worker}/contracts", contract_body(start))
    created = time.perf_counter()
    assert contract.status_code == 201, contract.text
    contract_id = contract.json()["contract_id"]
    arrived = await asyncio.wait_for(watch.opened(contract_id), 120)
    calendar = await client.get(f"/calendar/calendars/{contract_id}:{start:%Y-%m}", headers=employer.headers())
    assert calendar.status_code == 200, calendar.text  # readable when its event is out, as promised
    return arrived - created


async def event_lag(
    employer: Employer, client: httpx.AsyncClient, rate: int, seconds: float, watch: CalendarWatch
) -> list[float]:
    start = date.today().replace(day=1)
    tasks = []
    began = time.perf_counter()
    for n in range(int(rate * seconds)):
        await asyncio.sleep(max(0.0, began + n / rate - time.perf_counter()))
        tasks.append(asyncio.create_task(hire_and_time(employer, client, start, watch)))
    return list(await asyncio.gather(*tasks))


async def topic_end(bootstrap: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    try:
        tps = [TopicPartition(topic, p) for p in await partitions_of(bootstrap, topic)]
        return sum((await consumer.end_offsets(tps)).values())
    finally:
        await consumer.stop()


async def broker_timestamps(bootstrap: str, topic: str, since: dict[int, int]) -> list[int]:
    """The broker-side timestamps of the records after the given offsets, all partitions."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    stamps: list[int] = []
    try:
        tps = [TopicPartition(topic, p) for p in since]
        consumer.assign(tps)
        ends = await consumer.end_offsets(tps)
        for tp in tps:
            consumer.seek(tp, since[tp.partition])
        while [tp for tp in tps if await consumer.position(tp) < ends[tp]]:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                stamps.extend(r.timestamp for r in records)
    finally:
        await consumer.stop()
    return stamps


async def relay_throughput(stack: Stack, employer: Employer) -> tuple[int, float]:
    bootstrap, topic = stack.kafka_bootstrap, "people.workers.v1"
    stack.restart_service("people", extra_env={"OUTBOX_RELAY_ENABLED": "false"})
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap)
    await consumer.start()
    tps = [TopicPartition(topic, p) for p in await partitions_of(bootstrap, topic)]
    before = {tp.partition: offset for tp, offset in (await consumer.end_offsets(tps)).items()}
    await consumer.stop()
    await load_workers(employer, RELAY_EVENTS)  # stored with their events, none published
    stack.restart_service("people")
    expected = sum(before.values()) + RELAY_EVENTS

    async def all_published() -> bool:
        return await topic_end(bootstrap, topic) >= expected

    await wait_for("the relay to publish what was pending", all_published, timeout=300)
    stamps = await broker_timestamps(bootstrap, topic, before)
    return len(stamps), (max(stamps) - min(stamps)) / 1000


async def main(parts: set[str]) -> None:
    """Run the parts asked for (all by default): raw, idle, lag, relay. Each prints as soon as it is measured."""
    ms = 1000
    print(f"platform benchmark ({os.cpu_count()}-core machine; one run, loopback)", flush=True)
    with Stack(ephemeral_profile("bench")) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=60) as client:
            employer = await register_employer(client, stack)
            raw = await raw_round_trip(stack.kafka_bootstrap)
            print(
                f"  raw aiokafka produce→consume, {RAW_RATE}/s: p50 {percentile(raw, 50) * ms:6.1f} ms  "
                f"p99 {percentile(raw, 99) * ms:6.1f} ms",
                flush=True,
            )
            if "idle" in parts:
                await stored_and_idle(stack, employer)
            if "lag" in parts:
                watch = CalendarWatch(stack.kafka_bootstrap)
                await watch.start()
                for rate, seconds in LAG_RUNS:
                    values = await event_lag(employer, client, rate, seconds, watch)
                    print(
                        f"  hire at {rate:>2}/s, contract 201 → calendar readable ({len(values)} hires): "
                        f"p50 {percentile(values, 50) * ms:6.1f} ms  p99 {percentile(values, 99) * ms:6.1f} ms  "
                        f"max {max(values) * ms:6.1f} ms",
                        flush=True,
                    )
                await watch.stop()
            if "relay" in parts:
                published, spread = await relay_throughput(stack, employer)
                rate = published / max(spread, 1e-3)
                print(
                    f"  relay: {published} pending events published in {spread:.2f} s: {rate:.0f} events/s", flush=True
                )


async def stored_and_idle(stack: Stack, employer: Employer) -> None:
    load_seconds = await load_workers(employer, STORED_WORKERS)
    print(
        f"  {STORED_WORKERS} workers registered through the gateway in {load_seconds:.0f} s "
        f"({STORED_WORKERS / load_seconds:.0f}/s)",
        flush=True,
    )
    started = time.perf_counter()

    async def consumers_done() -> bool:
        vaults = await employer.get("/vault/vaults", params={"limit": 1})
        return bool(vaults.json()["total"] >= STORED_WORKERS)

    await wait_for("every vault to be opened", consumers_done)
    print(f"    every consumer done {time.perf_counter() - started:.0f} s later", flush=True)
    await asyncio.sleep(5)  # let the last relays settle before measuring "idle"
    idle = await idle_cpu(stack)
    print(f"  CPU while idle with {STORED_WORKERS} workers stored (mean over {IDLE_SECONDS} s, % of one core):")
    for name, percent in idle.items():
        print(f"    {name:10} {percent:6.2f} %", flush=True)


if __name__ == "__main__":
    asyncio.run(main(set(sys.argv[1:]) or {"idle", "lag", "relay"}))
