from datetime import date
from decimal import Decimal

from ruche_calendar.domain import (
    PUBLIC_HOLIDAY,
    WORK,
    belgian_public_holidays,
    daily_minutes,
    first_month_calendar,
)


def test_belgian_public_holidays_are_the_ten_legal_ones() -> None:
    days = belgian_public_holidays(2026)
    assert {
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 1),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 7, 21),
        date(2026, 8, 15),
        date(2026, 11, 1),
        date(2026, 11, 11),
        date(2026, 12, 25),
    } <= days


def test_daily_minutes_split_the_week_over_five_days() -> None:
    assert daily_minutes(Decimal(38)) == 456
    assert daily_minutes(Decimal(19)) == 228
    assert daily_minutes(Decimal("0.1")) == 1  # 1.2 minutes, rounded


def test_first_month_plans_weekdays_from_the_start_and_marks_public_holidays() -> None:
    cal = first_month_calendar(
        start_date=date(2026, 5, 6),
        end_date=None,
        weekly_hours=Decimal(38),
        public_holidays=belgian_public_holidays(2026),
    )
    by_day = {d.date.day: d for d in cal.days}
    assert cal.month == "2026-05" and len(cal.days) == 31
    assert by_day[5].code is None and by_day[5].planned_minutes == 0  # before the start
    assert (by_day[6].code, by_day[6].planned_minutes) == (WORK, 456)
    assert by_day[9].code is None  # Saturday
    assert (by_day[14].code, by_day[14].planned_minutes) == (PUBLIC_HOLIDAY, 0)  # Ascension
    working = [d for d in cal.days if d.code == WORK]
    assert len(working) == 16  # 6 May to 29 May: 18 weekdays, less Ascension and Whit Monday
    assert cal.planned_minutes == 16 * 456


def test_a_contract_ending_inside_the_month_plans_nothing_after_its_end() -> None:
    cal = first_month_calendar(
        start_date=date(2026, 3, 2), end_date=date(2026, 3, 6), weekly_hours=Decimal(20), public_holidays=set()
    )
    assert [d.date.day for d in cal.days if d.code == WORK] == [2, 3, 4, 5, 6]
    assert cal.planned_minutes == 5 * 240
