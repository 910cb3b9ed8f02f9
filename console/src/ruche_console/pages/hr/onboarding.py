"""HR's side of self-service onboarding: send the new hire a single-use link (again, if need be), withdraw it,
and review what the new hire submitted (each value with its origin), correct it and validate it so that it
counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ... import i18n
from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, gateway_of, gettext_of, language_of, redirect, render, session_of
from .common import ONBOARDING_STATES, ORIGINS, TONES, full_name
from .forms import (
    PERSONAL_FIELDS,
    is_form_problem,
    personal_data_body,
    personal_data_values,
    problem_form,
    shown_in_form,
    submitted,
)
from .personal_data import form_choices
from .workers import next_step_page, worker_page

router = APIRouter()
VALUE_KEYS = ("values", "fields", "submitted", "data", "draft", "personal_data")


def submitted_values(onboarding: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """What the new hire gave (and HR corrected), with each field's origin."""
    for key in VALUE_KEYS:
        if isinstance(onboarding.get(key), Mapping):
            return personal_data_values(onboarding[key])
    return {}, {}


def corrections(typed: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    """The fields HR changed, as the API takes them (an address as a whole)."""
    body = personal_data_body({k: str(v) for k, v in typed.items()})
    was = personal_data_body({k: str(v) for k, v in before.items() if v is not None})
    return {name: value for name, value in body.items() if value != was.get(name)}


@router.post("/hr/workers/{worker_id}/onboarding", response_class=HTMLResponse)
async def send_link(request: Request, worker_id: str) -> Response:
    """Mail the self-service link: from the second step of "add a worker", or again from the worker's page."""
    gateway, session = gateway_of(request), session_of(request)
    values = await submitted(request, ("email", "language", "step"))
    body = {"email": values["email"], "language": values["language"]}
    try:
        sent = await gateway.post(session, f"/people/workers/{worker_id}/onboarding", body)
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        form = problem_form(request, refused, values)
        if values["step"] == "next":
            worker = await gateway.get(session, f"/people/workers/{worker_id}")
            return next_step_page(request, worker, form, status=400)
        return await worker_page(request, worker_id, {"onboarding": form}, status=400)
    fmt_date = _expiry(request, (sent or {}).get("expires_at"))
    text = gettext_of(request)(_("The self-service link was sent to %(email)s. It works until %(date)s."))
    session.flash(text % {"email": body["email"], "date": fmt_date}, "success")
    session.changed = True
    return redirect(f"/hr/workers/{worker_id}#onboarding")


def _expiry(request: Request, expires_at: str | None) -> str:
    return i18n.Formats(language_of(request)).datetime(expires_at) if expires_at else "—"


@router.post("/hr/workers/{worker_id}/onboarding/withdraw", response_class=HTMLResponse)
async def withdraw(request: Request, worker_id: str) -> Response:
    await gateway_of(request).delete(session_of(request), f"/people/workers/{worker_id}/onboarding")
    flash(request, _("The self-service link is withdrawn: it no longer opens the form."))
    return redirect(f"/hr/workers/{worker_id}#onboarding")


async def _review(request: Request, worker_id: str, form: PageForm | None = None, *, status: int = 200) -> Response:
    gateway, session = gateway_of(request), session_of(request)
    worker = await gateway.get(session, f"/people/workers/{worker_id}")
    onboarding: dict[str, Any] = await gateway.get(session, f"/people/workers/{worker_id}/onboarding")
    values, origins = submitted_values(onboarding)
    return render(
        request,
        "hr/onboarding_review.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        onboarding=onboarding,
        states=dict(ONBOARDING_STATES),
        origin_labels=dict(ORIGINS),
        tones=TONES,
        submitted_values=values,
        origins=origins,
        form=form or PageForm(values=shown_in_form(values)),
        **form_choices(request),
    )


@router.get("/hr/workers/{worker_id}/onboarding", response_class=HTMLResponse)
async def review_page(request: Request, worker_id: str) -> Response:
    return await _review(request, worker_id)


@router.post("/hr/workers/{worker_id}/onboarding/validate", response_class=HTMLResponse)
async def validate(request: Request, worker_id: str) -> Response:
    gateway, session = gateway_of(request), session_of(request)
    typed = await submitted(request, PERSONAL_FIELDS)
    onboarding = await gateway.get(session, f"/people/workers/{worker_id}/onboarding")
    before, _origins = submitted_values(onboarding)
    changed = corrections(typed, before)
    body = {"corrections": changed} if changed else {}
    try:
        await gateway.post(session, f"/people/workers/{worker_id}/onboarding/validate", body)
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        form = problem_form(request, refused, typed, renames={"corrections.": ""})
        return await _review(request, worker_id, form, status=400)
    flash(request, _("The personal data are validated: they count from now on."))
    return redirect(f"/hr/workers/{worker_id}#personal-data")
