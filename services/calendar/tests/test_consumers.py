"""Calendar's subscriptions on FastStream's in-memory Kafka: people's real events, as people publishes them,
end in the use cases' effects, once per event."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_calendar import consumers, repository, use_cases
from ruche_calendar.settings import CalendarSettings
from ruche_contracts import new_event, topics
from ruche_contracts.payroll_calendar import CalendarOpened
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
from ruche_servicekit.app import Subscriber
from ruche_testing import eventually, pending_events, random_enterprise_number, random_niss


@pytest.fixture
async def broker(db, dead_letters) -> AsyncIterator[tuple[TestKafkaBroker, list[int]]]:
    handled: list[int] = []
    real = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka
    consumers.register(Subscriber(real, db, CalendarSettings(), on_handled=lambda: handled.append(1)))

    @real.subscriber(topics.PEOPLE_WORKERS.dlq)
    async def dead_letter(body: Any) -> None:
        dead_letters.append(body)

    async with TestKafkaBroker(real) as test_broker:
        yield test_broker, handled


@pytest.fixture
def dead_letters() -> list[Any]:
    return []


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


FOUR_DAYS = {"mon": 570, "tue": 570, "wed": 570, "thu": 570}


async def test_a_contracts_life_replans_its_calendar_and_other_events_are_skipped(db, broker, dead_letters) -> None:
    test_broker, _ = broker
    tenant, worker_id, contract_id = random_enterprise_number(), str(uuid.uuid4()), str(uuid.uuid4())
    terms: dict[str, Any] = dict(
        worker_id=worker_id,
        contract_id=contract_id,
        start_date=date(2026, 3, 2),
        contract_type="open_ended",
        weekly_hours=Decimal(38),
        gross_monthly_salary=Decimal("3200.00"),
        joint_committee="200",
        worker_type="OTH",
        minutes_by_weekday={d: 456 for d in ("mon", "tue", "wed", "thu", "fri")},
    )
    dimona = dict(worker_id=worker_id, contract_id=contract_id, declaration_id="d1", declaration_type="IN")
    payloads = [
        WorkerAdded(worker_id=worker_id, first_name="An", last_name="Peeters", work_email="an@example.be"),
        OnboardingSubmitted(worker_id=worker_id, submitted_at=datetime(2026, 2, 20, 9, tzinfo=UTC)),
        OnboardingValidated(worker_id=worker_id, validated_by="hr-1"),
        ContractSigned(**terms),
        DimonaDeclared(**dimona),
        DimonaRefused(**dimona, anomalies=[]),
        DimonaAccepted(**dimona, result="A", start_date=date(2026, 3, 2)),
        ContractAmended(**(terms | {"minutes_by_weekday": FOUR_DAYS}), version=2, effective_date=date(2026, 3, 16)),
        ContractEnded(worker_id=worker_id, contract_id=contract_id, end_date=date(2026, 3, 25), reason="resigned"),
    ]
    for payload in payloads:
        event = new_event(payload, tenant=tenant, subject=worker_id)
        await test_broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)

    async def ended():
        calendar = await use_cases.get_calendar(db, tenant=tenant, calendar_id=f"{contract_id}:2026-03")
        return calendar if calendar.terms.end_date else None

    calendar = await eventually(ended, what="the calendar planned again")
    planned = {d.date.day: d.planned_minutes for d in calendar.days if d.planned_minutes}
    assert planned == {
        **{day: 456 for day in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)},  # as signed
        **{day: 570 for day in (16, 17, 18, 19, 23, 24, 25)},  # as amended, until the end
    }
    assert dead_letters == []  # WorkerAdded, onboarding and Dimona events are not the calendar's, nor errors

    cancelled_id = str(uuid.uuid4())
    for payload in (
        ContractSigned(**(terms | {"contract_id": cancelled_id, "start_date": date(2026, 6, 1)})),
        ContractCancelled(worker_id=worker_id, contract_id=cancelled_id),
    ):
        event = new_event(payload, tenant=tenant, subject=worker_id)
        await test_broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)

    async def cancelled():
        calendar = await use_cases.get_calendar(db, tenant=tenant, calendar_id=f"{cancelled_id}:2026-06")
        return calendar if calendar.cancelled else None

    assert (await eventually(cancelled, what="the cancelled calendar")).planned_minutes == 0


async def test_an_event_that_does_not_belong_on_the_topic_is_dead_lettered(broker, dead_letters) -> None:
    test_broker, _ = broker
    stray = {"specversion": "1.0", "type": "be.ruche.identity.user-created.v1", "id": str(uuid.uuid4())}

    await test_broker.publish(stray, topic=topics.PEOPLE_WORKERS.name)

    async def dead():
        return dead_letters or None

    [letter] = await eventually(dead, what="the dead letter")
    assert letter["type"] == stray["type"]  # so the skipping above is no blind spot of the test
