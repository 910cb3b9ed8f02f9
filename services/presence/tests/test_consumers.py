"""Presence's subscriptions on FastStream's in-memory Kafka: once people's real events arrived, the worker can be
registered inside its contract."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_contracts import new_event, topics
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_presence import consumers, repository, use_cases
from ruche_presence.domain import Address, Period, Workplace
from ruche_presence.settings import PresenceSettings
from ruche_servicekit.app import Subscriber
from ruche_testing import eventually, random_enterprise_number, random_niss, unique

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)


@pytest.fixture
async def broker(db) -> AsyncIterator[TestKafkaBroker]:
    real = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka
    consumers.register(Subscriber(real, db, PresenceSettings(), on_handled=lambda: None))
    async with TestKafkaBroker(real) as test_broker:
        yield test_broker


async def test_a_hire_published_by_people_makes_the_worker_registrable(db, broker) -> None:
    tenant, worker_id = random_enterprise_number(), str(uuid.uuid4())
    birth = date(1993, 10, 8)
    registered = WorkerRegistered(
        worker_id=worker_id,
        first_name="Noor",
        last_name="Dubois",
        niss=random_niss(birth, "F"),
        birth_date=birth,
        sex="F",
        nationality="BE",
        work_email="noor.dubois@example.be",
    )
    signed = ContractSigned(
        worker_id=worker_id,
        contract_id=str(uuid.uuid4()),
        start_date=date(2026, 3, 2),
        contract_type="indefinite",
        weekly_hours=Decimal(38),
        gross_monthly_salary=Decimal(3000),
        joint_committee="124",
        worker_type="OTH",
    )
    hired, signed_event = (new_event(p, tenant=tenant, subject=worker_id) for p in (registered, signed))
    for event in (hired, signed_event, signed_event):  # the contract delivered twice
        await broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)
    workplace_id = unique("WP").upper()[:13].ljust(13, "0")
    await use_cases.declare_workplace(
        db, Workplace(tenant, workplace_id, "Atelier", Address("Rue Haute 1", "1000", "Bruxelles"))
    )

    async def learnt():
        return await repository.employment_periods(db, tenant=tenant, worker_id=worker_id)

    assert await eventually(learnt, what="the contract learnt") == [Period(date(2026, 3, 2), None)]  # once
    accepted = await use_cases.register_presence(
        db, tenant=tenant, worker_id=worker_id, workplace_id=workplace_id, day=date(2026, 3, 2), now=NOW
    )
    assert accepted.worker_id == worker_id
