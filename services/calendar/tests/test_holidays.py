"""Public holidays and replacement days (domain.md §6) on plain objects, with a property over random schedules and
months: planned minutes are the schedule over the contract's working days less holidays and replacement days."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from ruche_calendar.domain import (
    PUBLIC_HOLIDAY,
    WEEKDAYS,
    WORK,
    Terms,
    belgian_public_holidays,
    month_days,
    open_calendar,
)

MON_FRI = {d: 456 for d in ("mon", "tue", "wed", "thu", "fri")}


def calendar(month: str, schedule, start=date(2020, 1, 1), end=None):
    terms = Terms(start, end, Decimal(38), schedule)
    return open_calendar(tenant="0403019261", worker_id="w", contract_id="c", terms=terms, month=month)


def test_only_the_ten_legal_holidays_count_not_easter_sunday_nor_pentecost() -> None:
    days = belgian_public_holidays(2026)
    assert len(days) == 10
    assert date(2026, 4, 5) not in days and date(2026, 5, 24) not in days


def test_a_holiday_on_a_sunday_is_replaced_by_the_next_working_day() -> None:
    cal = calendar("2026-11", MON_FRI)  # 1 November 2026 is a Sunday
    by_day = {d.date.day: d for d in cal.days}
    assert (by_day[2].code, by_day[2].planned_minutes, by_day[2].replacement_for) == (
        PUBLIC_HOLIDAY,
        0,
        date(2026, 11, 1),
    )
    assert (by_day[11].code, by_day[11].replacement_for) == (PUBLIC_HOLIDAY, None)  # a Wednesday: itself
    assert by_day[3].code == WORK


def test_a_holiday_on_a_usual_day_off_is_replaced_by_the_next_usual_working_day() -> None:
    # Monday to Thursday: Christmas 2026 is a Friday, off; the next working day is Monday 28.
    cal = calendar("2026-12", {"mon": 570, "tue": 570, "wed": 570, "thu": 570})
    by_day = {d.date.day: d for d in cal.days}
    assert (by_day[28].code, by_day[28].replacement_for) == (PUBLIC_HOLIDAY, date(2026, 12, 25))
    assert by_day[25].code is None


def test_a_replacement_skips_holidays_and_may_fall_in_the_next_month() -> None:
    # 2027: 1 May is a Saturday; a Friday-only worker's next Friday is 7 May.
    cal = calendar("2027-05", {"fri": 480})
    by_day = {d.date.day: d for d in cal.days}
    assert (by_day[7].code, by_day[7].replacement_for) == (PUBLIC_HOLIDAY, date(2027, 5, 1))
    # 31 October 2026... 1 November 2026 (Sunday) for a Monday-only worker: Monday 2 November.
    nov = calendar("2026-11", {"mon": 480})
    assert nov.days[1].replacement_for == date(2026, 11, 1)


def test_holidays_before_the_contract_are_not_replaced() -> None:
    cal = calendar("2026-11", MON_FRI, start=date(2026, 11, 2))
    assert all(d.replacement_for is None for d in cal.days)
    assert cal.days[1].code == WORK


schedules = st.dictionaries(st.sampled_from(WEEKDAYS), st.integers(min_value=1, max_value=720), max_size=7)
months = st.tuples(st.integers(min_value=2024, max_value=2031), st.integers(min_value=1, max_value=12))


@settings(max_examples=300, deadline=None)
@given(
    schedule=schedules,
    month=months,
    start_offset=st.integers(min_value=-40, max_value=40),
    length=st.none() | st.integers(min_value=0, max_value=80),
)
def test_planned_minutes_are_the_schedule_less_holidays_and_replacement_days(
    schedule: dict[str, int], month: tuple[int, int], start_offset: int, length: int | None
) -> None:
    key = f"{month[0]:04d}-{month[1]:02d}"
    start = date(month[0], month[1], 1) + timedelta(days=start_offset)
    end = None if length is None else start + timedelta(days=length)
    cal = calendar(key, schedule, start=start, end=end)
    holidays = belgian_public_holidays(month[0])
    replacements = {d.date for d in cal.days if d.replacement_for}

    expected = sum(
        schedule.get(WEEKDAYS[day.weekday()], 0)
        for day in month_days(key)
        if start <= day and (end is None or day <= end) and day not in holidays and day not in replacements
    )

    assert cal.planned_minutes == expected
    for day in cal.days:
        if day.replacement_for is not None:  # on a usual working day, for a holiday on a usual day off, same year
            assert schedule.get(WEEKDAYS[day.date.weekday()], 0) > 0 and day.date not in holidays
            assert day.replacement_for in holidays and day.replacement_for < day.date
            assert schedule.get(WEEKDAYS[day.replacement_for.weekday()], 0) == 0
            assert day.replacement_for.year == day.date.year and start <= day.replacement_for
