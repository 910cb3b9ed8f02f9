"""Month calendars against a scratch database: any month a contract covers reads planned (the ones not stored
yet planned from the contract's versions), people's amendments, early ends and cancellations change them, a
locked month keeps its days, and day edits keep who and when with CalendarDayChanged pending."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from ruche_calendar import use_cases
from ruche_calendar.domain import PUBLIC_HOLIDAY, WORK, DayOutsideContract, MonthLocked, MonthNotCovered
from ruche_calendar.repository import calendars as store
from ruche_calendar.use_cases.calendars import edit_day, get_month
from ruche_contracts.payroll_calendar import CalendarDayChanged
from ruche_testing import pending_events, random_enterprise_number, unique

MON_FRI = {d: 456 for d in ("mon", "tue", "wed", "thu", "fri")}
FOUR_DAYS = {"mon": 570, "tue": 570, "wed": 570, "thu": 570}
AT = datetime(2026, 9, 1, 8, tzinfo=UTC)


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


async def signed(db: Any, tenant: str, start: date = date(2026, 3, 2), end: date | None = None) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        tenant=tenant,
        worker_id=unique("w-"),
        contract_id=unique("c-"),
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(38),
        minutes_by_weekday=MON_FRI,
    )
    await use_cases.open_first_calendar(db, event_id=str(uuid.uuid4()), **values)
    return values


def planned(month) -> dict[int, int]:
    return {d.date.day: d.planned_minutes for d, _ in month.days() if d.planned_minutes}


async def test_a_month_before_an_amendment_keeps_the_old_schedule_and_one_after_takes_the_new(db, tenant) -> None:
    c = await signed(db, tenant)
    await use_cases.amend_contract(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=c["worker_id"],
        contract_id=c["contract_id"],
        effective_date=date(2026, 6, 15),
        start_date=c["start_date"],
        end_date=None,
        weekly_hours=Decimal(38),
        minutes_by_weekday=FOUR_DAYS,
    )

    april = await get_month(db, tenant=tenant, worker_id=c["worker_id"], month="2026-04")
    june = await get_month(db, tenant=tenant, worker_id=c["worker_id"], month="2026-06")

    assert set(planned(april).values()) == {456} and 6 not in planned(april)  # Easter Monday: not planned
    assert april.calendars[0].day(date(2026, 4, 6)).code == PUBLIC_HOLIDAY  # Easter Monday
    assert planned(june)[12] == 456 and planned(june)[15] == 570  # Friday before, Monday from the amendment
    assert 19 not in planned(june)  # a Friday after: off
    assert not april.calendars[0].stored


async def test_an_early_end_leaves_later_months_uncovered(db, tenant) -> None:
    c = await signed(db, tenant)
    await use_cases.end_contract(
        db, tenant=tenant, event_id=str(uuid.uuid4()), contract_id=c["contract_id"], end_date=date(2026, 4, 10)
    )

    april = await get_month(db, tenant=tenant, worker_id=c["worker_id"], month="2026-04")
    assert max(planned(april)) == 10
    with pytest.raises(MonthNotCovered):
        await get_month(db, tenant=tenant, worker_id=c["worker_id"], month="2026-05")


async def test_a_cancelled_contract_covers_no_month(db, tenant) -> None:
    c = await signed(db, tenant)
    await use_cases.cancel_contract(db, tenant=tenant, event_id=str(uuid.uuid4()), contract_id=c["contract_id"])

    for month in ("2026-03", "2026-04"):
        with pytest.raises(MonthNotCovered):
            await get_month(db, tenant=tenant, worker_id=c["worker_id"], month=month)


async def test_an_edit_stores_the_day_who_and_when_and_a_re_plan_keeps_it(db, tenant) -> None:
    c = await signed(db, tenant)
    month = await edit_day(
        db,
        tenant=tenant,
        worker_id=c["worker_id"],
        month="2026-03",
        on=date(2026, 3, 10),
        entries=[("HOL", 456)],
        by="hr-1",
        now=AT,
    )
    assert month.last_modified == ("hr-1", AT)
    calendar_id = f"{c['contract_id']}:2026-03"
    [_opened, changed] = await pending_events(db, store.CALENDARS, calendar_id)
    assert isinstance(changed.data, CalendarDayChanged) and changed.time == AT
    assert (changed.data.date, changed.data.planned_minutes, changed.data.changed_by) == (
        date(2026, 3, 10),
        456,
        "hr-1",
    )

    await use_cases.amend_contract(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=c["worker_id"],
        contract_id=c["contract_id"],
        effective_date=date(2026, 3, 2),
        start_date=c["start_date"],
        end_date=None,
        weekly_hours=Decimal(38),
        minutes_by_weekday=FOUR_DAYS,
    )
    again = await get_month(db, tenant=tenant, worker_id=c["worker_id"], month="2026-03")
    day = again.calendars[0].day(date(2026, 3, 10))
    assert (day.code, day.planned_minutes, [(e.code, e.minutes) for e in day.entries]) == (WORK, 570, [("HOL", 456)])


async def test_a_locked_month_keeps_its_days_when_the_contract_changes_and_refuses_edits(db, tenant) -> None:
    c = await signed(db, tenant)
    calendar_id = f"{c['contract_id']}:2026-03"
    await store.set_locked(db, tenant=tenant, calendar_id=calendar_id)
    before = await use_cases.get_calendar(db, tenant=tenant, calendar_id=calendar_id)

    await use_cases.end_contract(
        db, tenant=tenant, event_id=str(uuid.uuid4()), contract_id=c["contract_id"], end_date=date(2026, 3, 13)
    )

    after = await use_cases.get_calendar(db, tenant=tenant, calendar_id=calendar_id)
    assert after.days == before.days and after.terms.end_date == date(2026, 3, 13)
    with pytest.raises(MonthLocked):
        await edit_day(
            db,
            tenant=tenant,
            worker_id=c["worker_id"],
            month="2026-03",
            on=date(2026, 3, 3),
            entries=[],
            by="x",
            now=AT,
        )


async def test_a_day_outside_the_contract_is_refused(db, tenant) -> None:
    c = await signed(db, tenant, start=date(2026, 3, 11))
    with pytest.raises(DayOutsideContract) as refused:
        await edit_day(
            db,
            tenant=tenant,
            worker_id=c["worker_id"],
            month="2026-03",
            on=date(2026, 3, 10),
            entries=[("HOL", 456)],
            by="x",
            now=AT,
        )
    assert refused.value.field == "date"


async def test_a_month_locked_after_it_was_read_is_not_planned_again(db, tenant) -> None:
    c = await signed(db, tenant)
    calendar_id = f"{c['contract_id']}:2026-03"
    read = await use_cases.get_calendar(db, tenant=tenant, calendar_id=calendar_id)
    await store.set_locked(db, tenant=tenant, calendar_id=calendar_id)  # sent meanwhile

    applied = await store.replan_calendar(db, read.ended(date(2026, 3, 6)), event_id=str(uuid.uuid4()))

    after = await use_cases.get_calendar(db, tenant=tenant, calendar_id=calendar_id)
    assert applied and after.locked and after.days == read.days and after.terms.end_date == date(2026, 3, 6)
