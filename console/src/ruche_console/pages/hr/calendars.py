"""HR: a worker's month grid as the calendar service plans it (`GET /calendar/workers/{id}/months/{month}`): planned
hours per day, public holidays and replacement days, the codes an edit put on a day, totals per code, the month's
last change and its lock; the previous and next months a click away; and a day edited with one or two codes and
their hours (PUT), or put back to its plan (DELETE)."""

from __future__ import annotations

import calendar as stdlib_calendar
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from babel.dates import format_date, get_day_names
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ... import i18n
from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, gettext_of, language_of, redirect, render, session_of
from .common import can, full_name, get_in_language, hours, month_name, today_in_belgium

router = APIRouter()
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
HOURS = re.compile(r"^(\d{1,2})(?:[:hH](\d{1,2})?)?$")
DECIMAL_HOURS = re.compile(r"^(\d{1,2})[.,](\d{1,2})$")
ENTRIES = 2  # a day takes up to two codes (e.g. half a day of leave and half a day of work)
MESSAGES: dict[str, str] = {
    "inactive-code": _("This code is not active for your enterprise: activate it in the leave types first."),
    "unknown-code": _("Choose one of the proposed codes."),
    "not-a-day-code": _("This code is a salary element, not a code for a day."),
    "minutes-refused": _("A day holds 0 to 24 hours, and no more than the code allows."),
    "less_than_equal": _("A day holds 0 to 24 hours, and no more than the code allows."),
    "greater_than_equal": _("A day holds 0 to 24 hours, and no more than the code allows."),
    "day-outside-contract": _("This day is outside the worker's contract."),
    "month-locked": _("This month was sent to the payroll provider: its days can no longer be changed."),
    "month-not-found": _("No contract of this worker covers this month."),
}


@dataclass
class Day:
    day: date
    minutes: int = 0
    planned_code: str | None = None
    replacement_for: str | None = None
    entries: list[dict[str, Any]] = field(default_factory=list)
    covered: bool = False

    @property
    def planned(self) -> bool:
        return self.minutes > 0

    @property
    def holiday(self) -> bool:
        return self.planned_code == "PH"


def parse_month(text: str) -> date | None:
    found = MONTH.match(text)
    if not found or not 1900 <= int(found.group(1)) <= 2100:
        return None
    return date(int(found.group(1)), int(found.group(2)), 1)


def shift(month: date, by: int) -> date:
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)


def parse_hours(text: str) -> int | None:
    """Minutes from hours as Belgians type them: 8:00, 7:36, 8, 8h30, 7,6 or 7.5; None when it is none of these."""
    typed = text.strip().replace(" ", "")
    if found := HOURS.match(typed):
        minutes = int(found.group(2) or 0)
        return int(found.group(1)) * 60 + minutes if minutes < 60 else None
    if found := DECIMAL_HOURS.match(typed):
        return round(float(f"{found.group(1)}.{found.group(2)}") * 60)
    return None


def days_of(month: date, grid: dict[str, Any]) -> dict[date, Day]:
    days = {
        date(month.year, month.month, n): Day(date(month.year, month.month, n))
        for n in range(1, stdlib_calendar.monthrange(month.year, month.month)[1] + 1)
    }
    for planned in grid.get("days", []):
        day = date.fromisoformat(planned["date"])
        if day in days:
            days[day] = Day(
                day,
                minutes=int(planned.get("planned_minutes") or 0),
                planned_code=planned.get("planned_code"),
                replacement_for=planned.get("replacement_for"),
                entries=list(planned.get("entries") or []),
                covered=planned.get("contract_id") is not None,
            )
    return days


def weeks_of(month: date, days: dict[date, Day]) -> list[list[Day | None]]:
    """The month as weeks from Monday to Sunday (None outside the month)."""
    weeks: list[list[Day | None]] = []
    week: list[Day | None] = [None] * month.weekday()
    for day in sorted(days):
        week.append(days[day])
        if len(week) == 7:
            weeks.append(week)
            week = []
    if week:
        weeks.append(week + [None] * (7 - len(week)))
    return weeks


