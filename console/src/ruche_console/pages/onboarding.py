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
from ..web import _, flash, gateway_of, redirect, render, session_of
from .hr.forms import PERSONAL_FIELDS, personal_data_body, personal_data_values, problem_form, submitted
from .hr.personal_data import form_choices

router = APIRouter()
DEAD_LINKS = {
    "onboarding-link-expired": "expired",
    "onboarding-link-used": "used",
    "onboarding-link-unknown": "unknown",
}
DEFAULTS = {"nationality": "BE", "address.country": "BE", "civil_status": "single"}


def _dead(request: Request, refused: ApiError) -> HTMLResponse | None:
    """The page of a link that no longer opens the form (None: another refusal)."""
    reason = DEAD_LINKS.get(refused.kind)
    if reason is None and refused.status in (404, 410):
        reason = "expired" if refused.status == 410 else "unknown"
    if reason is None:
        return None
    return render(request, "onboarding/dead_link.html", status=refused.status, reason=reason)


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
    values = {**DEFAULTS, **language, **{k: v for k, v in draft.items() if v not in ("", None)}}
    return _form_page(request, token, link, PageForm(values=values))


@router.post("/onboarding/{token}", response_class=HTMLResponse)
async def save(request: Request, token: str) -> Response:
    """Save the draft (`action=draft`: what is filled in, each field checked), or submit it (`action=submit`:
    saved, then sent to the employer; every field is needed)."""
    gateway = gateway_of(request)
    values = await submitted(request, (*PERSONAL_FIELDS, "action"))
    action = values.pop("action", "draft")
    try:
        await gateway.request(None, "PUT", f"/people/onboarding/{token}", json=personal_data_body(values, partial=True))
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
    flash(request, _("Your draft is saved. Come back to this link to finish before it expires."))
    return redirect(f"/onboarding/{token}")
