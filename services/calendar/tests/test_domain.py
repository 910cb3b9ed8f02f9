from datetime import date
from decimal import Decimal

from ruche_calendar.domain import (
    PUBLIC_HOLIDAY,
    WORK,
    Terms,
    belgian_public_holidays,
    daily_minutes,
    open_first_calendar,
    plan_month,
)

FOUR_DAYS = {"mon": 570, "tue": 570, "wed": 570, "thu": 570}  # 38 hours in four days


def first_month(start: date, end: date | None = None, weekly_hours: int = 38, schedule=None):
    terms = Terms(start, end, Decimal(weekly_hours), schedule)
    return open_first_calendar(tenant="0403019261", worker_id="w", contract_id="c", terms=terms)


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
    cal = first_month(date(2026, 5, 6))  # signed before schedules: weekly hours / 5, Monday to Friday
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
    cal = plan_month("2026-03", Terms(date(2026, 3, 2), date(2026, 3, 6), Decimal(20)), public_holidays=set())
    assert [d.date.day for d in cal.days if d.code == WORK] == [2, 3, 4, 5, 6]
    assert cal.planned_minutes == 5 * 240


def test_the_weekly_schedule_plans_each_weekday_with_its_minutes() -> None:
    cal = first_month(date(2026, 5, 4), schedule=FOUR_DAYS)
    by_day = {d.date.day: d for d in cal.days}

    assert (by_day[4].code, by_day[4].planned_minutes) == (WORK, 570)  # Monday
    assert (by_day[7].code, by_day[7].planned_minutes) == (WORK, 570)  # Thursday
    assert (by_day[8].code, by_day[8].planned_minutes) == (None, 0)  # Friday: not in the schedule
    assert (by_day[1].code, by_day[1].planned_minutes) == (None, 0)  # 1 May, before the start
    assert (by_day[14].code, by_day[14].planned_minutes) == (PUBLIC_HOLIDAY, 0)  # Ascension, a Thursday
    assert (by_day[25].code, by_day[25].planned_minutes) == (PUBLIC_HOLIDAY, 0)  # Whit Monday
    # 4 May to 28 May: 16 Mondays to Thursdays, less Ascension and Whit Monday.
    assert cal.planned_minutes == 14 * 570


def test_a_weekend_schedule_plans_weekends_and_a_holiday_off_the_schedule_is_no_holiday_to_plan() -> None:
    cal = first_month(date(2026, 8, 1), schedule={"sat": 480, "sun": 240})
    by_day = {d.date.day: d for d in cal.days}

    assert (by_day[1].code, by_day[1].planned_minutes) == (WORK, 480)  # Saturday
    assert (by_day[2].code, by_day[2].planned_minutes) == (WORK, 240)  # Sunday
    assert (by_day[3].code, by_day[3].planned_minutes) == (None, 0)  # Monday
    assert (by_day[15].code, by_day[15].planned_minutes) == (PUBLIC_HOLIDAY, 0)  # 15 August, a Saturday
    assert cal.planned_minutes == 4 * 480 + 5 * 240


def test_an_amendment_plans_from_its_effective_date_and_applies_its_bounds_everywhere() -> None:
    signed = first_month(date(2026, 3, 2), schedule={d: 456 for d in ("mon", "tue", "wed", "thu", "fri")})
    new_terms = Terms(date(2026, 3, 2), date(2026, 3, 27), Decimal(38), FOUR_DAYS)

    amended = signed.amended(new_terms, effective_date=date(2026, 3, 16))
    by_day = {d.date.day: d for d in amended.days}

    assert (by_day[13].code, by_day[13].planned_minutes) == (WORK, 456)  # a Friday before: the old version
    assert (by_day[16].code, by_day[16].planned_minutes) == (WORK, 570)  # from the effective date: the new one
    assert (by_day[20].code, by_day[20].planned_minutes) == (None, 0)  # a Friday after: off
    assert (by_day[30].code, by_day[30].planned_minutes) == (None, 0)  # after the new end
    assert amended.terms == new_terms and amended.calendar_id == signed.calendar_id


def test_an_amendment_moving_the_start_later_unplans_the_days_before_it() -> None:
    signed = first_month(date(2026, 3, 2))

    amended = signed.amended(Terms(date(2026, 3, 9), None, Decimal(38)), effective_date=date(2026, 3, 2))

    assert next(d.date.day for d in amended.days if d.code == WORK) == 9


def test_an_early_end_unplans_the_days_after_it_and_a_cancellation_every_day() -> None:
    signed = first_month(date(2026, 3, 2), schedule=FOUR_DAYS)

    ended = signed.ended(date(2026, 3, 11))
    cancelled = signed.cancelled_contract()

    assert [d.date.day for d in ended.days if d.planned_minutes] == [2, 3, 4, 5, 9, 10, 11]
    assert ended.terms.end_date == date(2026, 3, 11)
    assert cancelled.cancelled and cancelled.planned_minutes == 0 and not any(d.code for d in cancelled.days)