async def _labels(request: Request) -> dict[str, dict[str, Any]]:
    """Every code of the employer (day codes and salary elements, active or not), labelled in the page's language."""
    found = await get_in_language(request, "/calendar/codes", include_inactive="true")
    return {c["code"]: c for c in found["items"]}


async def _month(request: Request, worker_id: str, month: str) -> dict[str, Any] | None:
    try:
        grid: dict[str, Any] = await gateway_of(request).get(
            session_of(request), f"/calendar/workers/{worker_id}/months/{month}"
        )
    except ApiError as missing:
        if missing.status == 404 and missing.kind == "month-not-found":
            return None
        raise
    return grid


def _modified_by(request: Request, who: str) -> str:
    signed = session_of(request).signed
    if signed is not None and who == signed.subject:
        return gettext_of(request)(_("you (%(login)s)")) % {"login": signed.login}
    return who


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
    grid = await _month(request, worker_id, month)
    codes = await _labels(request) if grid is not None else {}
    locale = i18n.LOCALES[language_of(request)]
    weekdays, short = get_day_names("wide", locale=locale), get_day_names("abbreviated", locale=locale)
    days = days_of(first, grid or {})
    previous, following = shift(first, -1), shift(first, 1)
    last = (grid or {}).get("last_modified")
    return render(
        request,
        "hr/calendar.html",
        status=200 if grid is not None else 404,
        worker=worker,
        name=full_name(worker),
        month=month,
        title=month_name(request, first),
        grid=grid,
        weeks=weeks_of(first, days),
        totals=[(t, codes.get(t["code"], {}).get("label", t["code"])) for t in (grid or {}).get("totals", [])],
        total=hours(int((grid or {}).get("planned_minutes") or 0)),
        last_modified=(_modified_by(request, last["by"]), last["at"]) if last else None,
        weekdays=[(weekdays[i], short[i]) for i in range(7)],
        label_of=lambda code: codes.get(code, {}).get("label", code),
        hours=hours,
        long_date=lambda day: format_date(day, "EEEE d MMMM y", locale=locale),
        short_date=lambda day: format_date(date.fromisoformat(day), "d MMMM", locale=locale),
        previous=(f"{previous:%Y-%m}", month_name(request, previous)),
        following=(f"{following:%Y-%m}", month_name(request, following)),
        today=today_in_belgium(),
        may_edit=can(request, "calendar:write") and grid is not None and not grid.get("locked"),
        elements=(grid or {}).get("salary_elements") or [],
        elements_total=sum(Decimal(str(e["amount"])) for e in (grid or {}).get("salary_elements") or []),
        message=((grid or {}).get("message") or {}).get("text", ""),
        has_elements="salary_elements" in (grid or {}),
    )


# A day -------------------------------------------------------------------------------------------------------------
def _day_path(worker_id: str, month: str, day: str) -> str:
    return f"/hr/workers/{worker_id}/calendar/{month}/days/{day}"


async def _day_page(
    request: Request, worker_id: str, month: str, day: str, form: PageForm | None = None, status: int = 200
) -> HTMLResponse:
    first, chosen = parse_month(month), _date(day)
    if first is None or chosen is None or (chosen.year, chosen.month) != (first.year, first.month):
        raise HTTPException(404)
    worker = await gateway_of(request).get(session_of(request), f"/people/workers/{worker_id}")
    grid = await _month(request, worker_id, month)
    if grid is None:
        raise HTTPException(404)
    codes = await _labels(request)
    the_day = days_of(first, grid)[chosen]
    if form is None:
        values: dict[str, Any] = {}
        for i, entry in enumerate(the_day.entries[:ENTRIES], start=1):
            values[f"code_{i}"], values[f"hours_{i}"] = entry["code"], hours(int(entry["minutes"]))
        form = PageForm(values=values)
    locale = i18n.LOCALES[language_of(request)]
    choices = [(c["code"], c["label"]) for c in codes.values() if c.get("active") and c["kind"] == "performance"]
    for i in range(1, ENTRIES + 1):  # a code chosen, then deactivated meanwhile: kept to show its refusal
        chosen_code = str(form.value(f"code_{i}"))
        if chosen_code and chosen_code not in dict(choices):
            choices.append((chosen_code, codes.get(chosen_code, {}).get("label", chosen_code)))
    return render(
        request,
        "hr/calendar_day.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        month=month,
        title=month_name(request, first),
        day=the_day,
        grid=grid,
        form=form,
        entries=range(1, ENTRIES + 1),
        choices=choices,
        label_of=lambda code: codes.get(code, {}).get("label", code),
        hours=hours,
        long_date=format_date(chosen, "EEEE d MMMM y", locale=locale),
        short_date=lambda text: format_date(date.fromisoformat(text), "d MMMM", locale=locale),
        may_edit=can(request, "calendar:write") and not grid.get("locked"),
    )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@router.get("/hr/workers/{worker_id}/calendar/{month}/days/{day}", response_class=HTMLResponse)
