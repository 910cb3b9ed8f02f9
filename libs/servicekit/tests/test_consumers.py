"""Consumers against real Kafka and FerretDB: once per event, dead letters for what cannot be handled."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from faststream.kafka import KafkaBroker
from pymongo.errors import AutoReconnect
from ruche_contracts import CloudEvent, Topic, new_event, to_wire
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.consumers import subscribe
from ruche_servicekit.inbox import INBOX_FIELD, apply_once
from ruche_servicekit.settings import ServiceSettings
from ruche_testing import eventually
from ruche_testing.kafka import publish_raw, read_topic


@pytest.fixture
def topic() -> Topic:
    return Topic(f"test.consume-{uuid.uuid4().hex[:8]}.v1", "worker_id", (WorkerRegistered,))


async def test_a_redelivered_event_is_applied_once_and_a_failing_one_is_dead_lettered(
    db, kafka, topic, registered
) -> None:
    attempts: dict[str, int] = {}

    async def handle(event: CloudEvent[WorkerRegistered]) -> None:
        attempts[event.data.worker_id] = attempts.get(event.data.worker_id, 0) + 1
        if event.data.worker_id == "poison":
            raise RuntimeError("cannot handle this one")
        if event.data.worker_id == "w2" and attempts["w2"] <= 5:
            raise AutoReconnect("database away")  # an outage longer than max_attempts: not dead-lettered
        await apply_once(db.seen, {"_id": event.data.worker_id}, {"$inc": {"count": 1}}, event_id=event.id, upsert=True)

    broker = KafkaBroker(kafka)
    handled: list[int] = []
    subscribe(
        broker,
        topic,
        {WorkerRegistered: handle},
        settings=ServiceSettings(service_name=f"g-{uuid.uuid4().hex[:6]}", consumer_retry_backoff_seconds=0.01),
        on_handled=lambda: handled.append(1),
    )
    await broker.start()
    try:
        first = new_event(registered("w1"), tenant="0403019261", subject="w1")
        for event in (
            first,
            first,
            new_event(registered("poison"), tenant="0403019261", subject="poison"),
            new_event(registered("w2"), tenant="0403019261", subject="w2"),
        ):
            await publish_raw(kafka, topic.name, to_wire(event), key=event.subject.encode())
        await publish_raw(kafka, topic.name, b"\x00garbage", key=b"g")
        await publish_raw(kafka, topic.name, to_wire(new_event(registered("w3"), tenant="0403019261", subject="w3")))

        async def done():
            return await db.seen.find_one({"_id": "w3"})

        await eventually(done, what="the last good event handled")
        assert (await db.seen.find_one({"_id": "w1"}))["count"] == 1  # delivered twice, applied once
        assert (await db.seen.find_one({"_id": "w2"}))["count"] == 1  # after the poison, the consumer went on
        assert attempts["poison"] == 3
        assert attempts["w2"] == 6
        assert handled  # each handled batch wakes the relay

        async def dead_letters():
            records = await read_topic(kafka, topic.dlq)
            return records if len(records) == 2 else None

        poison, garbage = await eventually(dead_letters, what="two dead letters")
        assert json.loads(poison.value)["data"]["worker_id"] == "poison"
        assert dict(poison.headers)["x-ruche-error"] == b"cannot handle this one"
        assert dict(poison.headers)["x-ruche-attempts"] == b"3"
        assert garbage.value == b"\x00garbage"
        assert dict(garbage.headers)["x-ruche-error-type"] == b"Rejected"
        assert dict(garbage.headers)["x-ruche-original-topic"] == topic.name.encode()
    finally:
        await broker.stop()


async def test_apply_once_reports_whether_it_changed_anything(db) -> None:
    assert await apply_once(db.t, {"_id": "a"}, {"$set": {"x": 1}}, event_id="e1", upsert=True) is True
    assert await apply_once(db.t, {"_id": "a"}, {"$set": {"x": 2}}, event_id="e1", upsert=True) is False
    assert await apply_once(db.t, {"_id": "a"}, {"$set": {"x": 3}}, event_id="e2", upsert=True) is True
    assert (await db.t.find_one({"_id": "a"}))["x"] == 3
    assert await apply_once(db.t, {"_id": "missing"}, {"$set": {"x": 1}}, event_id="e3") is False


async def test_the_inbox_forgets_an_event_only_after_its_retention(db) -> None:
    t0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
    keep = timedelta(days=14)
    for n in range(30):
        await apply_once(db.t, {"_id": "a"}, {"$inc": {"n": 1}}, event_id=f"e{n}", upsert=True, now=t0, retention=keep)
    assert len((await db.t.find_one({"_id": "a"}))[INBOX_FIELD]["20260101"]) == 30
    # Redelivered within the retention, on another day: recognised.
    assert (
        await apply_once(db.t, {"_id": "a"}, {"$inc": {"n": 1}}, event_id="e0", now=t0 + keep, retention=keep) is False
    )
    # A later write after the retention drops the expired days: the inbox does not grow without end.
    later = t0 + keep + timedelta(days=1)
    assert await apply_once(db.t, {"_id": "a"}, {"$inc": {"n": 1}}, event_id="new", now=later, retention=keep) is True
    doc = await db.t.find_one({"_id": "a"})
    assert doc[INBOX_FIELD] == {"20260116": {"new": True}}
    assert doc["n"] == 31
