"""HR: presence registration (as Checkin@work does it): register a worker at one of the employer's workplaces for a
day, today or in advance, and keep the receipt number; consult the registrations by day and worker; declare the
workplaces a registration names."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render, session_of
from .common import PAGE_SIZE, can, full_name, today_in_belgium, workers_by_id
from .forms import PRESENCE_MESSAGES as MESSAGES

router = APIRouter()
WORKPLACE_FIELDS = ("workplace_id", "name", "address.street", "address.postal_code", "address.city")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


async def _workplaces(request: Request) -> dict[str, dict[str, Any]]:
    page = await gateway_of(request).get(session_of(request), "/presence/workplaces", limit=200)
    return {w["workplace_id"]: w for w in page["items"]}


async def _presences_page(
    request: Request,
    form: PageForm,
    *,
    day: str = "",
    worker: str = "",
    offset: int = 0,
    status: int = 200,
) -> HTMLResponse:
    chosen_day = _day(day)
    workers, total_workers = await workers_by_id(request) if can(request, "people:read") else ({}, 0)
    workplaces = await _workplaces(request)
    registrations = await gateway_of(request).get(
        session_of(request),
        "/presence/registrations",
        date=chosen_day.isoformat() if chosen_day else None,
        worker_id=worker or None,
        limit=PAGE_SIZE,
        offset=max(offset, 0),
    )
    query = {k: v for k, v in (("day", chosen_day.isoformat() if chosen_day else ""), ("worker", worker)) if v}
    worker_choices = sorted(
        ((w["worker_id"], f"{w['last_name']} {w['first_name']}") for w in workers.values()),
        key=lambda pair: pair[1].casefold(),
    )
    return render(
        request,
        "hr/presences.html",
        status=status,
        form=form,
        registrations=registrations,
        workers=workers,
        workplaces=workplaces,
        worker_choices=worker_choices,
        workplace_choices=[(w["workplace_id"], f"{w['name']} ({w['workplace_id']})") for w in workplaces.values()],
        more_workers=total_workers > len(workers),
        filters=PageForm(values={"day": chosen_day.isoformat() if chosen_day else "", "worker": worker}),
        base="/hr/presences" + (f"?{urlencode(query)}" if query else ""),
        full_name=full_name,
        may_register=can(request, "presence:write"),
    )


@router.get("/hr/presences", response_class=HTMLResponse)
async def presences(request: Request, day: str = "", worker: str = "", offset: int = 0) -> Response:
    defaults = {"date": today_in_belgium().isoformat(), "worker_id": worker}
    return await _presences_page(request, PageForm(values=defaults), day=day, worker=worker, offset=offset)


@router.post("/hr/presences", response_class=HTMLResponse)
async def register(request: Request) -> Response:
    submitted = await request.form()
    values = {name: str(submitted.get(name, "")).strip() for name in ("worker_id", "workplace_id", "date")}
    try:
        created = await gateway_of(request).post(session_of(request), "/presence/registrations", values)
    except ApiError as refused:
        if refused.status in (403, 404):
            raise
        form = form_from_problem(request, refused, values, messages=MESSAGES)
        if refused.kind == "registration-refused":
            day, t = _day(values["date"]), gettext_of(request)
            form.errors["date"] = t(
                _("A presence is registered before work starts: today or a later day.")
                if day is not None and day < today_in_belgium()
                else _("The worker has no contract with you on that day.")
            )
        return await _presences_page(request, form, status=400)
    flash(request, _("The presence is registered. Keep the receipt number."))
    return redirect(f"/hr/presences/{created['registration_id']}")


# Before /hr/presences/{registration_id}, which would take "workplaces" for an id.
@router.get("/hr/presences/workplaces", response_class=HTMLResponse)
async def workplaces_page(request: Request) -> Response:
    return await _workplaces_page(request, PageForm())


async def _workplaces_page(request: Request, form: PageForm, *, status: int = 200) -> HTMLResponse:
    page = await gateway_of(request).get(session_of(request), "/presence/workplaces", limit=200)
    return render(
        request,
        "hr/workplaces.html",
        status=status,
        form=form,
        workplaces=page,
        may_declare=can(request, "presence:write"),
    )


@router.post("/hr/presences/workplaces", response_class=HTMLResponse)
async def declare_workplace(request: Request) -> Response:
    submitted = await request.form()
    values = {name: str(submitted.get(name, "")).strip() for name in WORKPLACE_FIELDS}
    values["workplace_id"] = values["workplace_id"].upper().replace(" ", "")
    body = {
        "workplace_id": values["workplace_id"],
        "name": values["name"],
        "address": {
            "street": values["address.street"],
            "postal_code": values["address.postal_code"],
            "city": values["address.city"],
        },
    }
    try:
        await gateway_of(request).post(session_of(request), "/presence/workplaces", body)
    except ApiError as refused:
        if refused.status in (403, 404):
            raise
        return await _workplaces_page(
            request, form_from_problem(request, refused, values, messages=MESSAGES), status=400
        )
    flash(request, _("The workplace is declared: presences can be registered there."))
    return redirect("/hr/presences")


@router.get("/hr/presences/{registration_id}", response_class=HTMLResponse)
async def receipt(request: Request, registration_id: str) -> Response:
    gateway, session = gateway_of(request), session_of(request)
    registration = await gateway.get(session, f"/presence/registrations/{registration_id}")
    worker: dict[str, Any] | None = None
    if can(request, "people:read"):
        try:
            worker = await gateway.get(session, f"/people/workers/{registration['worker_id']}")
        except ApiError as missing:
            if missing.status != 404:
                raise
    workplaces = await _workplaces(request)
    return render(
        request,
        "hr/receipt.html",
        registration=registration,
        worker=worker,
        name=full_name(worker),
        workplace=workplaces.get(registration["workplace_id"]),
    )
