"""HR: a worker's month calendar, as the calendar service builds it from the contracts (planned hours per day,
public holidays), shown as a month of weeks with the previous and next months a click away."""

from __future__ import annotations

import calendar as stdlib_calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from babel.dates import format_date, get_day_names
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ... import i18n
from ...web import gateway_of, language_of, redirect, render, session_of
from .common import CALENDAR_CODES, full_name, hours, month_name, today_in_belgium

router = APIRouter()
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


@dataclass
class Day:
    day: date
    minutes: int = 0
    codes: list[str] = field(default_factory=list)

    @property
    def planned(self) -> bool:
        return self.minutes > 0


def parse_month(text: str) -> date | None:
    found = MONTH.match(text)
    if not found or not 1900 <= int(found.group(1)) <= 2100:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def weeks_of(month: date, calendars: list[dict[str, Any]]) -> list[list[Day | None]]:
    """The month as weeks from Monday to Sunday (None outside the month), every contract's days added up."""
    days = {
        number: Day(date(month.year, month.month, number))
        for number in range(1, stdlib_calendar.monthrange(month.year, month.month)[1] + 1)
    }
    for calendar in calendars:
        for planned in calendar["days"]:
            day = date.fromisoformat(planned["date"])
            if day.month != month.month or day.year != month.year:
                continue
            target = days[day.day]
            target.minutes += int(planned["planned_minutes"])
            if planned.get("code") and planned["code"] not in target.codes:
                target.codes.append(planned["code"])
    weeks: list[list[Day | None]] = []
    week: list[Day | None] = [None] * date(month.year, month.month, 1).weekday()
    for number in sorted(days):
        week.append(days[number])
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


@router.get("/hr/workers/{worker_id}/calendar", response_class=HTMLResponse)
async def calendar_of_today(request: Request, worker_id: str, month: str = "") -> Response:
    """The month chooser's target (and a plain link to this month)."""
    chosen = parse_month(month) or today_in_belgium().replace(day=1)
    return redirect(f"/hr/workers/{worker_id}/calendar/{chosen:%Y-%m}")


@router.get("/hr/workers/{worker_id}/calendar/{month}", response_class=HTMLResponse)
async def month_calendar(request: Request, worker_id: str, month: str) -> Response:
    first = parse_month(month)
    if first is None:
        raise HTTPException(404)
    gateway, session = gateway_of(request), session_of(request)
    worker = await gateway.get(session, f"/people/workers/{worker_id}")
    found = await gateway.get(session, "/calendar/calendars", worker_id=worker_id, month=month, limit=200)
    others = await gateway.get(session, "/calendar/calendars", worker_id=worker_id, limit=200)
    locale = i18n.LOCALES[language_of(request)]
    weekdays = get_day_names("wide", locale=locale)
    short = get_day_names("abbreviated", locale=locale)
    calendars = found["items"]
    previous, following = shift(first, -1), shift(first, 1)
    return render(
        request,
        "hr/calendar.html",
        worker=worker,
        name=full_name(worker),
        month=month,
        title=month_name(request, first),
        weeks=weeks_of(first, calendars),
        calendars=calendars,
        total=hours(sum(int(c["planned_minutes"]) for c in calendars)),
        weekly_hours=[c["weekly_hours"] for c in calendars],
        weekdays=[(weekdays[i], short[i]) for i in range(7)],
        codes=CALENDAR_CODES,
        hours=hours,
        long_date=lambda day: format_date(day, "EEEE d MMMM y", locale=locale),
        previous=(f"{previous:%Y-%m}", month_name(request, previous)),
        following=(f"{following:%Y-%m}", month_name(request, following)),
        other_months=[
            (m, month_name(request, date.fromisoformat(f"{m}-01")))
            for m in sorted({c["month"] for c in others["items"]})
            if m != month
        ],
        today=today_in_belgium(),
    )
