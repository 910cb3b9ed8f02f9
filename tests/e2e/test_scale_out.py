"""Scale-out: two replicas of a service share its consumer group's partitions (records are keyed by aggregate, so
each worker's events stay in order on one of them), only one relay publishes, and when a replica dies the other
takes its partitions and the relay over, losing nothing and publishing nothing twice."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

import httpx
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.coordinator.protocol import ConsumerProtocolMemberAssignment
from ruche_devstack.stack import Stack
from ruche_testing import eventually
from ruche_testing.kafka import read_topic

from .support import Employer, hire

WORKERS_TOPIC, CALENDARS_TOPIC = "people.workers.v1", "calendar.calendars.v1"


async def assignments(bootstrap: str, group: str) -> list[set[int]]:
    """The partitions of people's topic each member of the consumer group holds."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        [response] = await admin.describe_consumer_groups([group])
    finally:
        await admin.close()
    [described] = response.groups
    members = described[5]
    held = []
    for member in members:
        assignment = ConsumerProtocolMemberAssignment.decode(member[4]) if member[4] else None
        held.append(
            {
                p
                for topic, parts in (assignment.assignment if assignment else [])
                for p in parts
                if topic == WORKERS_TOPIC
            }
        )
    return held


async def hire_many(employer: Employer, count: int) -> list[str]:
    start = date.today().replace(day=1)
    return [(await hire(employer, start))[1]["contract_id"] for _ in range(count)]


async def calendars_readable(employer: Employer, contract_ids: list[str]) -> None:
    month = date.today().strftime("%Y-%m")

    async def all_there() -> bool:
        for contract_id in contract_ids:
            if (await employer.get(f"/calendar/calendars/{contract_id}:{month}")).status_code != 200:
                return False
        return True

    await eventually(all_there, timeout=60, what="every hire's calendar")


async def opened_per_contract(bootstrap: str, contract_ids: list[str]) -> Counter[str]:
    records = await read_topic(bootstrap, CALENDARS_TOPIC)
    opened = [json.loads(r.value)["data"] for r in records]
    return Counter(d["contract_id"] for d in opened if d["contract_id"] in set(contract_ids))


async def test_two_replicas_share_the_work_and_each_event_leaves_once(
    stack: Stack, employer: Employer, gateway: httpx.AsyncClient
) -> None:
    stack.start_replica("calendar", 2)
    try:

        async def both_consuming() -> list[set[int]] | None:
            held = await assignments(stack.kafka_bootstrap, "calendar")
            return held if len(held) == 2 and all(held) else None

        held = await eventually(both_consuming, what="both replicas to hold partitions")
        assert held[0].isdisjoint(held[1])  # each its share

        before = await hire_many(employer, 12)
        await calendars_readable(employer, before)

        async def published_once() -> Counter[str] | None:
            counts = await opened_per_contract(stack.kafka_bootstrap, before)
            return counts if set(counts) == set(before) else None

        counts = await eventually(published_once, what="every CalendarOpened on Kafka")
        assert set(counts.values()) == {1}, counts  # one relay: no event published twice

        stack.kill_service("calendar-2")  # a replica dies without a word
        after = await hire_many(employer, 12)
        await calendars_readable(employer, after)  # its partitions (and the relay, if it held it) moved over

        async def all_published() -> Counter[str] | None:
            counts = await opened_per_contract(stack.kafka_bootstrap, before + after)
            return counts if set(counts) == set(before + after) else None

        counts = await eventually(all_published, timeout=60, what="every CalendarOpened after the failover")
        assert set(counts.values()) == {1}, counts
    finally:
        stack.stop_service("calendar-2")
