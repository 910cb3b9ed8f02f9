"""HR: a worker's one-off salary elements of a month (Officient's "éléments de salaire non-récurrents": a bonus, a
commission, expenses; a total amount, or an amount per day times a number of days), added and removed one by one,
and the month's message to the payroll provider, sent with its calendar. Both are in the month grid the calendar
service answers; this module writes them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, redirect, render, session_of
from .calendars import parse_month
from .common import full_name, get_in_language, month_name
from .forms import decimal_input

router = APIRouter()
FIELDS = ("code", "amount", "unit_amount", "days", "comment")
MESSAGES: dict[str, str] = {
    "not-a-salary-element": _("Choose one of the proposed types."),
    "unknown-code": _("Choose one of the proposed types."),
    "inactive-code": _("This type is not active for your enterprise."),
    "amount-refused": _("An amount in euros, more than 0, with at most 2 decimals (at most 100.000 €; 1.000 € a day)."),
    "days-refused": _("A number of days from 1 to the days of the month."),
    "value-not-for-this-code": _("This type takes a total amount, or an amount per day and a number of days."),
    "comment-too-long": _("This is too long."),
    "message-too-long": _("A message holds at most 2000 characters."),
    "too-many-salary-elements": _("This month holds too many salary elements."),
    "month-locked": _("This month was sent to the payroll provider: it can no longer be changed."),
    "day-outside-contract": _("No contract of this worker covers this month."),
    "decimal_parsing": _("This is not a valid amount."),
}


def _base(worker_id: str, month: str) -> str:
    return f"/calendar/workers/{worker_id}/months/{month}"


async def _new_page(
    request: Request, worker_id: str, month: str, form: PageForm | None = None, status: int = 200
) -> HTMLResponse:
    first = parse_month(month)
    if first is None:
        raise HTTPException(404)
    worker = await gateway_of(request).get(session_of(request), f"/people/workers/{worker_id}")
    codes = await get_in_language(request, "/calendar/codes", kind="salary_element")
    return render(
        request,
        "hr/salary_element_new.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        month=month,
        title=month_name(request, first),
        form=form or PageForm(),
        choices=[(c["code"], c["label"]) for c in codes["items"]],
        per_day=[c["code"] for c in codes["items"] if c["unit"] == "unit_days"],
    )


@router.get("/hr/workers/{worker_id}/calendar/{month}/salary-elements/new", response_class=HTMLResponse)
async def new_element(request: Request, worker_id: str, month: str) -> Response:
    return await _new_page(request, worker_id, month)


@router.post("/hr/workers/{worker_id}/calendar/{month}/salary-elements", response_class=HTMLResponse)
async def add_element(request: Request, worker_id: str, month: str) -> Response:
    submitted = await request.form()
    values = {name: str(submitted.get(name, "")).strip() for name in FIELDS}
    body: dict[str, Any] = {"code": values["code"]}
    for name in ("amount", "unit_amount"):
        if values[name]:
            body[name] = decimal_input(values[name])
    if values["days"]:
        body["days"] = values["days"]
    if values["comment"]:
        body["comment"] = values["comment"]
    try:
        await gateway_of(request).post(session_of(request), f"{_base(worker_id, month)}/salary-elements", body)
    except ApiError as refused:
        if refused.status == 403 or refused.kind == "month-not-found":
            raise
        form = form_from_problem(request, refused, values, messages=MESSAGES)
        return await _new_page(request, worker_id, month, form, status=400)
    flash(request, _("The salary element is added to the month."))
    return redirect(f"/hr/workers/{worker_id}/calendar/{month}#salary-elements")


@router.post(
    "/hr/workers/{worker_id}/calendar/{month}/salary-elements/{element_id}/remove", response_class=HTMLResponse
)
async def remove_element(request: Request, worker_id: str, month: str, element_id: str) -> Response:
    try:
        await gateway_of(request).delete(session_of(request), f"{_base(worker_id, month)}/salary-elements/{element_id}")
    except ApiError as refused:
        if refused.status in (403, 404):
            raise
        flash(request, MESSAGES.get(refused.kind, _("This value is not valid.")), "error")
        return redirect(f"/hr/workers/{worker_id}/calendar/{month}#salary-elements")
    flash(request, _("The salary element is removed."))
    return redirect(f"/hr/workers/{worker_id}/calendar/{month}#salary-elements")


@router.post("/hr/workers/{worker_id}/calendar/{month}/message", response_class=HTMLResponse)
async def write_message(request: Request, worker_id: str, month: str) -> Response:
    submitted = await request.form()
    text = str(submitted.get("text", "")).strip()
    try:
        await gateway_of(request).put(session_of(request), f"{_base(worker_id, month)}/message", {"text": text})
    except ApiError as refused:
        if refused.status == 403 or refused.kind == "month-not-found":
            raise
        flash(request, MESSAGES.get(refused.kind, _("This value is not valid.")), "error")
        return redirect(f"/hr/workers/{worker_id}/calendar/{month}#message")
    flash(request, _("The message to the payroll provider is saved.") if text else _("The message is removed."))
    return redirect(f"/hr/workers/{worker_id}/calendar/{month}#message")
