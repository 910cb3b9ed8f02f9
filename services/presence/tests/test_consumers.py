"""Presence's subscriptions on FastStream's in-memory Kafka: once people's real events arrived, the worker can be
registered on the days of its accepted Dimona period (or, payroll done elsewhere, of its contract); the topic's
other event types are skipped, not dead-lettered."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_contracts import Payload, new_event, topics
from ruche_contracts.people import (
    ContractAmended,
    ContractCancelled,
    ContractEnded,
    ContractSigned,
    DimonaAccepted,
    DimonaDeclared,
    DimonaRefused,
    OnboardingSubmitted,
    OnboardingValidated,
    WorkerAdded,
    WorkerRegistered,
)
from ruche_presence import consumers, repository, use_cases
from ruche_presence.domain import Address, Period, RegistrationRefused, Workplace
from ruche_presence.settings import PresenceSettings
from ruche_servicekit.app import Subscriber
from ruche_testing import eventually, random_enterprise_number, random_niss, unique

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)
TODAY = date(2026, 3, 2)


@pytest.fixture
def dead_letters() -> list[Any]:
    return []


@pytest.fixture
async def broker(db, dead_letters) -> AsyncIterator[TestKafkaBroker]:
    real = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka
    consumers.register(Subscriber(real, db, PresenceSettings(), on_handled=lambda: None))

    @real.subscriber(topics.PEOPLE_WORKERS.dlq)
    async def dead_letter(body: Any) -> None:
        dead_letters.append(body)

    async with TestKafkaBroker(real) as test_broker:
        yield test_broker


def registered(worker_id: str) -> WorkerRegistered:
    birth = date(1993, 10, 8)
    return WorkerRegistered(
        worker_id=worker_id,
        first_name="Noor",
        last_name="Dubois",
        niss=random_niss(birth, "F"),
        birth_date=birth,
        sex="F",
        nationality="BE",
        work_email="noor.dubois@example.be",
    )


def signed(worker_id: str, contract_id: str, **terms: Any) -> ContractSigned:
    values: dict[str, Any] = dict(
        worker_id=worker_id,
        contract_id=contract_id,
        start_date=TODAY,
        contract_type="open_ended",
        weekly_hours=Decimal(38),
        gross_monthly_salary=Decimal(3000),
        joint_committee="124",
        worker_type="OTH",
    )
    return ContractSigned(**(values | terms))


async def publish(broker: TestKafkaBroker, tenant: str, worker_id: str, *payloads: Payload) -> None:
    for payload in payloads:
        event = new_event(payload, tenant=tenant, subject=worker_id)
        await broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)


async def workplace(db, tenant: str) -> str:
    workplace_id = unique("WP").upper()[:13].ljust(13, "0")
    await use_cases.declare_workplace(
        db, Workplace(tenant, workplace_id, "Atelier", Address("Rue Haute 1", "1000", "Bruxelles"))
    )
    return workplace_id


async def test_a_hire_is_in_service_once_its_dimona_is_accepted(db, broker, dead_letters) -> None:
    tenant, worker_id, contract_id = random_enterprise_number(), str(uuid.uuid4()), str(uuid.uuid4())
    dimona = dict(worker_id=worker_id, contract_id=contract_id, declaration_type="IN")
    in_accepted = DimonaAccepted(**dimona, declaration_id="d2", result="A", dimona_period_id="1", start_date=TODAY)
    await publish(
        broker,
        tenant,
        worker_id,
        WorkerAdded(worker_id=worker_id, first_name="Noor", last_name="Dubois", work_email="noor@example.be"),
        OnboardingSubmitted(worker_id=worker_id, submitted_at=NOW),
        OnboardingValidated(worker_id=worker_id, validated_by="hr-1"),
        registered(worker_id),
        signed(worker_id, contract_id),  # Ruche's payroll: the contract alone is not the Dimona
        DimonaDeclared(**dimona, declaration_id="d1"),
        DimonaRefused(**dimona, declaration_id="d1", anomalies=[]),
        DimonaDeclared(**dimona, declaration_id="d2"),
    )
    workplace_id = await workplace(db, tenant)

    async def known():
        periods = await repository.employment_periods(db, tenant=tenant, worker_id=worker_id)
        return None if periods is None else (periods,)

    assert await eventually(known, what="the worker learnt") == ([],)  # known, and in service on no day
    with pytest.raises(RegistrationRefused):
        await use_cases.register_presence(
            db, tenant=tenant, worker_id=worker_id, workplace_id=workplace_id, day=TODAY, now=NOW
        )

    event = new_event(in_accepted, tenant=tenant, subject=worker_id)
    for _ in range(2):  # delivered twice
        await broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)

    async def in_service():
        return await repository.employment_periods(db, tenant=tenant, worker_id=worker_id) or None

    assert await eventually(in_service, what="the Dimona period") == [Period(TODAY, None)]
    accepted = await use_cases.register_presence(
        db, tenant=tenant, worker_id=worker_id, workplace_id=workplace_id, day=TODAY, now=NOW
    )
    assert accepted.worker_id == worker_id
    assert dead_letters == []  # the events presence does not need are skipped, not dead-lettered

    cancel = in_accepted.model_copy(update={"declaration_id": "d3", "declaration_type": "CANCEL", "cancelled": True})
    await publish(broker, tenant, worker_id, cancel)

    async def gone():
        return await repository.employment_periods(db, tenant=tenant, worker_id=worker_id) == []

    assert await eventually(gone, what="the period cancelled")


async def test_a_contract_of_another_payroll_provider_follows_its_own_events(db, broker, dead_letters) -> None:
    tenant, worker_id = random_enterprise_number(), str(uuid.uuid4())
    kept, cancelled = str(uuid.uuid4()), str(uuid.uuid4())
    first = signed(worker_id, kept, payroll_provider="other")
    await publish(
        broker,
        tenant,
        worker_id,
        registered(worker_id),
        first,
        ContractAmended(
            **first.model_dump(exclude={"end_date"}), end_date=date(2026, 12, 31), version=2, effective_date=TODAY
        ),
        ContractEnded(
            worker_id=worker_id, contract_id=kept, end_date=date(2026, 6, 30), reason="end", payroll_provider="other"
        ),
        signed(worker_id, cancelled, start_date=date(2027, 1, 1), payroll_provider="other"),
        ContractCancelled(worker_id=worker_id, contract_id=cancelled, payroll_provider="other"),
    )

    async def settled():
        periods = await repository.employment_periods(db, tenant=tenant, worker_id=worker_id)
        return periods if periods == [Period(TODAY, date(2026, 6, 30))] else None

    assert await eventually(settled, what="the contract's own period")
    assert dead_letters == []
