"""Monthly worker calendars: which days are planned, for how long, and which are public holidays.

Plain Python: the rules take the contract's terms (bounds and weekly schedule) and the public holidays as
arguments.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

import holidays
from ruche_servicekit.errors import DomainError

WORKING_DAYS_PER_WEEK = 5  # Monday to Friday: how contracts without a schedule are planned
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # by date.weekday()
WORK, PUBLIC_HOLIDAY = "WORK", "PH"


class CalendarNotFound(DomainError):
    status, kind, title = 404, "calendar-not-found", "Calendar not found"


@dataclass(frozen=True)
class Day:
    date: date
    code: str | None  # WORK, PH, or None for a day off or outside the contract
    planned_minutes: int


@dataclass(frozen=True)
class Terms:
    """What a contract version says about planning: its bounds, and its minutes per weekday (or, for contracts
    signed before schedules, weekly hours spread over Monday to Friday)."""

    start_date: date
    end_date: date | None
    weekly_hours: Decimal
    minutes_by_weekday: Mapping[str, int] | None = None

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)

    def minutes_on(self, day: date) -> int:
        """The minutes the schedule plans on that day of the week (inside the contract or not)."""
        if self.minutes_by_weekday is None:
            return daily_minutes(self.weekly_hours) if day.weekday() < WORKING_DAYS_PER_WEEK else 0
        return self.minutes_by_weekday.get(WEEKDAYS[day.weekday()], 0)


@dataclass(frozen=True)
class MonthCalendar:
    month: str  # YYYY-MM
    days: tuple[Day, ...]

    @property
    def planned_minutes(self) -> int:
        return sum(d.planned_minutes for d in self.days)


@dataclass(frozen=True)
class Calendar:
    """One contract's calendar for one month, planned from the contract's terms; a cancelled contract's calendar
    plans nothing."""

    calendar_id: str
    tenant: str
    worker_id: str
    contract_id: str
    month: str  # YYYY-MM
    terms: Terms
    days: tuple[Day, ...]
    cancelled: bool = False

    @property
    def weekly_hours(self) -> Decimal:
        return self.terms.weekly_hours

    @property
    def planned_minutes(self) -> int:
        return sum(d.planned_minutes for d in self.days)

    def amended(self, terms: Terms, *, effective_date: date) -> Calendar:
        """The calendar under a new version of the contract, effective from `effective_date`: days outside the
        new bounds plan nothing; days from the effective date on, and days the old version did not cover, are
        planned from the new terms; earlier days keep what the old version planned."""
        holidays = belgian_public_holidays(int(self.month[:4]))
        days = tuple(
            plan_day(d.date, terms, holidays)
            if not terms.covers(d.date) or d.date >= effective_date or not self.terms.covers(d.date)
            else d
            for d in self.days
        )
        return replace(self, terms=terms, days=days)

    def ended(self, end_date: date) -> Calendar:
        """The contract ends early, on `end_date`: the days after it plan nothing."""
        terms = replace(self.terms, end_date=end_date)
        days = tuple(d if d.date <= end_date else Day(d.date, None, 0) for d in self.days)
        return replace(self, terms=terms, days=days)

    def cancelled_contract(self) -> Calendar:
        """The contract was cancelled before it started: it never was, so no day is planned."""
        return replace(self, cancelled=True, days=tuple(Day(d.date, None, 0) for d in self.days))


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


def plan_day(day: date, terms: Terms, public_holidays: AbstractSet[date]) -> Day:
    """A day inside the contract on which the schedule plans work is WORK with the schedule's minutes, or PH (and
    nothing) on a public holiday; any other day plans nothing."""
    minutes = terms.minutes_on(day) if terms.covers(day) else 0
    if minutes <= 0:
        return Day(day, None, 0)
    if day in public_holidays:
        return Day(day, PUBLIC_HOLIDAY, 0)
    return Day(day, WORK, minutes)


def plan_month(month: str, terms: Terms, public_holidays: AbstractSet[date]) -> MonthCalendar:
    """Every day of `month` (YYYY-MM) planned from the contract's terms."""
    year, number = int(month[:4]), int(month[5:7])
    days = (date(year, number, n) for n in range(1, stdlib_calendar.monthrange(year, number)[1] + 1))
    return MonthCalendar(month=month, days=tuple(plan_day(day, terms, public_holidays) for day in days))


def open_calendar(*, tenant: str, worker_id: str, contract_id: str, terms: Terms, month: str) -> Calendar:
    """A contract's calendar of one month, Belgian public holidays marked."""
    planned = plan_month(month, terms, belgian_public_holidays(int(month[:4])))
    return Calendar(
        calendar_id=calendar_id(contract_id, month),
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        month=month,
        terms=terms,
        days=planned.days,
    )


def open_first_calendar(*, tenant: str, worker_id: str, contract_id: str, terms: Terms) -> Calendar:
    """The calendar a newly signed contract starts with: the month it starts in."""
    return open_calendar(
        tenant=tenant, worker_id=worker_id, contract_id=contract_id, terms=terms, month=month_of(terms.start_date)
    )
