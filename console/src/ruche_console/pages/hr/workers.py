"""HR: the employer's workers (search by name and NISS, status on a date, sorting, paging), adding one in two
steps as the seed does it (names and work e-mail, then either HR fills in the personal data or the new hire gets
a self-service link), the worker's page (personal data with their origin, address and civil-status history,
onboarding, contracts, calendar, vault), and the employee vault's enrollment letter."""

from __future__ import annotations

import re
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, gateway_of, redirect, render, session_of
from .common import (
    CIVIL_STATUSES,
    CONTRACT_STATUSES,
    CONTRACT_TYPES,
    DIMONA_STATES,
    MAIL_LANGUAGES,
    ONBOARDING_STATES,
    ORIGINS,
    PAGE_SIZE,
    PERSON_LANGUAGES,
    SEXES,
    TONES,
    WORKER_STATUSES,
    can,
    choices,
    contract_status_on,
    full_name,
    iban_display,
    month_name,
    nationalities,
    niss_display,
    phone_display,
    today_in_belgium,
    worker_status,
)
from .forms import date_or_none, is_form_problem, niss_input, personal_data_values, problem_form, submitted

router = APIRouter()
SORTS = ("last_name", "-last_name", "first_name", "-first_name", "created", "-created")
STEP_ONE = ("first_name", "last_name", "work_email")


def items_of(answer: Any) -> list[dict[str, Any]]:
    """A list the API gives bare or as a page ({items, ...})."""
    if isinstance(answer, dict):
        return list(answer.get("items") or [])
    return list(answer or [])


# --- The list -------------------------------------------------------------------------------------------------


@router.get("/hr/workers", response_class=HTMLResponse)
async def workers(
    request: Request, q: str = "", niss: str = "", status: str = "", on: str = "", sort: str = "", offset: int = 0
) -> Response:
    today = today_in_belgium()
    day = date_or_none(on) or today
    sort = sort if sort in SORTS else "last_name"
    status = status if status in dict(WORKER_STATUSES) else ""
    query = {"q": q.strip(), "niss": niss_input(niss.strip()), "status": status, "on": on if on else ""}
    filters = PageForm(values={"q": q, "niss": niss, "status": status, "on": day.isoformat()})
    try:
        page = await gateway_of(request).get(
            session_of(request), "/people/workers", **query, sort=sort, limit=PAGE_SIZE, offset=max(offset, 0)
        )
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        filters = problem_form(request, refused, filters.values)
        page = {"items": [], "total": 0, "limit": PAGE_SIZE, "offset": 0}
    given = {k: v for k, v in query.items() if v}
    # Each listed worker carries its status on the list's day (null: no contract yet).
    rows = [{"worker": w, "status": w.get("status"), "complete": True} for w in page["items"]]

    def sorted_by(column: str) -> str:
        """The header's link: this column ascending, or descending when it already is."""
        target = f"-{column}" if sort == column else column
        return "/hr/workers?" + urlencode({**given, "sort": target})

    return render(
        request,
        "hr/workers.html",
        page=page,
        rows=rows,
        day=day,
        sort=sort,
        sorted_by=sorted_by,
        base="/hr/workers?" + urlencode({**given, "sort": sort}),
        searched=bool(given),
        filters=filters,
        status_options=choices(request, WORKER_STATUSES),
        statuses=dict(WORKER_STATUSES),
        tones=TONES,
        may_add=can(request, "people:write"),
    )


async def history(request: Request, path: str) -> list[dict[str, Any]]:
    """A list of the worker's (an effective-dated history, the contracts); none yet: empty."""
    try:
        return items_of(await gateway_of(request).get(session_of(request), path))
    except ApiError as missing:
        if missing.status != 404:
            raise
        return []


# --- Adding a worker: step one, then the choice ---------------------------------------------------------------


@router.get("/hr/workers/new", response_class=HTMLResponse)
async def new_worker_page(request: Request) -> Response:
    return render(request, "hr/worker_new.html", form=PageForm())


