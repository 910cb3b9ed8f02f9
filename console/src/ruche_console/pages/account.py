"""Signing in and out, first sign-in (for an enterprise's users and for employees), the language switch, and the
home page that sends each person to their first page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from .. import i18n
from ..gateway import ApiError
from ..sessions import utcnow
from ..web import Form as PageForm
from ..web import _, flash, form_from_problem, gateway_of, gettext_of, navigation, redirect, render, session_of

router = APIRouter()
LOCKED_HINT = "120 minutes"
Field = Annotated[str, Form()]
Optional = Annotated[str, Form()]


def landing(request: Request) -> str:
    """A signed-in person's first page: the first navigation entry their permissions open."""
    signed = session_of(request).signed
    if signed is None:
        return "/sign-in"
    items = navigation(request)
    return items[0].href if items else "/account"


def safe_next(target: str | None) -> str | None:
    """Only a path of this site (never another host) may follow a sign-in or a language switch."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


def is_employee_login(login: str) -> bool:
    return (len(login) == 12 and login.isdigit()) or "@" in login


@router.get("/", response_class=HTMLResponse)
async def home(request: Request, signed_out: int = 0) -> Response:
    if session_of(request).signed is not None:
        return redirect(landing(request))
    return render(request, "home.html", signed_out=bool(signed_out))


@router.get("/account", response_class=HTMLResponse)
async def account(request: Request) -> Response:
    if session_of(request).signed is None:
        return redirect("/sign-in")
    return render(request, "account/account.html")


@router.post("/language")
async def choose_language(request: Request, lang: Field, next: Optional = "/") -> Response:
    session = session_of(request)
    if i18n.supported(lang):
        session.language = i18n.supported(lang)
        session.changed = True
    return redirect(safe_next(next) or "/")


@router.get("/sign-in", response_class=HTMLResponse)
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    if session_of(request).signed is not None:
        return redirect(safe_next(next) or landing(request))
    return render(request, "account/sign_in.html", form=PageForm(), next=safe_next(next) or "", locked=False)


@router.post("/sign-in", response_class=HTMLResponse)
async def sign_in(request: Request, login: Field, password: Field, next: Optional = "") -> Response:
    session = session_of(request)
    login = login.strip()
    try:
        await gateway_of(request).sign_in(session, login, password, utcnow())
    except ApiError as refused:
        error = str(refused.problem.get("error", ""))
        if error == "password_change_required":
            flash(request, _("Your password is provisional: choose your own now."), "info")
            return redirect(
                f"/employee/first-sign-in?identifier={login}" if is_employee_login(login) else "/first-sign-in"
            )
        form = PageForm(values={"login": login})
        detail = str(refused.problem.get("detail", ""))
        t = gettext_of(request)
        if LOCKED_HINT in detail and is_employee_login(login):
            form.general.append(
                t(_("Too many failed attempts: this account is locked for 120 minutes. A password reset unlocks it."))
            )
        elif LOCKED_HINT in detail:
            form.general.append(
                t(
                    _(
                        "Too many failed attempts: this account is locked for 120 minutes. "
                        "Your access manager can unblock it."
                    )
                )
            )
        elif error in ("invalid_grant", "invalid_request"):
            form.general.append(t(_("Unknown login or wrong password.")))
        else:
            form.general.append(t(_("You cannot sign in now; try again in a moment.")))
        locked = LOCKED_HINT in detail and is_employee_login(login)  # employees unlock it themselves
        return render(request, "account/sign_in.html", status=400, form=form, next=safe_next(next) or "", locked=locked)
    if not is_employee_login(login):  # an enterprise's user: their profile's language
        try:
            me = await gateway_of(request).get(session, "/identity/users/me")
            session.language = i18n.supported(me.get("language")) or session.language
        except ApiError:
            pass  # the operator has no enterprise profile, for one
    return redirect(safe_next(next) or landing(request))


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    await gateway_of(request).sign_out(session_of(request))
    return redirect("/?signed_out=1")


@router.get("/first-sign-in", response_class=HTMLResponse)
async def first_sign_in_page(request: Request) -> Response:
    return render(request, "account/first_sign_in.html", form=PageForm())


@router.post("/first-sign-in", response_class=HTMLResponse)
async def first_sign_in(
    request: Request,
    username: Field,
    password: Field,
    new_password: Field,
    new_password_confirmation: Field,
    new_username: Optional = "",
    new_username_confirmation: Optional = "",
) -> Response:
    body = {
        "username": username.strip(),
        "password": password,
        "new_password": new_password,
        "new_password_confirmation": new_password_confirmation,
        "new_username": new_username.strip() or None,
        "new_username_confirmation": new_username_confirmation.strip() or None,
    }
    try:
        await gateway_of(request).post(None, "/identity/first-login", body)
    except ApiError as refused:
        form = _credentials_problem(request, refused, body)
        return render(request, "account/first_sign_in.html", status=400, form=form)
    flash(request, _("Your username and password are set: sign in with them."))
    return redirect("/sign-in")


@router.get("/employee/first-sign-in", response_class=HTMLResponse)
async def employee_first_sign_in_page(request: Request, identifier: str = "") -> Response:
    return render(request, "account/employee_first_sign_in.html", form=PageForm(values={"identifier": identifier}))


@router.post("/employee/first-sign-in", response_class=HTMLResponse)
async def employee_first_sign_in(
    request: Request,
    identifier: Field,
    password: Field,
    new_password: Field,
    new_password_confirmation: Field,
    email: Field,
    email_confirmation: Field,
) -> Response:
    body = {
        "identifier": identifier.strip(),
        "password": password,
        "new_password": new_password,
        "new_password_confirmation": new_password_confirmation,
        "email": email.strip(),
        "email_confirmation": email_confirmation.strip(),
    }
    try:
        await gateway_of(request).post(None, "/identity/employees/first-login", body)
    except ApiError as refused:
        form = _credentials_problem(request, refused, body)
        return render(request, "account/employee_first_sign_in.html", status=400, form=form)
    flash(request, _("Your password and e-mail are set: sign in with your identifier or your e-mail."))
    return redirect("/sign-in")


def _credentials_problem(request: Request, refused: ApiError, body: Mapping[str, object]) -> PageForm:
    """A refused first sign-in: field errors next to their fields; OAuth refusals as a message for the form."""
    if refused.problem.get("error"):
        form = PageForm(values={k: v for k, v in body.items() if "password" not in k})
        detail = str(refused.problem.get("detail", ""))
        t = gettext_of(request)
        if LOCKED_HINT in detail:
            form.general.append(
                t(_("Too many failed attempts: this account is locked for 120 minutes. A password reset unlocks it."))
            )
        elif "expired" in detail:
            form.general.append(t(_("These provisional credentials have expired.")))
        else:
            form.general.append(t(_("Unknown login or wrong provisional password.")))
        return form
    return form_from_problem(request, refused, body)
