"""The real-parts proof: Kafka 4.1 (KRaft) from Maven jars, FerretDB built from Go, and the SMTP sink."""

import asyncio
import smtplib
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from pymongo import AsyncMongoClient, ReturnDocument
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError
from ruche_devstack import Stack, ephemeral_profile


@pytest.mark.infra
async def test_kafka_ferretdb_and_smtp_for_real(run_dir: Path) -> None:
    # env={} so a KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL in the outer environment cannot skip the real thing.
    stack = Stack(ephemeral_profile("infra"), services=(), run_dir_path=run_dir, env={}, infra_timeout=60)
    stack.tools()
    started = time.monotonic()
    stack.prepare()
    try:
        stack.start_infra()
        assert time.monotonic() - started < 45
        await _kafka_round_trip(stack)
        await _mongo_checks(stack.mongodb_url)
        _smtp_round_trip(stack)
    finally:
        stack.stop()
    assert stack.leftovers() == {}
    assert not list(stack.pid_dir.iterdir())


async def _kafka_round_trip(stack: Stack) -> None:
    assert await stack.ensure_topics(["devstack.created"]) == ["devstack.created"]
    assert await stack.ensure_topics(["devstack.created"]) == []

    producer = AIOKafkaProducer(bootstrap_servers=stack.kafka_bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait("devstack.created", b'{"id": 1}', key=b"k1", headers=[("h", b"v")])
    finally:
        await producer.stop()

    consumer = AIOKafkaConsumer(
        "devstack.created",
        bootstrap_servers=stack.kafka_bootstrap,
        group_id="devstack",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        message = await asyncio.wait_for(consumer.getone(), 30)
        assert (message.key, message.value, message.headers) == (b"k1", b'{"id": 1}', (("h", b"v"),))
        await consumer.commit()
    finally:
        await consumer.stop()


async def _mongo_checks(url: str) -> None:
    client: AsyncMongoClient[dict[str, object]] = AsyncMongoClient(url)
    try:
        assert (await client.admin.command("ping"))["ok"] == 1.0
        workers = client["ruche_devstack"]["workers"]
        await workers.create_index("email", unique=True)
        inserted = await workers.insert_one({"email": "ada@example.org", "name": "Ada"})
        assert (await workers.find_one({"email": "ada@example.org"}) or {})["_id"] == inserted.inserted_id
        with pytest.raises(DuplicateKeyError):
            await workers.insert_one({"email": "ada@example.org"})

        counters = client["ruche_devstack"]["counters"]
        for expected in (1, 2):
            doc = await counters.find_one_and_update(
                {"_id": "seq"}, {"$inc": {"value": 1}}, upsert=True, return_document=ReturnDocument.AFTER
            )
            assert doc == {"_id": "seq", "value": expected}
        await _lookups_by_id_use_the_index(client["ruche_devstack"]["plans"])
    finally:
        await client.close()


async def _lookups_by_id_use_the_index(collection: AsyncCollection[dict[str, object]]) -> None:
    """The FerretDB we build narrows every filter holding `_id` through the `_id` index (see ferretdb_fixes)."""
    await collection.insert_many([{"_id": f"doc-{n}", "tenant": "0403019261"} for n in range(50)])
    for query in ({"_id": "doc-7"}, {"_id": "doc-7", "tenant": "0403019261"}):
        plan = await collection.database.command("explain", {"find": collection.name, "filter": query})
        assert plan["filterPushdown"] is True, query
        assert any("USING INDEX" in step for step in plan["queryPlanner"]["Plan"]), (query, plan["queryPlanner"])
    scan = await collection.database.command("explain", {"find": collection.name, "filter": {"tenant": "x"}})
    assert scan["filterPushdown"] is False  # any other filter is evaluated on every document


def _smtp_round_trip(stack: Stack) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "noreply@ruche.test", "ada@example.org", "Welcome"
    message.set_content("Hello Ada")
    with smtplib.SMTP(*stack.smtp_address, timeout=5) as smtp:
        smtp.send_message(message)
    received = stack.emails()
    assert [m["Subject"] for m in received] == ["Welcome"]
    assert received[0].get_content().strip() == "Hello Ada"
