"""HR: the employer's leave types and calendar codes (Officient's "types de congé"): the active ones, the inactive
ones on request ("show inactive types"), and each type activated or deactivated; a leave type is activated with
two separate switches: employees may request it in self-service, and a manager validates it. WORK and PH, the
planning's own codes, are always active."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, language_of, redirect, render, session_of
from .common import can, get_in_language

router = APIRouter()
UNITS: dict[str, str] = {
    "hours": _("Hours"),
    "day": _("Whole day"),
    "half_day": _("Whole or half day"),
    "amount": _("Amount"),
    "unit_days": _("Amount per day"),
}
MESSAGES: dict[str, str] = {
    "code-always-active": _("Planned work and public holidays are always active."),
    "not-a-leave-type": _("Only a leave type can be requested by employees or need a validation."),
    "unknown-code": _("This code does not exist."),
}


async def _page(request: Request, inactive: bool, form: PageForm | None = None, status: int = 200) -> HTMLResponse:
    found = await get_in_language(
        request, "/calendar/codes", kind="performance", include_inactive="true" if inactive else "false"
    )
    return render(
        request,
        "hr/leave_types.html",
        status=status,
        codes=found["items"],
        inactive=inactive,
        units=UNITS,
        form=form or PageForm(),
        may_change=can(request, "calendar:write"),
    )


@router.get("/hr/leave-types", response_class=HTMLResponse)
async def leave_types(request: Request, inactive: bool = False) -> Response:
    return await _page(request, inactive)


@router.post("/hr/leave-types/{code}", response_class=HTMLResponse)
async def change(request: Request, code: str) -> Response:
    submitted = await request.form()
    action = str(submitted.get("action", ""))
    inactive = str(submitted.get("inactive", "")) in ("1", "true")
    body: dict[str, Any] = {"active": action != "deactivate"}
    if str(submitted.get("leave_type", "")) == "1" and action != "deactivate":
        body["requestable"] = submitted.get("requestable") == "on"
        body["needs_validation"] = submitted.get("needs_validation") == "on"
    headers = {"Accept-Language": language_of(request)}
    try:
        changed = await gateway_of(request).put(
            session_of(request), f"/calendar/codes/{code}/settings", body, headers=headers
        )
    except ApiError as refused:
        if refused.status == 403:
            raise
        form = form_from_problem(request, refused, {}, messages=MESSAGES)
        form.general.extend(form.errors.values())
        form.errors = {}
        return await _page(request, inactive, form, status=400)
    if action == "deactivate":
        flash(request, _("The type is deactivated: it can no longer be put on a day."))
    elif action == "activate":
        flash(request, _("The type is active: it can now be put on a worker's day."))
    else:
        flash(request, _("The type's settings are saved."))
    target = "/hr/leave-types?inactive=1" if inactive else "/hr/leave-types"
    return redirect(f"{target}#code-{changed['code']}")
