"""The new hire's self-service form, behind the single-use link their employer had mailed (`/onboarding/<token>`):
no sign-in, only their own personal data; a draft may be saved and the form submitted once. An expired, used or
unknown link says so. The link's token is the only key: the page reaches nothing else."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .. import i18n
from ..gateway import ApiError
from ..web import Form as PageForm
from ..web import _, flash, gateway_of, gettext_of, redirect, render, session_of
from .hr.forms import (
    PERSONAL_FIELDS,
    personal_data_body,
    personal_data_values,
    problem_form,
    shown_in_form,
    submitted,
)
from .hr.personal_data import form_choices

router = APIRouter()
DEAD_LINKS = {
    "onboarding-link-expired": "expired",
    "onboarding-link-used": "used",
    "onboarding-link-unknown": "unknown",
}
DEFAULTS = {"nationality": "BE", "address.country": "BE", "civil_status": "single"}
ADDRESS_NEEDS = ("street", "number", "postal_code", "municipality")
HALF_ADDRESS = _(
    "The rest is saved; the address is saved once its street, number, postal code and municipality are all given."
)


def _dead(request: Request, refused: ApiError) -> HTMLResponse | None:
    """The page of a link that no longer opens the form (None: another refusal)."""
    reason = DEAD_LINKS.get(refused.kind)
    if reason is None and refused.status in (404, 410):
        reason = "expired" if refused.status == 410 else "unknown"
    if reason is None:
        return None
    return render(request, "onboarding/dead_link.html", status=refused.status, reason=reason)


def _whole(address: Any) -> bool:
    """The API takes an address only whole."""
    return isinstance(address, dict) and all(address.get(name) for name in ADDRESS_NEEDS)


def _begun(address: Any) -> bool:
    return isinstance(address, dict) and any(address.get(name) for name in ADDRESS_NEEDS)


async def _link(request: Request, token: str) -> dict[str, Any]:
    found: dict[str, Any] = await gateway_of(request).get(None, f"/people/onboarding/{token}")
    return found


def _form_page(
    request: Request, token: str, link: dict[str, Any], form: PageForm, *, status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "onboarding/form.html",
        status=status,
        token=token,
        link=link,
        form=form,
        origins={},
        **form_choices(request),
    )


@router.get("/onboarding/{token}", response_class=HTMLResponse)
async def form_page(request: Request, token: str) -> Response:
    try:
        link = await _link(request, token)
    except ApiError as refused:
        if (page := _dead(request, refused)) is not None:
            return page
        raise
    session = session_of(request)
    if session.language is None and (chosen := i18n.supported(link.get("language"))):
        session.language = chosen  # the language HR chose for the new hire, until they switch
        session.changed = True
    draft, _origins = personal_data_values(link.get("draft") or {})
    language = {"language": link["language"]} if link.get("language") in ("fr", "nl", "de", "en") else {}
    values = {**DEFAULTS, **language, **shown_in_form({k: v for k, v in draft.items() if v not in ("", None)})}
    return _form_page(request, token, link, PageForm(values=values))


@router.post("/onboarding/{token}", response_class=HTMLResponse)
async def save(request: Request, token: str) -> Response:
    """Save the draft (`action=draft`: what is filled in, each field checked), or submit it (`action=submit`:
    saved, then sent to the employer; every field is needed)."""
    gateway = gateway_of(request)
    values = await submitted(request, (*PERSONAL_FIELDS, "action"))
    action = values.pop("action", "draft")
    body = personal_data_body(values, partial=True)
    half_address = False
    if action == "draft" and not _whole(body.get("address")):
        half_address = _begun(body.pop("address", None))  # the rest is saved; an address counts once whole
    try:
        await gateway.request(None, "PUT", f"/people/onboarding/{token}", json=body)
        if action == "submit":
            await gateway.post(None, f"/people/onboarding/{token}/submit")
    except ApiError as refused:
        if (page := _dead(request, refused)) is not None:
            return page
        if refused.status >= 500:
            raise
        form = problem_form(request, refused, values, renames={"draft.": "", "personal_data.": ""})
        return _form_page(request, token, await _link(request, token), form, status=400)
    if action == "submit":
        return render(request, "onboarding/done.html")
    if half_address:
        form = PageForm(values=values)
        form.general.append(gettext_of(request)(HALF_ADDRESS))
        return _form_page(request, token, await _link(request, token), form)
    flash(request, _("Your draft is saved. Come back to this link to finish before it expires."))
    return redirect(f"/onboarding/{token}")
