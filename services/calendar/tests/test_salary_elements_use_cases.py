"""Salary elements and the message on a scratch database: stored with their events in one write, refused outside
the worker's contracts, with an inactive or a day code, and in a locked month; a bulk with a result per item and a
replayed Idempotency-Key that adds nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from ruche_calendar import use_cases
from ruche_calendar.domain import MonthLocked, MonthNotCovered
from ruche_calendar.domain.codes import InactiveCode, UnknownCode
from ruche_calendar.domain.salary_elements import NotASalaryElement
from ruche_calendar.repository import calendars as calendar_store
from ruche_calendar.repository import salary_elements as store
from ruche_calendar.use_cases import salary_elements as elements
from ruche_calendar.use_cases.calendars import get_month
from ruche_contracts.payroll_calendar import PayrollMessageChanged, SalaryElementAdded, SalaryElementRemoved
from ruche_testing import pending_events, random_enterprise_number, unique

MON_FRI = {d: 456 for d in ("mon", "tue", "wed", "thu", "fri")}
AT = datetime(2026, 6, 3, 8, tzinfo=UTC)


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


async def hired(db: Any, tenant: str, start: date = date(2026, 3, 2), end: date | None = None) -> str:
    worker_id = unique("w-")
    await use_cases.open_first_calendar(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=worker_id,
        contract_id=unique("c-"),
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(38),
        minutes_by_weekday=MON_FRI,
    )
    return worker_id


async def test_an_element_is_stored_with_its_event_and_shows_in_the_month(db, tenant) -> None:
    worker = await hired(db, tenant)

    bonus = await elements.add_salary_element(
        db, tenant=tenant, worker_id=worker, month="2026-06", code="bonus", amount=Decimal(400), by="hr-1", now=AT
    )

    month = await get_month(db, tenant=tenant, worker_id=worker, month="2026-06")
    assert month.inputs is not None and [e.element_id for e in month.inputs.elements] == [bonus.element_id]
    raw = await db[store.PAYROLL_INPUTS].find_one({"_id": store.inputs_id(tenant, worker, "2026-06")})
    assert raw["elements"][0]["amount"] == "400.00"  # a decimal string
    [added] = [e.data for e in await pending_events(db, store.PAYROLL_INPUTS, raw["_id"])]
    assert isinstance(added, SalaryElementAdded)
    assert (added.code, added.amount, added.unit, added.added_by) == ("BONUS", Decimal("400.00"), "amount", "hr-1")


async def test_an_element_removed_raises_its_event(db, tenant) -> None:
    worker = await hired(db, tenant)
    bonus = await elements.add_salary_element(
        db, tenant=tenant, worker_id=worker, month="2026-06", code="BONUS", amount=Decimal(10), by="hr-1", now=AT
    )

    await elements.remove_salary_element(
        db, tenant=tenant, worker_id=worker, month="2026-06", element_id=bonus.element_id, by="hr-2", now=AT
    )

    inputs = await elements.read_inputs(db, tenant=tenant, worker_id=worker, month="2026-06")
    assert inputs.elements == () and inputs.version == 2
    events = [
        e.data for e in await pending_events(db, store.PAYROLL_INPUTS, store.inputs_id(tenant, worker, "2026-06"))
    ]
    assert [type(e) for e in events] == [SalaryElementAdded, SalaryElementRemoved]
    assert events[1].removed_by == "hr-2" and events[1].amount == Decimal("10.00")


async def test_refusals_outside_the_contract_and_with_a_wrong_code(db, tenant) -> None:
    worker = await hired(db, tenant, end=date(2026, 4, 30))

    def add(code: str, month: str = "2026-04"):
        return elements.add_salary_element(
            db, tenant=tenant, worker_id=worker, month=month, code=code, amount=Decimal(10), by="hr-1", now=AT
        )

    with pytest.raises(MonthNotCovered):
        await add("BONUS", "2026-05")
    with pytest.raises(InactiveCode):
        await add("3110")  # inactive unless the employer activates it
    with pytest.raises(UnknownCode):
        await add("NOPE")
    with pytest.raises(NotASalaryElement):
        await add("HOL")


async def test_a_locked_month_refuses_elements_and_the_message(db, tenant) -> None:
    worker = await hired(db, tenant, start=date(2026, 6, 1))
    month = await get_month(db, tenant=tenant, worker_id=worker, month="2026-06")
    await calendar_store.set_locked(db, tenant=tenant, calendar_id=month.calendars[0].calendar_id)

    with pytest.raises(MonthLocked):
        await elements.add_salary_element(
            db, tenant=tenant, worker_id=worker, month="2026-06", code="BONUS", amount=Decimal(1), by="hr", now=AT
        )
    with pytest.raises(MonthLocked):
        await elements.set_message(db, tenant=tenant, worker_id=worker, month="2026-06", text="x", by="hr", now=AT)


async def test_payroll_inputs_locked_by_the_send_job_refuse_changes(db, tenant) -> None:
    worker = await hired(db, tenant, start=date(2026, 6, 1))
    await store.set_locked(db, tenant=tenant, worker_id=worker, month="2026-06")

    with pytest.raises(MonthLocked):
        await elements.set_message(db, tenant=tenant, worker_id=worker, month="2026-06", text="x", by="hr", now=AT)


async def test_the_message_is_written_changed_and_removed_each_with_an_event(db, tenant) -> None:
    worker = await hired(db, tenant)

    def write(text: str):
        return elements.set_message(db, tenant=tenant, worker_id=worker, month="2026-06", text=text, by="hr", now=AT)

    assert (await write("Advance of 200 EUR paid on the 15th")).message.text == "Advance of 200 EUR paid on the 15th"
    await write("Advance of 200 EUR paid on the 15th")  # the same: no event
    assert (await write("")).message is None

    events = [
        e.data for e in await pending_events(db, store.PAYROLL_INPUTS, store.inputs_id(tenant, worker, "2026-06"))
    ]
    assert [(type(e), e.text) for e in events] == [
        (PayrollMessageChanged, "Advance of 200 EUR paid on the 15th"),
        (PayrollMessageChanged, ""),
    ]


async def test_a_bulk_gives_a_result_per_item_and_a_replayed_key_adds_nothing(db, tenant) -> None:
    good, other = await hired(db, tenant), await hired(db, tenant)
    gone = await hired(db, tenant, end=date(2026, 4, 30))
    items = [
        elements.BulkItem(0, good, amount=Decimal(250)),
        elements.BulkItem(1, other, amount=Decimal(300), comment="Team lead"),
        elements.BulkItem(2, gone, amount=Decimal(250)),
        elements.BulkItem(3, unique("w-"), amount=Decimal(250)),
        elements.BulkItem(4, good, amount=Decimal(250)),
        elements.BulkItem(5, str(uuid.uuid4()), amount=Decimal(-1)),
    ]

    def bulk():
        return elements.add_in_bulk(
            db, tenant=tenant, key="k-1", month="2026-06", code="BONUS", items=items, by="hr-1", now=AT
        )

    answer = await bulk()

    results = answer["results"]
    assert [r["status"] for r in results] == ["created", "created", "refused", "refused", "refused", "refused"]
    assert results[0]["element_id"] == elements.bulk_element_id(tenant, "k-1", 0)
    fields = {r["index"]: r["problem"]["errors"][0]["field"] for r in results if r["status"] == "refused"}
    assert fields == {2: "items.2.worker_id", 3: "items.3.worker_id", 4: "items.4.worker_id", 5: "items.5.amount"}
    assert results[2]["problem"]["type"].endswith("worker-not-in-service")
    assert results[4]["problem"]["type"].endswith("worker-twice-in-bulk")
    assert await bulk() == answer
    for worker, amount in ((good, Decimal(250)), (other, Decimal(300))):
        inputs = await elements.read_inputs(db, tenant=tenant, worker_id=worker, month="2026-06")
        assert [e.amount for e in inputs.elements] == [amount]


async def test_a_bulk_retried_after_a_crash_adds_each_element_once(db, tenant) -> None:
    worker = await hired(db, tenant)
    await elements.add_salary_element(
        db,
        tenant=tenant,
        worker_id=worker,
        month="2026-06",
        code="5000",
        amount=Decimal(30),
        by="hr",
        now=AT,
        element_id=elements.bulk_element_id(tenant, "k-2", 0),
    )  # what a crashed first try wrote before storing its answer

    answer = await elements.add_in_bulk(
        db,
        tenant=tenant,
        key="k-2",
        month="2026-06",
        code="5000",
        items=[elements.BulkItem(0, worker, Decimal(30))],
        by="hr",
        now=AT,
    )

    assert answer["results"][0]["status"] == "created"
    inputs = await elements.read_inputs(db, tenant=tenant, worker_id=worker, month="2026-06")
    assert len(inputs.elements) == 1


async def test_a_bulk_with_a_day_code_is_refused_whole(db, tenant) -> None:
    worker = await hired(db, tenant)
    with pytest.raises(NotASalaryElement):
        await elements.add_in_bulk(
            db,
            tenant=tenant,
            key="k-3",
            month="2026-06",
            code="HOL",
            items=[elements.BulkItem(0, worker, Decimal(1))],
            by="hr",
            now=AT,
        )
    assert await store.stored_answer(db, tenant=tenant, key="k-3") is None
