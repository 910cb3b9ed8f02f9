"""HR: a worker's personal data (fill in or correct them: nationality, NISS, birth, sex, civil status, language,
private e-mail, mobile, IBAN, address), and the effective-dated ones, address and civil status, changed from a
date with their history kept."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, gateway_of, redirect, render, session_of
from .common import CIVIL_STATUSES, PERSON_LANGUAGES, SEXES, choices, full_name, nationalities
from .forms import (
    ADDRESS_FIELDS,
    PERSONAL_FIELDS,
    is_form_problem,
    nested,
    personal_data_body,
    personal_data_values,
    problem_form,
    shown_in_form,
    submitted,
)
from .workers import worker_page

router = APIRouter()
DEFAULTS = {"nationality": "BE", "address.country": "BE", "language": "fr", "civil_status": "single"}


def form_choices(request: Request) -> dict[str, Any]:
    """The selects of the personal-data form, in the page's language (shared with the new hire's form)."""
    return {
        "country_options": nationalities(request),
        "sex_options": choices(request, SEXES),
        "civil_status_options": choices(request, CIVIL_STATUSES),
        "language_options": choices(request, PERSON_LANGUAGES),
    }


def _page(request: Request, worker: dict[str, Any], form: PageForm, origins: dict[str, str], status: int = 200) -> Any:
    return render(
        request,
        "hr/personal_data.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        form=form,
        origins=origins,
        **form_choices(request),
    )


@router.get("/hr/workers/{worker_id}/personal-data", response_class=HTMLResponse)
async def personal_data_page(request: Request, worker_id: str) -> Response:
    worker = await gateway_of(request).get(session_of(request), f"/people/workers/{worker_id}")
    values, origins = personal_data_values(worker.get("personal_data") or {})
    shown = {**DEFAULTS, **shown_in_form({k: v for k, v in values.items() if v not in ("", None)})}
    return _page(request, worker, PageForm(values=shown), origins)


@router.post("/hr/workers/{worker_id}/personal-data", response_class=HTMLResponse)
async def save_personal_data(request: Request, worker_id: str) -> Response:
    gateway, session = gateway_of(request), session_of(request)
    values = await submitted(request, PERSONAL_FIELDS)
    try:
        await gateway.put(session, f"/people/workers/{worker_id}/personal-data", personal_data_body(values))
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        worker = await gateway.get(session, f"/people/workers/{worker_id}")
        _values, origins = personal_data_values(worker.get("personal_data") or {})
        return _page(request, worker, problem_form(request, refused, values), origins, status=400)
    flash(request, _("The personal data are saved."))
    return redirect(f"/hr/workers/{worker_id}#personal-data")


@router.post("/hr/workers/{worker_id}/addresses", response_class=HTMLResponse)
async def new_address(request: Request, worker_id: str) -> Response:
    names = ("effective_date", *(f"address.{name}" for name in ADDRESS_FIELDS))
    values = await submitted(request, names)
    body = nested({k: (v if v or k != "address.box" else None) for k, v in values.items()})
    try:
        await gateway_of(request).post(session_of(request), f"/people/workers/{worker_id}/addresses", body)
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        form = problem_form(request, refused, values)
        return await worker_page(request, worker_id, {"address": form}, status=400)
    flash(request, _("The new address is recorded; the former one stays in the history."))
    return redirect(f"/hr/workers/{worker_id}#addresses")


@router.post("/hr/workers/{worker_id}/civil-status", response_class=HTMLResponse)
async def new_civil_status(request: Request, worker_id: str) -> Response:
    values = await submitted(request, ("civil_status", "effective_date"))
    try:
        await gateway_of(request).post(session_of(request), f"/people/workers/{worker_id}/civil-status", values)
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        form = problem_form(request, refused, values)
        return await worker_page(request, worker_id, {"civil_status": form}, status=400)
    flash(request, _("The new civil status is recorded; the former one stays in the history."))
    return redirect(f"/hr/workers/{worker_id}#civil-statuses")
