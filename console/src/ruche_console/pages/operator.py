"""The platform operator's pages: designation requests by status (the signed form awaited, received, decided), a
request's details, recording that the signed form arrived, approving, and rejecting with a reason the requester
receives by e-mail. Only a token with `platform:designations` opens them: identity decides, and its 403 becomes the
console's page that says so."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..gateway import ApiError
from ..web import Form as PageForm
from ..web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render, session_of

router = APIRouter()
PAGE_SIZE = 25
Optional = Annotated[str, Form()]

# The tabs of the list, in the order a request goes through them; None lists them all.
STATUSES: tuple[tuple[str, str], ...] = (
    ("pending", _("Waiting for the signed form")),
    ("form_received", _("Signed form received")),
    ("approved", _("Approved")),
    ("rejected", _("Rejected")),
)
STATUS_NAMES = dict(STATUSES)
CAPACITIES = {"employee": _("Employee"), "director": _("Director"), "manager": _("Manager"), "partner": _("Partner")}
MESSAGES: dict[str, str] = {
    "designation-decided": _("This request is decided already."),
    "signed-form-missing": _("Record the signed form as received before approving."),
    "reason": _("Give the reason: the requester receives it by e-mail."),
}


def enterprise_number(number: str) -> str:
    """0403019261 as Belgians write it: 0403.019.261."""
    digits = "".join(c for c in number if c.isdigit())
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}" if len(digits) == 10 else number


def _ticket_path(ticket: str) -> str:
    return f"/identity/designations/{quote(ticket.strip(), safe='')}"


@router.get("/operator/designations", response_class=HTMLResponse)
async def designations(request: Request, status: str = "pending", offset: int = 0, ticket: str = "") -> Response:
    session, gateway = session_of(request), gateway_of(request)
    form = PageForm(values={"ticket": ticket})
    if ticket.strip():  # the ticket printed on a signed form: straight to its request
        try:
            found = await _details(request, ticket)
        except ApiError as missing:
            if missing.status != 404:
                raise
            form.errors["ticket"] = gettext_of(request)(_("No request has this ticket."))
        else:
            return redirect(f"/operator/designations/{quote(found['ticket'], safe='')}")
    chosen = status if status in STATUS_NAMES else None
    page = await gateway.get(session, "/identity/designations", status=chosen, limit=PAGE_SIZE, offset=max(offset, 0))
    counts = {}
    for code, _name in STATUSES:  # how many wait in each tab (one small query each)
        counts[code] = (
            page["total"]
            if code == chosen
            else (await gateway.get(session, "/identity/designations", status=code, limit=1))["total"]
        )
    return render(
        request,
        "operator/designations.html",
        page=page,
        current=chosen or "all",
        statuses=STATUSES,
        status_names=STATUS_NAMES,
        counts=counts,
        capacities=CAPACITIES,
        enterprise_number=enterprise_number,
        base="/operator/designations?" + urlencode({"status": chosen or "all"}),
        form=form,
    )


async def _details(request: Request, ticket: str) -> dict[str, Any]:
    found: dict[str, Any] = await gateway_of(request).get(session_of(request), _ticket_path(ticket) + "/details")
    return found


def _show(request: Request, found: dict[str, Any], form: PageForm | None = None, status: int = 200) -> Response:
    return render(
        request,
        "operator/designation.html",
        status=status,
        found=found,
        status_names=STATUS_NAMES,
        capacities=CAPACITIES,
        enterprise_number=enterprise_number,
        form=form or PageForm(),
    )


@router.get("/operator/designations/{ticket}", response_class=HTMLResponse)
async def designation(request: Request, ticket: str) -> Response:
    return _show(request, await _details(request, ticket))


async def _decide(request: Request, ticket: str, action: str, done: str, body: Any = None) -> Response:
    """Form received, approve or reject: on success back to the request with what happened; a refusal the
    request's state explains (decided already, no signed form yet) is said on the request's page."""
    try:
        await gateway_of(request).post(session_of(request), f"{_ticket_path(ticket)}/{action}", body)
    except ApiError as refused:
        if refused.status != 409:
            raise
        flash(request, MESSAGES.get(refused.kind, _("This request cannot be changed now.")), "error")
        return redirect(f"/operator/designations/{quote(ticket, safe='')}")
    flash(request, done)
    return redirect(f"/operator/designations/{quote(ticket, safe='')}")


@router.post("/operator/designations/{ticket}/form-received")
async def form_received(request: Request, ticket: str) -> Response:
    return await _decide(request, ticket, "form-received", _("The signed form is recorded as received."))


@router.post("/operator/designations/{ticket}/approve")
async def approve(request: Request, ticket: str) -> Response:
    return await _decide(
        request,
        ticket,
        "approve",
        _("Request approved: the access manager receives provisional credentials by e-mail."),
    )


@router.post("/operator/designations/{ticket}/reject", response_class=HTMLResponse)
async def reject(request: Request, ticket: str, reason: Optional = "") -> Response:
    body = {"reason": reason.strip()}
    if not body["reason"]:  # said here, in the page's words, before asking identity
        form = PageForm(values=body, errors={"reason": gettext_of(request)(MESSAGES["reason"])})
        return _show(request, await _details(request, ticket), form, status=400)
    try:
        await gateway_of(request).post(session_of(request), f"{_ticket_path(ticket)}/reject", body)
    except ApiError as refused:
        if refused.status == 409:
            flash(request, MESSAGES.get(refused.kind, _("This request cannot be changed now.")), "error")
            return redirect(f"/operator/designations/{quote(ticket, safe='')}")
        if refused.status != 422:
            raise
        form = form_from_problem(request, refused, body, messages=MESSAGES)
        return _show(request, await _details(request, ticket), form, status=400)
    flash(request, _("Request rejected: the requester receives the reason by e-mail."))
    return redirect(f"/operator/designations/{quote(ticket, safe='')}")
