"""Day edits and month totals on plain objects: limits per code and per day, a locked month, days outside the
contract, and totals counting an edited day's entries and any other day's plan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from ruche_calendar.domain import (
    PUBLIC_HOLIDAY,
    WORK,
    DayOutsideContract,
    Entry,
    MinutesRefused,
    MonthLocked,
    Terms,
    Total,
    Version,
    open_calendar,
    terms_on,
)

AT = datetime(2026, 6, 3, 9, tzinfo=UTC)
MON_FRI = {d: 480 for d in ("mon", "tue", "wed", "thu", "fri")}


def june(start=date(2026, 6, 1), end=None):
    return open_calendar(
        tenant="0403019261",
        worker_id="w",
        contract_id="c",
        terms=Terms(start, end, Decimal(40), MON_FRI),
        month="2026-06",
    )


def test_an_edited_day_holds_its_entries_and_who_changed_it() -> None:
    edited = june().with_day(date(2026, 6, 9), [Entry("HOL", 480)], by="hr-1", at=AT)

    day = edited.day(date(2026, 6, 9))
    assert (day.code, day.planned_minutes, day.entries) == (WORK, 480, (Entry("HOL", 480),))
    assert (edited.modified_by, edited.modified_at) == ("hr-1", AT)
    assert edited.planned_minutes == june().planned_minutes  # the plan stays; entries come on top
    reset = edited.with_day(date(2026, 6, 9), [], by="hr-2", at=AT)
    assert reset.day(date(2026, 6, 9)).entries == () and reset.modified_by == "hr-2"


def test_totals_count_entries_on_edited_days_and_the_plan_elsewhere() -> None:
    cal = june().with_day(date(2026, 6, 9), [Entry("HOL", 240), Entry(WORK, 240)], by="x", at=AT)

    assert cal.totals() == [Total("HOL", 240, 1), Total(WORK, 21 * 480 + 240, 22)]


def test_a_public_holiday_counts_as_the_day_it_would_have_been_worked() -> None:
    cal = open_calendar(
        tenant="t",
        worker_id="w",
        contract_id="c",
        terms=Terms(date(2026, 1, 1), None, Decimal(40), MON_FRI),
        month="2026-07",
    )
    assert Total(PUBLIC_HOLIDAY, 480, 1) in cal.totals()  # 21 July, a Tuesday


def test_limits_per_code_and_per_day() -> None:
    cal = june()
    with pytest.raises(MinutesRefused) as too_much:
        cal.with_day(date(2026, 6, 9), [Entry("HOL", 600)], by="x", at=AT, limits={"HOL": 480})
    assert too_much.value.field == "entries.0.minutes"
    with pytest.raises(MinutesRefused) as negative:
        cal.with_day(date(2026, 6, 9), [Entry(WORK, 60), Entry("OT", -1)], by="x", at=AT)
    assert negative.value.field == "entries.1.minutes"
    with pytest.raises(MinutesRefused) as day:
        cal.with_day(date(2026, 6, 9), [Entry(WORK, 1000), Entry("OT", 441)], by="x", at=AT)
    assert day.value.field == "entries"
    assert cal.with_day(date(2026, 6, 9), [Entry(WORK, 1000), Entry("OT", 440)], by="x", at=AT)


def test_a_day_outside_the_contract_or_a_locked_month_is_refused() -> None:
    cal = june(start=date(2026, 6, 10), end=date(2026, 6, 20))
    for outside in (date(2026, 6, 9), date(2026, 6, 21), date(2026, 7, 1)):
        with pytest.raises(DayOutsideContract):
            cal.with_day(outside, [], by="x", at=AT)
    locked = replace(june(), locked=True)
    with pytest.raises(MonthLocked):
        locked.with_day(date(2026, 6, 9), [], by="x", at=AT)


def test_the_terms_of_a_day_follow_the_versions() -> None:
    signed = Terms(date(2026, 1, 1), None, Decimal(40), MON_FRI)
    shorter = Terms(date(2026, 1, 1), date(2026, 9, 30), Decimal(38), {"mon": 570})
    later_start = Terms(date(2026, 2, 1), date(2026, 9, 30), Decimal(38), {"mon": 570})
    versions = (Version(None, signed), Version(date(2026, 6, 1), shorter))

    assert terms_on(date(2026, 5, 29), versions) is signed
    assert terms_on(date(2026, 6, 1), versions) is shorter
    assert terms_on(date(2026, 10, 1), versions) is None  # after the new end
    moved = (*versions, Version(date(2026, 7, 1), later_start))
    assert terms_on(date(2026, 1, 15), moved) is None  # before the new start
    assert terms_on(date(2026, 3, 2), moved) is signed  # before both effective dates: as signed
