"""Monthly worker calendars: which days are planned, for how long, which are public holidays or replacement days,
and what each day holds once edited (codes and minutes).

Plain Python: the rules take the contract's terms (bounds and weekly schedule, and their versions over time) and
the public holidays as arguments.
"""

from __future__ import annotations

import calendar as stdlib_calendar
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ruche_servicekit.errors import DomainError

from .holidays import belgian_public_holidays, replacement_days

WORKING_DAYS_PER_WEEK = 5  # Monday to Friday: how contracts without a schedule are planned
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # by date.weekday()
WORK, PUBLIC_HOLIDAY = "WORK", "PH"
MINUTES_PER_DAY = 24 * 60


class CalendarNotFound(DomainError):
    status, kind, title = 404, "calendar-not-found", "Calendar not found"


class MonthNotCovered(DomainError):
    status, kind, title = 404, "month-not-found", "No contract covers this month"


class MonthLocked(DomainError):
    status, kind, title = 409, "month-locked", "The month is locked"


class DayOutsideContract(DomainError):
    kind, title = "day-outside-contract", "The day is outside the contract"
    field = "date"


class MinutesRefused(DomainError):
    kind, title = "minutes-refused", "Minutes out of range"


@dataclass(frozen=True)
class Entry:
    """A code on a day, with its minutes (paid leave 480, say)."""

    code: str
    minutes: int


Date = date  # for fields declared after a field named `date`


@dataclass(frozen=True)
class Day:
    date: date
    code: str | None  # WORK, PH, or None for a day off or outside the contract
    planned_minutes: int
    replacement_for: Date | None = None  # a PH day that replaces this holiday (fallen on a usual day off)
    entries: tuple[Entry, ...] = ()  # what an edit put on the day; none: the day is as planned

    @property
    def edited(self) -> bool:
        return bool(self.entries)


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

    def covers_month(self, month: str) -> bool:
        first, last = month_bounds(month)
        return self.start_date <= last and (self.end_date is None or first <= self.end_date)

    def minutes_on(self, day: date) -> int:
        """The minutes the schedule plans on that day of the week (inside the contract or not)."""
        if self.minutes_by_weekday is None:
            return daily_minutes(self.weekly_hours) if day.weekday() < WORKING_DAYS_PER_WEEK else 0
        return self.minutes_by_weekday.get(WEEKDAYS[day.weekday()], 0)


@dataclass(frozen=True)
class Version:
    """A version of the contract's terms, in force from `effective_date` (None: the contract as signed)."""

    effective_date: date | None
    terms: Terms


def terms_on(day: date, versions: Sequence[Version]) -> Terms | None:
    """The terms that plan `day`: none outside the latest bounds; else the newest version in force on that day,
    or one that took over a day its predecessor did not cover (an amendment plans from its effective date on,
    and the days the previous version did not cover)."""
    if not versions or not versions[-1].terms.covers(day):
        return None
    for i in range(len(versions) - 1, 0, -1):
        effective = versions[i].effective_date
        if effective is None or day >= effective or not versions[i - 1].terms.covers(day):
            return versions[i].terms
    return versions[0].terms


def scheduled_minutes(day: date, versions: Sequence[Version]) -> int:
    """The minutes the contract's schedule plans on `day`, public holidays aside."""
    terms = terms_on(day, versions)
    return terms.minutes_on(day) if terms is not None else 0


@dataclass(frozen=True)
class MonthCalendar:
    month: str  # YYYY-MM
    days: tuple[Day, ...]

    @property
    def planned_minutes(self) -> int:
        return sum(d.planned_minutes for d in self.days)


@dataclass(frozen=True)
class Total:
    code: str
    minutes: int
    days: int


