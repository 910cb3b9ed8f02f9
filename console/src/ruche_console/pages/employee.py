"""The employee pages: their profile (identifier, personal e-mail; change the e-mail or the password, each typed
twice and confirmed with the current password) and their vault as the platform has it today (no documents yet)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..gateway import ApiError, SessionEnded
from ..sessions import utcnow
from ..web import Form as PageForm
from ..web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render, session_of

router = APIRouter()
Field = Annotated[str, Form()]
LOCKED_HINT = "120 minutes"  # what identity's refusal says when the account is locked

MESSAGES: dict[str, str] = {
    "new_password_confirmation": _("The two new passwords differ."),
    "email_confirmation": _("The two e-mail addresses differ."),
}


async def _profile(request: Request) -> dict[str, Any]:
    me: dict[str, Any] = await gateway_of(request).get(session_of(request), "/identity/employees/me")
    return me


async def _profile_page(
    request: Request, *, email_form: PageForm | None = None, password_form: PageForm | None = None, status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "employee/profile.html",
        status=status,
        me=await _profile(request),
        email_form=email_form or PageForm(),
        password_form=password_form or PageForm(),
    )


@router.get("/employee/profile", response_class=HTMLResponse)
async def profile(request: Request) -> Response:
    return await _profile_page(request)


def _refusal(request: Request, refused: ApiError, values: Mapping[str, Any], password_field: str) -> PageForm:
    """A refused change: a wrong current password next to its field, a lockout for the whole form, field errors
    next to their fields."""
    if not refused.problem.get("error"):
        return form_from_problem(request, refused, values, messages=MESSAGES)
    t = gettext_of(request)
    form = PageForm(values={k: v for k, v in values.items() if "password" not in k})
    if LOCKED_HINT in str(refused.problem.get("detail", "")):
        form.general.append(
            t(_("Too many wrong passwords: your account is locked for 120 minutes. A password reset unlocks it."))
        )
    else:
        form.errors[password_field] = t(_("This is not your current password."))
    return form


@router.post("/employee/profile/email", response_class=HTMLResponse)
async def change_email(request: Request, password: Field, email: Field, email_confirmation: Field) -> Response:
    body = {"password": password, "email": email.strip(), "email_confirmation": email_confirmation.strip()}
    session = session_of(request)
    try:
        await gateway_of(request).post(session, "/identity/employees/me/email", body)
    except ApiError as refused:
        if refused.status in (403, 404):
            raise
        form = _refusal(request, refused, body, "password")
        return await _profile_page(request, email_form=form, status=400)
    signed = session.signed
    if signed is not None and "@" in signed.login:  # signed in with the old e-mail: show the new one
        signed.login = body["email"].casefold()
        session.changed = True
    flash(
        request,
        _("Your personal e-mail is changed: sign in with it from now on, and forgotten-password links go there."),
    )
    return redirect("/employee/profile")


@router.post("/employee/profile/password", response_class=HTMLResponse)
async def change_password(
    request: Request, current_password: Field, new_password: Field, new_password_confirmation: Field
) -> Response:
    body = {
        "current_password": current_password,
        "new_password": new_password,
        "new_password_confirmation": new_password_confirmation,
    }
    session, gateway = session_of(request), gateway_of(request)
    try:
        await gateway.post(session, "/identity/employees/me/password", body)
    except ApiError as refused:
        if refused.status in (403, 404):
            raise
        form = _refusal(request, refused, body, "current_password")
        return await _profile_page(request, password_form=form, status=400)
    # A new password ends every session, this one too: sign in again with it, so the person stays signed in here.
    signed = session.signed
    try:
        if signed is None:
            raise SessionEnded("not signed in")
        await gateway.sign_in(session, signed.login, new_password, utcnow())
    except ApiError as refused:
        raise SessionEnded("sign in again after the password change") from refused
    flash(request, _("Your password is changed. Your other sessions have ended."))
    return redirect("/employee/profile")


@router.get("/employee/vault", response_class=HTMLResponse)
async def vault(request: Request) -> Response:
    return render(request, "employee/vault.html", me=await _profile(request))
