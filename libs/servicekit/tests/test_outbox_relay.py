"""The outbox relay against real FerretDB and Kafka: every stored event is published once and removed, what a
killed process left unnoted is found by the sweep, one relay works at a time, mails leave through the same relay."""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

import pytest
from faststream.kafka import KafkaBroker
from opentelemetry import trace
from pymongo import AsyncMongoClient, monitoring
from ruche_contracts import Topic, new_event
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit import outbox
from ruche_servicekit.outbox import OUTBOX_FIELD, PENDING, OutboxRelay, event_entry, mail_entry, push_outbox
from ruche_servicekit.telemetry import setup_tracing
from ruche_testing import eventually
from ruche_testing.kafka import read_topic

TENANT = "0403019261"


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
            event = new_event(registered(aggregate), tenant=TENANT, subject=aggregate)
            ids.append(event.id)
            await outbox.update(
                db.things, {"_id": aggregate}, {"$inc": {"n": 1}, "$push": push_outbox([event_entry(topic, event)])}
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
    assert await db[PENDING].count_documents({}) == 0


async def test_a_relay_started_later_publishes_what_was_left_pending(db, broker, kafka, topic, registered) -> None:
    event = new_event(registered("w1"), tenant=TENANT, subject="w1")
    await outbox.insert(db.things, {"_id": "w1", OUTBOX_FIELD: [event_entry(topic, event)]})
    assert await read_topic(kafka, topic.name) == []
    assert await OutboxRelay(db, ["things"], broker).publish_pending() == 1
    assert await OutboxRelay(db, ["things"], broker).publish_pending() == 0
    [record] = await read_topic(kafka, topic.name)
    assert json.loads(record.value)["id"] == event.id
    assert dict(record.headers)["content-type"] == b"application/cloudevents+json"


async def test_entries_a_killed_process_left_without_a_note_are_found_by_the_sweep(
    db, broker, kafka, topic, registered
) -> None:
    # The state and its event were stored, then the process died before noting the document.
    event = new_event(registered("w9"), tenant=TENANT, subject="w9")
    await db.things.insert_one({"_id": "w9", OUTBOX_FIELD: [event_entry(topic, event)]})
    await db.things.insert_one({"_id": "quiet", "n": 1})  # nothing pending: not noted
    relay = OutboxRelay(db, ["things"], broker)
    assert await relay.publish_pending() == 0  # a pass reads the notes only
    assert await relay.sweep() == 1
    assert await relay.publish_pending() == 1
    assert [json.loads(r.value)["id"] for r in await read_topic(kafka, topic.name)] == [event.id]


async def test_a_pass_publishes_a_batch_with_one_removal_per_document(
    db, scratch_mongodb_url, broker, kafka, topic, registered
) -> None:
    for n in range(20):
        events = [new_event(registered(f"b{n}"), tenant=TENANT, subject=f"b{n}") for _ in range(3)]
        await outbox.insert(db.things, {"_id": f"b{n}", OUTBOX_FIELD: [event_entry(topic, e) for e in events]})
    updates = _UpdateCounter()
    client: AsyncMongoClient[Any] = AsyncMongoClient(scratch_mongodb_url, tz_aware=True, event_listeners=[updates])
    try:
        assert await OutboxRelay(client[db.name], ["things"], broker).publish_pending() == 60
    finally:
        await client.close()
    assert updates.statements["things"] == 20  # one $pullAll per document, not one per event ...
    assert updates.commands["things"] == 1  # ... sent in one bulk write
    assert len(await read_topic(kafka, topic.name)) == 60


async def test_only_the_lease_holder_relays(db, broker, kafka, topic, registered) -> None:
    first = OutboxRelay(db, ["things"], broker, lease_seconds=5)
    second = OutboxRelay(db, ["things"], broker, lease_seconds=5)
    assert await first.lease.hold() is True
    assert await second.lease.hold() is False
    assert await first.lease.hold() is True  # renewing
    await first.lease.release()
    assert await second.lease.hold() is True
    assert await first.lease.hold() is False


async def test_a_lapsed_lease_is_taken_over(db, broker) -> None:
    first = OutboxRelay(db, ["things"], broker, lease_seconds=0.2)
    second = OutboxRelay(db, ["things"], broker, lease_seconds=5)
    assert await first.lease.hold() is True
    await asyncio.sleep(0.3)  # the first holder stopped renewing (killed)
    assert await second.lease.hold() is True


async def test_mails_leave_through_the_relay_and_are_removed_once_sent(db, broker) -> None:
    sent: list[dict[str, Any]] = []

    async def send(mail: Any) -> None:
        sent.append(dict(mail))

    mail = mail_entry(to="ada@example.be", subject="Hello", body="Your code: 123", template="hello")
    await outbox.insert(db.accounts, {"_id": "a1", OUTBOX_FIELD: [mail]})
    relay = OutboxRelay(db, ["accounts"], broker, send_mail=send)
    assert await relay.publish_pending() == 1
    assert [m["to"] for m in sent] == ["ada@example.be"]
    assert (await db.accounts.find_one({"_id": "a1"}))[OUTBOX_FIELD] == []  # the secret left the database


async def test_a_failed_send_leaves_the_entries_noted_for_the_next_pass(db, broker) -> None:
    async def smtp_down(mail: Any) -> None:
        raise ConnectionRefusedError("smtp down")

    mail = mail_entry(to="ada@example.be", subject="Hello", body="x", template="hello")
    await outbox.insert(db.accounts, {"_id": "a2", OUTBOX_FIELD: [mail]})
    with pytest.raises(ConnectionRefusedError):
        await OutboxRelay(db, ["accounts"], broker, send_mail=smtp_down).publish_pending()
    assert await db[PENDING].find_one({"_id": "accounts/a2"})
    sent: list[Any] = []

    async def smtp_up(m: Any) -> None:
        sent.append(m)

    assert await OutboxRelay(db, ["accounts"], broker, send_mail=smtp_up).publish_pending() == 1
    assert len(sent) == 1


async def test_the_event_carries_the_trace_of_the_request_that_stored_it(db, broker, kafka, topic, registered) -> None:
    setup_tracing("test", None)
    with trace.get_tracer("test").start_as_current_span("request") as span:
        event = new_event(registered("w2"), tenant=TENANT, subject="w2")
        await outbox.insert(db.things, {"_id": "w2", OUTBOX_FIELD: [event_entry(topic, event)]})
        trace_id = format(span.get_span_context().trace_id, "032x")
    await OutboxRelay(db, ["things"], broker).publish_pending()
    [record] = await read_topic(kafka, topic.name)
    assert json.loads(record.value)["traceparent"].split("-")[1] == trace_id


class _UpdateCounter(monitoring.CommandListener):
    def __init__(self) -> None:
        self.commands: dict[str, int] = {}
        self.statements: dict[str, int] = {}

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name == "update":
            collection = event.command["update"]
            self.commands[collection] = self.commands.get(collection, 0) + 1
            self.statements[collection] = self.statements.get(collection, 0) + len(event.command["updates"])

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass
