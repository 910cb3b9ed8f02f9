"""HR: the employer's workers (list, add one), a worker's page with the contracts and a form to sign another, the
worker's calendars, and the employee vault account with its enrollment letter."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render, session_of
from .common import (
    CONTRACT_TYPES,
    MESSAGES,
    PAGE_SIZE,
    SEXES,
    WORKER_TYPES,
    can,
    choices,
    current_contract,
    full_name,
    label,
    month_name,
    nationalities,
    niss_display,
    today_in_belgium,
)

router = APIRouter()
WORKER_FIELDS = (
    "first_name",
    "last_name",
    "niss",
    "birth_date",
    "sex",
    "nationality",
    "work_email",
    "birth_place",
    "mobile_phone",
)
CONTRACT_FIELDS = (
    "start_date",
    "end_date",
    "contract_type",
    "weekly_hours",
    "gross_monthly_salary",
    "joint_committee",
    "worker_type",
)
OPTIONAL = ("birth_place", "mobile_phone", "end_date")


async def _submitted(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name, "")).strip() for name in names}


def _body(values: dict[str, str]) -> dict[str, Any]:
    """What the API takes: optional fields left empty are left out."""
    return {k: v for k, v in values.items() if not (k in OPTIONAL and v == "")}


def decimal_input(text: str) -> str:
    """An amount as Belgians type it (3.150,50 or 3 150,50 or 38,5) in the API's notation (3150.50, 38.5); what
    cannot be read is passed on as typed, so the API names the field."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        Decimal(cleaned)
    except InvalidOperation:
        return text
    return cleaned


# --- The list -------------------------------------------------------------------------------------------------


@router.get("/hr/workers", response_class=HTMLResponse)
async def workers(request: Request, offset: int = 0) -> Response:
    page = await gateway_of(request).get(session_of(request), "/people/workers", limit=PAGE_SIZE, offset=max(offset, 0))
    today = today_in_belgium()
    rows = [{"worker": w, "contract": current_contract(w, today)} for w in page["items"]]
    return render(
        request,
        "hr/workers.html",
        page=page,
        rows=rows,
        today=today,
        contract_types=dict(CONTRACT_TYPES),
        may_add=can(request, "people:write"),
    )


# --- Adding a worker ------------------------------------------------------------------------------------------


def _worker_form(request: Request, form: PageForm, *, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "hr/worker_new.html",
        status=status,
        form=form,
        sexes=choices(request, SEXES),
        countries=nationalities(request),
    )


@router.get("/hr/workers/new", response_class=HTMLResponse)
async def new_worker_page(request: Request) -> Response:
    return _worker_form(request, PageForm(values={"nationality": "BE"}))


@router.post("/hr/workers", response_class=HTMLResponse)
async def add_worker(request: Request) -> Response:
    values = await _submitted(request, WORKER_FIELDS)
    try:
        created = await gateway_of(request).post(session_of(request), "/people/workers", _body(values))
    except ApiError as refused:
        if refused.status in (403, 404):
            raise
        return _worker_form(request, form_from_problem(request, refused, values, messages=MESSAGES), status=400)
    flash(request, _("The worker is registered. Add their contract now."))
    return redirect(f"/hr/workers/{created['worker_id']}#new-contract")


# --- A worker's page ------------------------------------------------------------------------------------------


def _contract_defaults() -> dict[str, str]:
    return {
        "start_date": today_in_belgium().isoformat(),
        "contract_type": "indefinite",
        "worker_type": "OTH",
        "weekly_hours": "38",
    }


async def _worker_page(request: Request, worker_id: str, form: PageForm, *, status: int = 200) -> HTMLResponse:
    gateway, session = gateway_of(request), session_of(request)
    worker = await gateway.get(session, f"/people/workers/{worker_id}")
    months: list[tuple[str, str]] = []
    if can(request, "calendar:read"):
        calendars = await gateway.get(session, "/calendar/calendars", worker_id=worker_id, limit=200)
        found = sorted({c["month"] for c in calendars["items"]})
        months = [(m, month_name(request, date.fromisoformat(f"{m}-01"))) for m in found]
    account = None
    if can(request, "vault:read"):
        try:
            account = await gateway.get(session, f"/identity/employees/{worker_id}")
        except ApiError as missing:
            if missing.status != 404:  # 404: the vault and its account are being opened
                raise
    contracts = sorted(worker["contracts"], key=lambda c: str(c["start_date"]))
    return render(
        request,
        "hr/worker.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        niss=niss_display(worker["niss"]),
        sex=label(SEXES, worker["sex"]),
        nationality=dict(nationalities(request)).get(worker["nationality"], worker["nationality"]),
        contracts=contracts,
        contract_types=dict(CONTRACT_TYPES),
        worker_types=dict(WORKER_TYPES),
        months=months,
        this_month=today_in_belgium().strftime("%Y-%m"),
        account=account,
        form=form,
        contract_type_choices=choices(request, CONTRACT_TYPES),
        worker_type_choices=choices(request, WORKER_TYPES),
        may_sign=can(request, "people:write"),
        may_print=can(request, "vault:write"),
        may_register=can(request, "presence:write"),
    )


@router.get("/hr/workers/{worker_id}", response_class=HTMLResponse)
async def worker_page(request: Request, worker_id: str) -> Response:
    return await _worker_page(request, worker_id, PageForm(values=_contract_defaults()))


@router.post("/hr/workers/{worker_id}/contracts", response_class=HTMLResponse)
async def sign_contract(request: Request, worker_id: str) -> Response:
    values = await _submitted(request, CONTRACT_FIELDS)
    body = _body(values)
    for amount in ("weekly_hours", "gross_monthly_salary"):
        if body.get(amount):
            body[amount] = decimal_input(body[amount])
    try:
        await gateway_of(request).post(session_of(request), f"/people/workers/{worker_id}/contracts", body)
    except ApiError as refused:
        if refused.status in (403, 404):
            raise
        form = form_from_problem(request, refused, values, messages=MESSAGES)
        _explain_refused_contract(request, refused, form)
        return await _worker_page(request, worker_id, form, status=400)
    flash(request, _("The contract is signed. Its first month's calendar appears in a moment."))
    return redirect(f"/hr/workers/{worker_id}")


def _explain_refused_contract(request: Request, refused: ApiError, form: PageForm) -> None:
    """People refuses a contract's dates with one problem kind for several rules: say which one, from the values
    typed (the API's detail is English only)."""
    t = gettext_of(request)
    values = form.values
    for item in refused.field_errors:
        if item.get("type") != "invalid-contract":
            continue
        field = str(item.get("field", ""))
        start, end = _date_or_none(values.get("start_date")), _date_or_none(values.get("end_date"))
        if field == "end_date":
            if start and end and end < start:
                message = _("The end date is before the start date.")
            elif end and end.year > 2100:
                message = _("The end date must be in 2100 or earlier.")
            else:
                message = _(
                    "This contract needs an end date: fixed-term and student contracts do, and so do students, "
                    "trainees (IVT) and occasional workers (EXT)."
                )
        elif field == "start_date":
            if start and start > today_in_belgium() + timedelta(days=366):
                message = _("A contract starts at most a year from today.")
            else:
                message = _("The contract cannot start before the worker's birth date.")
        else:
            continue
        form.errors[field] = t(message)


def _date_or_none(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None


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
            flash(request, MESSAGES["account-already-activated"], "error")
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