@router.post("/hr/workers", response_class=HTMLResponse)
async def add_worker(request: Request) -> Response:
    values = await submitted(request, STEP_ONE)
    try:
        created = await gateway_of(request).post(session_of(request), "/people/workers", values)
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        form = problem_form(request, refused, values)
        return render(request, "hr/worker_new.html", status=400, form=form)
    return redirect(f"/hr/workers/{created['worker_id']}/next")


@router.get("/hr/workers/{worker_id}/next", response_class=HTMLResponse)
async def next_step(request: Request, worker_id: str) -> Response:
    worker = await gateway_of(request).get(session_of(request), f"/people/workers/{worker_id}")
    return next_step_page(request, worker, PageForm(values={"email": "", "language": "fr"}))


def next_step_page(request: Request, worker: dict[str, Any], form: PageForm, *, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "hr/worker_next.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        form=form,
        language_options=choices(request, MAIL_LANGUAGES),
    )


# --- A worker's page ------------------------------------------------------------------------------------------


async def worker_page(
    request: Request, worker_id: str, forms: dict[str, PageForm] | None = None, *, status: int = 200, on: str = ""
) -> HTMLResponse:
    """The worker's page; `forms` are the page's forms shown again with their errors (by name: address,
    civil_status, onboarding)."""
    gateway, session = gateway_of(request), session_of(request)
    path = f"/people/workers/{worker_id}"
    worker = await gateway.get(session, path)
    today = today_in_belgium()
    values, origins = personal_data_values(worker.get("personal_data") or {})
    addresses = await history(request, f"{path}/addresses")
    civil_statuses = await history(request, f"{path}/civil-status")
    onboarding = await _onboarding(request, worker)
    contracts = await history(request, f"{path}/contracts") or list(worker.get("contracts") or [])
    contracts.sort(key=lambda c: str(c.get("start_date", "")))
    looked_up = await _on_date(request, path, on) if on else None
    months: list[tuple[str, str]] = []
    if can(request, "calendar:read") and contracts:
        calendars = await gateway.get(session, "/calendar/calendars", worker_id=worker_id, limit=200)
        found = sorted({c["month"] for c in calendars["items"]})
        months = [(m, month_name(request, date.fromisoformat(f"{m}-01"))) for m in found]
    account = None
    if can(request, "vault:read") and worker.get("registered"):
        try:
            account = await gateway.get(session, f"/identity/employees/{worker_id}")
        except ApiError as missing:
            if missing.status != 404:  # 404: the vault and its account are being opened
                raise
    shown = {"address": PageForm(values={"effective_date": today.isoformat(), "address.country": "BE"})}
    shown["civil_status"] = PageForm(values={"effective_date": today.isoformat()})
    shown["onboarding"] = PageForm(values=_onboarding_defaults(worker, values, onboarding))
    shown.update(forms or {})
    return render(
        request,
        "hr/worker.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        status_code=worker_status({**worker, "contracts": contracts}, today),
        data=values if any(v not in ("", None) for v in values.values()) else {},
        origins=origins,
        niss=niss_display(str(values.get("niss") or "")),
        iban=iban_display(str(values.get("iban") or "")),
        phone=phone_display(str(values.get("mobile_phone") or "")),
        countries=dict(nationalities(request)),
        addresses=sorted(addresses, key=lambda a: str(a.get("effective_date", "")), reverse=True),
        civil_statuses=sorted(civil_statuses, key=lambda c: str(c.get("effective_date", "")), reverse=True),
        on=on,
        looked_up=looked_up,
        onboarding=onboarding,
        contracts=[{**c, "status": contract_status_on(c, today)} for c in contracts],
        months=months,
        account=account,
        forms=shown,
        labels={
            "sex": dict(SEXES),
            "civil_status": dict(CIVIL_STATUSES),
            "language": dict(PERSON_LANGUAGES),
            "origin": dict(ORIGINS),
            "worker_status": dict(WORKER_STATUSES),
            "contract_status": dict(CONTRACT_STATUSES),
            "contract_type": dict(CONTRACT_TYPES),
            "dimona": dict(DIMONA_STATES),
            "onboarding": dict(ONBOARDING_STATES),
        },
        tones=TONES,
        country_options=nationalities(request),
        civil_status_options=choices(request, CIVIL_STATUSES),
        language_options=choices(request, MAIL_LANGUAGES),
        may_write=can(request, "people:write"),
        may_print=can(request, "vault:write"),
        may_register=can(request, "presence:write"),
    )


