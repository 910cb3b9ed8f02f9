"""The vault's subscription on FastStream's in-memory Kafka: people's real WorkerRegistered opens the vault once;
the topic's other types (contracts, onboarding, Dimona) are not for the vault: skipped, not dead-lettered."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_contracts import new_event, topics
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.people import (
    ContractEnded,
    ContractSigned,
    DimonaAccepted,
    DimonaDeclared,
    OnboardingValidated,
    WorkerAdded,
    WorkerRegistered,
)
from ruche_servicekit.app import Subscriber
from ruche_testing import eventually, pending_events, random_enterprise_number, random_niss
from ruche_vault import consumers, repository, use_cases
from ruche_vault.settings import VaultSettings


@pytest.fixture
def dead_letters() -> list[Any]:
    return []


@pytest.fixture
async def broker(db, dead_letters) -> AsyncIterator[tuple[TestKafkaBroker, list[int]]]:
    handled: list[int] = []
    real = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka
    consumers.register(Subscriber(real, db, VaultSettings(), on_handled=lambda: handled.append(1)))

    @real.subscriber(topics.PEOPLE_WORKERS.dlq)
    async def dead_letter(body: Any) -> None:
        dead_letters.append(body)

    async with TestKafkaBroker(real) as test_broker:
        yield test_broker, handled


async def test_a_worker_registered_twice_gets_one_vault(db, broker, dead_letters) -> None:
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

    added = WorkerAdded(worker_id=worker_id, first_name="Karel", last_name="Smet", work_email="karel@example.be")
    dimona = dict(worker_id=worker_id, contract_id=signed.data.contract_id, declaration_id="d1", declaration_type="IN")
    others = [
        new_event(payload, tenant=tenant, subject=worker_id)
        for payload in (
            OnboardingValidated(worker_id=worker_id, validated_by="hr-1"),
            DimonaDeclared(**dimona),
            DimonaAccepted(**dimona, result="A", start_date=date(2026, 3, 2)),
            ContractEnded(
                worker_id=worker_id, contract_id=signed.data.contract_id, end_date=date(2026, 9, 30), reason="end"
            ),
        )
    ]

    for event in (new_event(added, tenant=tenant, subject=worker_id), registered, registered, signed, *others):
        await test_broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)

    async def vaults():
        return (await use_cases.list_vaults(db, tenant=tenant, limit=50, offset=0))[0]

    [vault] = await eventually(vaults, what="the vault")
    assert vault.worker_id == worker_id
    [event] = await pending_events(db, repository.VAULTS, worker_id)
    assert isinstance(event.data, VaultOpened) and event.data.identifier == vault.identifier
    assert handled  # each handled batch wakes the relay
    assert dead_letters == []
