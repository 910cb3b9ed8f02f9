"""Calendar's subscriptions on FastStream's in-memory Kafka: people's real events, as people publishes them,
end in the use cases' effects, once per event."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_calendar import consumers, repository, use_cases
from ruche_calendar.settings import CalendarSettings
from ruche_contracts import new_event, topics
from ruche_contracts.payroll_calendar import CalendarOpened
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_servicekit.app import Subscriber
from ruche_testing import eventually, pending_events, random_enterprise_number, random_niss


@pytest.fixture
async def broker(db) -> AsyncIterator[tuple[TestKafkaBroker, list[int]]]:
    handled: list[int] = []
    real = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka
    consumers.register(Subscriber(real, db, CalendarSettings(), on_handled=lambda: handled.append(1)))
    async with TestKafkaBroker(real) as test_broker:
        yield test_broker, handled


def contract_signed(worker_id: str) -> ContractSigned:
    return ContractSigned(
        worker_id=worker_id,
        contract_id=str(uuid.uuid4()),
        start_date=date(2026, 3, 2),
        end_date=date(2026, 3, 6),
        contract_type="fixed_term",
        weekly_hours=Decimal(20),
        gross_monthly_salary=Decimal("1800.00"),
        joint_committee="200",
        worker_type="OTH",
    )


async def test_a_contract_signed_twice_opens_one_calendar_with_one_event(db, broker) -> None:
    test_broker, handled = broker
    tenant, worker_id = random_enterprise_number(), str(uuid.uuid4())
    signed = new_event(contract_signed(worker_id), tenant=tenant, subject=worker_id)

    for _ in range(2):
        await test_broker.publish(signed.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)

    calendar_id = f"{signed.data.contract_id}:2026-03"

    async def opened():
        calendars, _ = await use_cases.list_calendars(
            db, tenant=tenant, worker_id=worker_id, month=None, limit=50, offset=0
        )
        return calendars

    [calendar] = await eventually(opened, what="the calendar")
    assert calendar.calendar_id == calendar_id
    assert calendar.planned_minutes == 5 * 240
    [event] = await pending_events(db, repository.CALENDARS, calendar_id)
    assert isinstance(event.data, CalendarOpened) and event.tenant == tenant
    assert len(handled) == 2  # each handled event wakes the relay


async def test_a_registered_worker_is_learnt(db, broker) -> None:
    test_broker, _ = broker
    tenant, worker_id = random_enterprise_number(), str(uuid.uuid4())
    registered = WorkerRegistered(
        worker_id=worker_id,
        first_name="Jef",
        last_name="Claes",
        niss=random_niss(date(1988, 4, 12)),
        birth_date=date(1988, 4, 12),
        sex="M",
        nationality="BE",
        work_email="jef.claes@example.be",
    )

    await test_broker.publish(
        new_event(registered, tenant=tenant, subject=worker_id).model_dump(mode="json"),
        topic=topics.PEOPLE_WORKERS.name,
    )

    async def learnt():
        return await db[repository.WORKERS].find_one({"_id": worker_id, "tenant": tenant})

    assert (await eventually(learnt, what="the worker"))["last_name"] == "Claes"
