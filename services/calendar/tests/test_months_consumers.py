"""People's events on FastStream's in-memory Kafka reach every month of the contract: a month nobody stored reads
planned from the contract as signed, then as amended."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from faststream.kafka import KafkaBroker, TestKafkaBroker
from ruche_calendar import consumers
from ruche_calendar.domain import MonthNotCovered
from ruche_calendar.settings import CalendarSettings
from ruche_calendar.use_cases.calendars import get_month
from ruche_contracts import new_event, topics
from ruche_contracts.people import ContractAmended, ContractEnded, ContractSigned
from ruche_servicekit.app import Subscriber
from ruche_testing import eventually, random_enterprise_number


@pytest.fixture
async def broker(db: Any) -> AsyncIterator[TestKafkaBroker]:
    real = KafkaBroker("127.0.0.1:1")  # never reached: the test broker stands in for Kafka
    consumers.register(Subscriber(real, db, CalendarSettings(), on_handled=lambda: None))
    async with TestKafkaBroker(real) as test_broker:
        yield test_broker


async def test_later_months_follow_the_contracts_events(db, broker) -> None:
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

    async def publish(payload: Any) -> None:
        event = new_event(payload, tenant=tenant, subject=worker_id)
        await broker.publish(event.model_dump(mode="json"), topic=topics.PEOPLE_WORKERS.name, key=worker_id)

    async def september(minutes: int):
        try:
            month = await get_month(db, tenant=tenant, worker_id=worker_id, month="2026-09")
        except MonthNotCovered:
            return None
        return month if month.calendars[0].day(date(2026, 9, 7)).planned_minutes == minutes else None

    await publish(ContractSigned(**terms))
    await eventually(lambda: september(456), what="September planned as signed")

    four_days = {"mon": 570, "tue": 570, "wed": 570, "thu": 570}
    amended = ContractAmended(**(terms | {"minutes_by_weekday": four_days}), version=2, effective_date=date(2026, 7, 1))
    await publish(amended)
    month = await eventually(lambda: september(570), what="September planned as amended")
    assert month.calendars[0].day(date(2026, 9, 11)).planned_minutes == 0  # a Friday
    june = await get_month(db, tenant=tenant, worker_id=worker_id, month="2026-06")
    assert june.calendars[0].day(date(2026, 6, 5)).planned_minutes == 456  # a Friday before the amendment

    await publish(
        ContractEnded(worker_id=worker_id, contract_id=contract_id, end_date=date(2026, 8, 31), reason="resigned")
    )

    async def uncovered() -> bool | None:
        try:
            await get_month(db, tenant=tenant, worker_id=worker_id, month="2026-09")
        except MonthNotCovered:
            return True
        return None

    await eventually(uncovered, what="September no longer covered")