async def day_page(request: Request, worker_id: str, month: str, day: str) -> Response:
    return await _day_page(request, worker_id, month, day)


def _problem_form(request: Request, refused: ApiError, values: dict[str, Any], sent: list[int]) -> PageForm:
    """The API names `entries.<i>.minutes`, `entries.<i>.code`, `entries`, `code` or `date`: each goes next to the
    input it is about (`hours_<n>`, `code_<n>`), the day's own refusals above the form."""
    form = form_from_problem(request, refused, values, messages=MESSAGES)
    moved: dict[str, str] = {}
    for name, message in form.errors.items():
        parts = name.split(".")
        if parts[0] == "entries" and len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(sent):
            moved[f"{'hours' if parts[2] == 'minutes' else 'code'}_{sent[int(parts[1])]}"] = message
        elif name in ("entries", "body"):
            moved[f"hours_{sent[0] if sent else 1}"] = message
        elif name == "code":
            moved[f"code_{sent[0] if sent else 1}"] = message
        else:
            form.general.append(message)
    form.errors = moved
    return form


@router.post("/hr/workers/{worker_id}/calendar/{month}/days/{day}", response_class=HTMLResponse)
async def save_day(request: Request, worker_id: str, month: str, day: str) -> Response:
    submitted = await request.form()
    values = {
        f"{kind}_{i}": str(submitted.get(f"{kind}_{i}", "")).strip()
        for i in range(1, ENTRIES + 1)
        for kind in ("code", "hours")
    }
    t = gettext_of(request)
    form, entries, sent = PageForm(values=values), [], []
    for i in range(1, ENTRIES + 1):
        code, typed = values[f"code_{i}"], values[f"hours_{i}"]
        if not code and not typed:
            continue
        minutes = parse_hours(typed)
        if not code:
            form.errors[f"code_{i}"] = t(_("Choose a code for these hours."))
        if minutes is None:
            form.errors[f"hours_{i}"] = t(_("Type the hours as 8:00, 7:36 or 7,6."))
        entries.append({"code": code, "minutes": minutes})
        sent.append(i)
    if not entries:
        form.errors["code_1"] = t(_("Choose a code and its hours, or put the day back as planned."))
    if form.invalid:
        return await _day_page(request, worker_id, month, day, form, status=400)
    path = f"/calendar/workers/{worker_id}/months/{month}/days/{day}"
    try:
        await gateway_of(request).put(session_of(request), path, {"entries": entries})
    except ApiError as refused:
        if refused.status in (403,) or refused.kind == "month-not-found":
            raise
        form = _problem_form(request, refused, values, sent)
        return await _day_page(request, worker_id, month, day, form, status=400)
    flash(request, _("The day is saved; the month's totals are up to date."))
    return redirect(f"/hr/workers/{worker_id}/calendar/{month}#day-{day}")


@router.post("/hr/workers/{worker_id}/calendar/{month}/days/{day}/reset", response_class=HTMLResponse)
async def reset_day(request: Request, worker_id: str, month: str, day: str) -> Response:
    path = f"/calendar/workers/{worker_id}/months/{month}/days/{day}"
    try:
        await gateway_of(request).delete(session_of(request), path)
    except ApiError as refused:
        if refused.status in (403,) or refused.kind == "month-not-found":
            raise
        form = _problem_form(request, refused, {}, [])
        return await _day_page(request, worker_id, month, day, form, status=400)
    flash(request, _("The day is back as planned."))
    return redirect(f"/hr/workers/{worker_id}/calendar/{month}#day-{day}")
