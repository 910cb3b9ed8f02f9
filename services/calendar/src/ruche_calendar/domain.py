"""Monthly worker calendars: which days are planned, for how long, and which are public holidays."""

from __future__ import annotations

import calendar as stdlib_calendar
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import holidays

WORKING_DAYS_PER_WEEK = 5  # Monday to Friday; other work regimes come with schedules later
WORK, PUBLIC_HOLIDAY = "WORK", "PH"


@dataclass(frozen=True)
class Day:
    date: date
    code: str | None  # WORK, PH, or None for a day off or outside the contract
    planned_minutes: int


@dataclass(frozen=True)
class MonthCalendar:
    month: str  # YYYY-MM
    days: tuple[Day, ...]

    @property
    def planned_minutes(self) -> int:
        return sum(d.planned_minutes for d in self.days)


def daily_minutes(weekly_hours: Decimal) -> int:
    minutes = weekly_hours * 60 / WORKING_DAYS_PER_WEEK
    return int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def belgian_public_holidays(year: int) -> set[date]:
    return set(holidays.country_holidays("BE", years=year))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_month_calendar(
    *, start_date: date, end_date: date | None, weekly_hours: Decimal, public_holidays: set[date]
) -> MonthCalendar:
    """The calendar of the month the contract starts in: every weekday inside the contract is planned with
    weekly hours / 5, except public holidays; other days plan nothing."""
    year, month = start_date.year, start_date.month
    per_day = daily_minutes(weekly_hours)
    days = []
    for day_number in range(1, stdlib_calendar.monthrange(year, month)[1] + 1):
        day = date(year, month, day_number)
        in_contract = start_date <= day and (end_date is None or day <= end_date)
        if not in_contract or day.weekday() >= WORKING_DAYS_PER_WEEK:
            days.append(Day(day, None, 0))
        elif day in public_holidays:
            days.append(Day(day, PUBLIC_HOLIDAY, 0))
        else:
            days.append(Day(day, WORK, per_day))
    return MonthCalendar(month=month_of(start_date), days=tuple(days))