async def _onboarding(request: Request, worker: dict[str, Any]) -> dict[str, Any] | None:
    """The self-service link's state, when one was ever sent."""
    summary = worker.get("onboarding")
    if isinstance(summary, str):
        summary = {"state": summary}
    try:
        found: dict[str, Any] = await gateway_of(request).get(
            session_of(request), f"/people/workers/{worker['worker_id']}/onboarding"
        )
    except ApiError as missing:
        if missing.status != 404:
            raise
        return summary or None
    return {**(summary or {}), **found} if found else summary


def _onboarding_defaults(
    worker: dict[str, Any], values: dict[str, Any], onboarding: dict[str, Any] | None
) -> dict[str, Any]:
    email = (onboarding or {}).get("email") or values.get("private_email") or ""
    language = (onboarding or {}).get("language") or values.get("language") or "fr"
    language = language if language in dict(MAIL_LANGUAGES) else "fr"
    return {"email": email, "language": language}


async def _on_date(request: Request, path: str, on: str) -> dict[str, Any]:
    """What was true on a date: the address and the civil status then (None: nothing known yet)."""
    found: dict[str, Any] = {"date": date_or_none(on)}
    if found["date"] is None:
        return found
    for key, route in (("address", "addresses"), ("civil_status", "civil-status")):
        try:
            answer = await gateway_of(request).get(session_of(request), f"{path}/{route}", on=on)
        except ApiError as missing:
            if missing.status not in (404, 422):
                raise
            answer = None
        entries = items_of(answer) if isinstance(answer, list) or (answer and "items" in answer) else [answer]
        found[key] = entries[0] if entries and entries[0] else None
    return found


@router.get("/hr/workers/{worker_id}", response_class=HTMLResponse)
async def worker_page_route(request: Request, worker_id: str, on: str = "") -> Response:
    return await worker_page(request, worker_id, on=on)


# --- The employee account and its enrollment letter ----------------------------------------------------------

LETTER_LINES = {
    "identifier": r"Identifier: (\d{12})",
    "provisional_password": r"Provisional password: (\S+)",
    "valid_until": r"Valid until: (\d{4}-\d{2}-\d{2})",
    "private_number": r"Private number: (\d{6})",
}


def read_letter(text: str) -> dict[str, str] | None:
    """The four values of identity's enrollment letter (a text in three languages), or None if it changed shape."""
    found = {key: re.search(pattern, text) for key, pattern in LETTER_LINES.items()}
    if not all(found.values()):
        return None
    return {key: match.group(1) for key, match in found.items() if match}


@router.post("/hr/workers/{worker_id}/enrollment-letter", response_class=HTMLResponse)
async def enrollment_letter(request: Request, worker_id: str) -> Response:
    gateway, session = gateway_of(request), session_of(request)
    worker = await gateway.get(session, f"/people/workers/{worker_id}")
    try:
        answer = await gateway.request(session, "POST", f"/identity/employees/{worker_id}/enrollment-letter")
    except ApiError as refused:
        if refused.status == 409:
            flash(request, _("The employee has already chosen a password: no new letter is needed."), "error")
        elif refused.status == 404:
            flash(request, _("The employee's vault is being opened: try again in a moment."), "error")
        else:
            raise
        return redirect(f"/hr/workers/{worker_id}")
    settings = request.app.state.settings
    return render(
        request,
        "hr/letter.html",
        worker=worker,
        name=full_name(worker),
        letter=read_letter(answer.text),
        text=answer.text,
        sign_in_url=f"{settings.public_url.rstrip('/')}/employee/first-sign-in",
    )
