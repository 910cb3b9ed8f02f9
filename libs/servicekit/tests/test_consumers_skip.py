"""A service subscribes to the types of a topic it needs: the topic's other types (a producer's events for other
consumers, or types added later) are skipped, not handled and not dead-lettered; a type that is no event of the
topic's producer is dead-lettered. On FastStream's in-memory broker: no Kafka needed."""

from __future__ import annotations

import uuid
from typing import Any

from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_contracts import CloudEvent, new_event, topics
from ruche_contracts.people import DimonaDeclared, WorkerAdded, WorkerRegistered
from ruche_servicekit.consumers import subscribe
from ruche_servicekit.settings import ServiceSettings

TENANT = "0403019261"


async def test_types_of_the_topic_a_service_does_not_handle_are_skipped_and_foreign_ones_dead_lettered(
    registered,
) -> None:
    handled: list[str] = []
    dead: list[dict[str, Any]] = []
    broker = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka

    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        handled.append(event.data.worker_id)

    subscribe(broker, topics.PEOPLE_WORKERS, {WorkerRegistered: worker_registered}, settings=ServiceSettings())

    @broker.subscriber(topics.PEOPLE_WORKERS.dlq)
    async def dead_letter(body: dict[str, Any]) -> None:
        dead.append(body)

    others = [
        WorkerAdded(worker_id="w1", first_name="A", last_name="B", work_email="a@example.be"),
        DimonaDeclared(worker_id="w1", contract_id="c1", declaration_id="d1", declaration_type="IN"),
    ]
    newer = new_event(registered("w1"), tenant=TENANT, subject="w1").model_dump(mode="json")
    newer |= {"id": str(uuid.uuid4()), "type": "be.ruche.people.worker-promoted.v1"}  # a type added later
    foreign = new_event(registered("w1"), tenant=TENANT, subject="w1").model_dump(mode="json")
    foreign |= {"id": str(uuid.uuid4()), "type": "be.ruche.identity.user-created.v1"}

    async with TestKafkaBroker(broker) as test_broker:
        for payload in others:
            event = new_event(payload, tenant=TENANT, subject="w1").model_dump(mode="json")
            await test_broker.publish(event, topic=topics.PEOPLE_WORKERS.name, key=b"w1")
        await test_broker.publish(newer, topic=topics.PEOPLE_WORKERS.name, key=b"w1")
        await test_broker.publish(
            new_event(registered("w1"), tenant=TENANT, subject="w1").model_dump(mode="json"),
            topic=topics.PEOPLE_WORKERS.name,
            key=b"w1",
        )
        assert (handled, dead) == (["w1"], [])  # the in-memory broker handles each record as it is published
        await test_broker.publish(foreign, topic=topics.PEOPLE_WORKERS.name, key=b"w1")

    assert [d["type"] for d in dead] == ["be.ruche.identity.user-created.v1"]