@dataclass(frozen=True)
class Calendar:
    """One contract's calendar for one month, planned from the contract's terms; a cancelled contract's calendar
    plans nothing. Edited days hold entries; a locked month (sent to the payroll provider) refuses edits."""

    calendar_id: str
    tenant: str
    worker_id: str
    contract_id: str
    month: str  # YYYY-MM
    terms: Terms  # the latest version
    days: tuple[Day, ...]
    cancelled: bool = False
    history: tuple[Version, ...] = ()  # every version, oldest first; empty: only `terms`, as signed
    locked: bool = False
    modified_by: str | None = None
    modified_at: datetime | None = None
    stored: bool = field(default=True, compare=False)  # False: planned on read, not written yet

    @property
    def versions(self) -> tuple[Version, ...]:
        return self.history or (Version(None, self.terms),)

    @property
    def weekly_hours(self) -> Decimal:
        return self.terms.weekly_hours

    @property
    def planned_minutes(self) -> int:
        return sum(d.planned_minutes for d in self.days)

    def covers(self, day: date) -> bool:
        return not self.cancelled and month_of(day) == self.month and self.terms.covers(day)

    def day(self, on: date) -> Day:
        return self.days[on.day - 1]

    def amended(self, terms: Terms, *, effective_date: date) -> Calendar:
        """The calendar under a new version of the contract, effective from `effective_date`: days outside the
        new bounds plan nothing; days from the effective date on, and days the old version did not cover, are
        planned from the new terms; earlier days keep what the old version planned."""
        return self._replanned((*self.versions, Version(effective_date, terms)))

    def ended(self, end_date: date) -> Calendar:
        """The contract ends early, on `end_date`: the days after it plan nothing."""
        terms = replace(self.terms, end_date=end_date)
        return self._replanned((*self.versions, Version(end_date + timedelta(days=1), terms)))

    def cancelled_contract(self) -> Calendar:
        """The contract was cancelled before it started: it never was, so no day is planned."""
        return replace(self, cancelled=True, days=tuple(Day(d.date, None, 0) for d in self.days))

    def _replanned(self, versions: tuple[Version, ...]) -> Calendar:
        """Planned again from `versions`; the entries of the days still inside the contract stay."""
        latest = versions[-1].terms
        planned = plan_days(self.month, versions, belgian_public_holidays(int(self.month[:4])))
        days = tuple(
            replace(new, entries=old.entries if latest.covers(new.date) else ())
            for new, old in zip(planned, self.days, strict=True)
        )
        return replace(self, terms=latest, history=versions, days=days)

    def with_day(
        self, on: date, entries: Sequence[Entry], *, by: str, at: datetime, limits: Mapping[str, int] | None = None
    ) -> Calendar:
        """The day `on` holds `entries` from now on (none: back to its plan), changed by `by` at `at`. Each entry
        holds 0 to 1440 minutes, at most its code's limit (`limits`, minutes by code), and the day 1440 in all."""
        if self.locked:
            raise MonthLocked(f"{self.month} is locked: it was sent to the payroll provider.")
        if not self.covers(on):
            raise DayOutsideContract(f"{on.isoformat()} is outside the contract.")
        total = 0
        for i, entry in enumerate(entries):
            limit = min((limits or {}).get(entry.code, MINUTES_PER_DAY), MINUTES_PER_DAY)
            if not 0 <= entry.minutes <= limit:
                raise MinutesRefused(f"{entry.code} holds 0 to {limit} minutes a day.", field=f"entries.{i}.minutes")
            total += entry.minutes
        if total > MINUTES_PER_DAY:
            raise MinutesRefused("A day holds at most 24 hours (1440 minutes).", field="entries")
        day = replace(self.day(on), entries=tuple(entries))
        days = tuple(day if d.date == on else d for d in self.days)
        return replace(self, days=days, modified_by=by, modified_at=at)

    def totals(self) -> list[Total]:
        """Minutes and days per code over the month: an edited day counts its entries, any other day its plan
        (WORK with its minutes; PH with the minutes the schedule would have planned)."""
        minutes: dict[str, int] = {}
        days: dict[str, int] = {}
        for day in self.days:
            held = day.entries or _planned_entries(day, self.versions)
            for entry in held:
                minutes[entry.code] = minutes.get(entry.code, 0) + entry.minutes
            for code in dict.fromkeys(e.code for e in held):
                days[code] = days.get(code, 0) + 1
        return [Total(code, minutes[code], days[code]) for code in sorted(minutes)]


def _planned_entries(day: Day, versions: Sequence[Version]) -> tuple[Entry, ...]:
    if day.code == WORK:
        return (Entry(WORK, day.planned_minutes),)
    if day.code == PUBLIC_HOLIDAY:
        # a holiday is paid as the day it replaces would have been worked
        return (Entry(PUBLIC_HOLIDAY, scheduled_minutes(day.date, versions)),)
    return ()


