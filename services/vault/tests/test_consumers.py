"""The vault's subscription on FastStream's in-memory Kafka: people's real WorkerRegistered opens the vault once;
ContractSigned, on the same topic, is not for the vault."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_contracts import new_event, topics
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_servicekit.app import Subscriber
from ruche_testing import eventually, pending_events, random_enterprise_number, random_niss
from ruche_vault import consumers, repository, use_cases
from ruche_vault.settings import VaultSettings


@pytest.fixture
async def broker(db) -> AsyncIterator[tuple[TestKafkaBroker, list[int]]]:
    handled: list[int] = []
    real = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka
    consumers.register(Subscriber(real, db, VaultSettings(), on_handled=lambda: handled.append(1)))
    async with TestKafkaBroker(real) as test_broker:
        yield test_broker, handled


async def test_a_worker_registered_twice_gets_one_vault(db, broker) -> None:
    test_broker, handled = broker
    tenant, worker_id = random_enterprise_number(), str(uuid.uuid4())
    birth = date(1979, 12, 1)
    registered = new_event(
        WorkerRegistered(
            worker_id=worker_id,
            first_name="Karel",
            last_name="Smet",
            niss=random_niss(birth),
            birth_date=birth,
            sex="M",
            nationality="BE",
            work_email="karel.smet@example.be",
        ),
        tenant=tenant,
        subject=worker_id,
    )
    signed = new_event(
        ContractSigned(
            worker_id=worker_id,
            contract_id=str(uuid.uuid4()),
            start_date=date(2026, 3, 2),
            contract_type="indefinite",
            weekly_hours=Decimal(38),
            gross_monthly_salary=Decimal(3000),
            joint_committee="200",
            worker_type="OTH",
        ),
        tenant=tenant,
        subject=worker_id,
    )

    for event in (registered, registered, signed):
        await test_broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)

    async def vaults():
        return (await use_cases.list_vaults(db, tenant=tenant, limit=50, offset=0))[0]

    [vault] = await eventually(vaults, what="the vault")
    assert vault.worker_id == worker_id
    [event] = await pending_events(db, repository.VAULTS, worker_id)
    assert isinstance(event.data, VaultOpened) and event.data.identifier == vault.identifier
    assert handled  # each handled batch wakes the relay
