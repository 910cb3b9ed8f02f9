"""The outbox relay against real FerretDB and Kafka: every stored event is published once and removed."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from faststream.kafka import KafkaBroker
from opentelemetry import trace
from ruche_contracts import Topic, new_event
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.outbox import OUTBOX_FIELD, OutboxRelay, outbox_entry, push_outbox
from ruche_servicekit.telemetry import setup_tracing

from tests.e2e.support import eventually, read_topic


@pytest.fixture
async def broker(kafka: str):
    broker = KafkaBroker(kafka, acks="all", enable_idempotence=True)
    await broker.start()
    yield broker
    await broker.stop()


@pytest.fixture
def topic() -> Topic:
    return Topic(f"test.relay-{uuid.uuid4().hex[:8]}.v1", "worker_id", (WorkerRegistered,))


async def test_each_event_written_concurrently_with_its_state_is_published_once(
    db, broker, kafka, topic, registered
) -> None:
    relay = OutboxRelay(db, ["things"], broker, poll_seconds=0.05)
    running = asyncio.create_task(relay.run())
    ids: list[str] = []

    async def writer(aggregate: str) -> None:
        await db.things.insert_one({"_id": aggregate, "n": 0, OUTBOX_FIELD: []})
        for _ in range(10):
            event = new_event(registered(aggregate), tenant="0403019261", subject=aggregate)
            ids.append(event.id)
            await db.things.update_one(
                {"_id": aggregate}, {"$inc": {"n": 1}, "$push": push_outbox([outbox_entry(topic, event)])}
            )
            relay.wake()

    try:
        await asyncio.gather(*(writer(f"agg-{i}") for i in range(5)))

        async def all_published():
            pending = await db.things.count_documents({f"{OUTBOX_FIELD}.0": {"$exists": True}})
            return pending == 0 and len(await read_topic(kafka, topic.name)) >= len(ids)

        await eventually(all_published, what="every event published and removed")
    finally:
        running.cancel()
    records = await read_topic(kafka, topic.name)
    published = [json.loads(r.value)["id"] for r in records]
    assert sorted(published) == sorted(ids)  # each exactly once
    assert [doc["n"] for doc in await db.things.find().to_list()] == [10] * 5  # no state update lost
    for record in records:  # keyed by aggregate, so per-aggregate order holds
        assert record.key == json.loads(record.value)["subject"].encode()
    per_aggregate: dict[bytes, list[str]] = {}
    for record in records:
        per_aggregate.setdefault(record.key, []).append(json.loads(record.value)["id"])
    for key, published_ids in per_aggregate.items():
        assert published_ids == [i for i in ids if i in set(published_ids)], key


async def test_a_relay_started_later_publishes_what_was_left_pending(db, broker, kafka, topic, registered) -> None:
    event = new_event(registered("w1"), tenant="0403019261", subject="w1")
    await db.things.insert_one({"_id": "w1", OUTBOX_FIELD: [outbox_entry(topic, event)]})
    assert await read_topic(kafka, topic.name) == []
    assert await OutboxRelay(db, ["things"], broker).publish_pending() == 1
    assert await OutboxRelay(db, ["things"], broker).publish_pending() == 0
    [record] = await read_topic(kafka, topic.name)
    assert json.loads(record.value)["id"] == event.id
    assert dict(record.headers)["content-type"] == b"application/cloudevents+json"


async def test_the_event_carries_the_trace_of_the_request_that_stored_it(db, broker, kafka, topic, registered) -> None:
    setup_tracing("test", None)
    with trace.get_tracer("test").start_as_current_span("request") as span:
        event = new_event(registered("w2"), tenant="0403019261", subject="w2")
        await db.things.insert_one({"_id": "w2", OUTBOX_FIELD: [outbox_entry(topic, event)]})
        trace_id = format(span.get_span_context().trace_id, "032x")
    await OutboxRelay(db, ["things"], broker).publish_pending()
    [record] = await read_topic(kafka, topic.name)
    assert json.loads(record.value)["traceparent"].split("-")[1] == trace_id