def calendar_id(contract_id: str, month: str) -> str:
    """A contract has one calendar per month, so the pair names it (and a second opening finds the first)."""
    return f"{contract_id}:{month}"


def daily_minutes(weekly_hours: Decimal) -> int:
    minutes = weekly_hours * 60 / WORKING_DAYS_PER_WEEK
    return int(minutes.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, 1), date(year, number, stdlib_calendar.monthrange(year, number)[1])


def month_days(month: str) -> list[date]:
    first, last = month_bounds(month)
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def plan_day(day: date, terms: Terms, public_holidays: AbstractSet[date]) -> Day:
    """A day inside the contract on which the schedule plans work is WORK with the schedule's minutes, or PH (and
    nothing) on a public holiday; any other day plans nothing. (Replacement days need the whole year: `plan_days`.)"""
    minutes = terms.minutes_on(day) if terms.covers(day) else 0
    if minutes <= 0:
        return Day(day, None, 0)
    if day in public_holidays:
        return Day(day, PUBLIC_HOLIDAY, 0)
    return Day(day, WORK, minutes)


def plan_days(month: str, versions: Sequence[Version], public_holidays: AbstractSet[date]) -> tuple[Day, ...]:
    """Every day of `month` planned from the contract's versions: WORK with the schedule's minutes on a usual
    working day inside the contract, PH and nothing on a public holiday the worker would have worked and on the
    replacement day of one fallen on a usual day off, nothing on any other day."""
    year = int(month[:4])

    def works_on(day: date) -> bool:
        return scheduled_minutes(day, versions) > 0

    def covered(day: date) -> bool:
        return bool(versions) and versions[-1].terms.covers(day)

    replacing = replacement_days(year, public_holidays, works_on=works_on, covered=covered)
    return tuple(_plan(day, scheduled_minutes(day, versions), public_holidays, replacing) for day in month_days(month))


def _plan(day: date, minutes: int, public_holidays: AbstractSet[date], replacing: Mapping[date, date]) -> Day:
    if minutes <= 0:
        return Day(day, None, 0)
    if day in public_holidays:
        return Day(day, PUBLIC_HOLIDAY, 0)
    if day in replacing:
        return Day(day, PUBLIC_HOLIDAY, 0, replacement_for=replacing[day])
    return Day(day, WORK, minutes)


def plan_month(month: str, terms: Terms, public_holidays: AbstractSet[date]) -> MonthCalendar:
    """Every day of `month` (YYYY-MM) planned from one version of the contract's terms."""
    return MonthCalendar(month=month, days=plan_days(month, (Version(None, terms),), public_holidays))


def open_calendar(
    *,
    tenant: str,
    worker_id: str,
    contract_id: str,
    terms: Terms,
    month: str,
    history: tuple[Version, ...] = (),
    stored: bool = True,
) -> Calendar:
    """A contract's calendar of one month, Belgian public holidays and replacement days marked."""
    versions = history or (Version(None, terms),)
    return Calendar(
        calendar_id=calendar_id(contract_id, month),
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        month=month,
        terms=terms,
        days=plan_days(month, versions, belgian_public_holidays(int(month[:4]))),
        history=history,
        stored=stored,
    )


def open_first_calendar(*, tenant: str, worker_id: str, contract_id: str, terms: Terms) -> Calendar:
    """The calendar a newly signed contract starts with: the month it starts in."""
    return open_calendar(
        tenant=tenant, worker_id=worker_id, contract_id=contract_id, terms=terms, month=month_of(terms.start_date)
    )


def month_calendar(known: Calendar, month: str) -> Calendar:
    """The calendar of another month of the same contract, planned from what `known` (any of its calendars) holds
    about the contract: for a month nobody stored yet (`stored` False)."""
    if known.cancelled or not known.terms.covers_month(month):
        raise MonthNotCovered(f"No contract of this worker covers {month}.")
    return open_calendar(
        tenant=known.tenant,
        worker_id=known.worker_id,
        contract_id=known.contract_id,
        terms=known.terms,
        month=month,
        history=known.history,
        stored=False,
    )
