"""Monthly worker calendars: which days are planned, for how long, and which are public holidays.

Plain Python: the rules take the contract's terms and the public holidays as arguments.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import holidays
from ruche_servicekit.errors import DomainError

WORKING_DAYS_PER_WEEK = 5  # Monday to Friday; other work regimes come with schedules later
WORK, PUBLIC_HOLIDAY = "WORK", "PH"


class CalendarNotFound(DomainError):
    status, kind, title = 404, "calendar-not-found", "Calendar not found"


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


@dataclass(frozen=True)
class Calendar:
    """One contract's calendar for one month."""

    calendar_id: str
    tenant: str
    worker_id: str
    contract_id: str
    weekly_hours: Decimal
    month: str  # YYYY-MM
    days: tuple[Day, ...]

    @property
    def planned_minutes(self) -> int:
        return sum(d.planned_minutes for d in self.days)


def calendar_id(contract_id: str, month: str) -> str:
    """A contract has one calendar per month, so the pair names it (and a second opening finds the first)."""
    return f"{contract_id}:{month}"


def daily_minutes(weekly_hours: Decimal) -> int:
    minutes = weekly_hours * 60 / WORKING_DAYS_PER_WEEK
    return int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@cache  # building a country's holidays takes milliseconds; a year's never change
def belgian_public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("BE", years=year))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_month_calendar(
    *, start_date: date, end_date: date | None, weekly_hours: Decimal, public_holidays: AbstractSet[date]
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


def open_first_calendar(
    *,
    tenant: str,
    worker_id: str,
    contract_id: str,
    start_date: date,
    end_date: date | None,
    weekly_hours: Decimal,
) -> Calendar:
    """The calendar a newly signed contract starts with: its first month, Belgian public holidays marked."""
    month = first_month_calendar(
        start_date=start_date,
        end_date=end_date,
        weekly_hours=weekly_hours,
        public_holidays=belgian_public_holidays(start_date.year),
    )
    return Calendar(
        calendar_id=calendar_id(contract_id, month.month),
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        weekly_hours=weekly_hours,
        month=month.month,
        days=month.days,
    )
