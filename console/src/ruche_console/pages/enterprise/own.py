"""Own data: what identity knows of the signed-in person and their enterprise, their e-mail addresses and
language, and their password (current one, new one typed twice)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ... import i18n
from ...gateway import ApiError
from ...sessions import utcnow
from ...web import Form as PageForm
from ...web import gateway_of, render, session_of
from . import shared

router = APIRouter()
Field = Annotated[str, Form()]
Optional = Annotated[str, Form()]


@router.get("/access/me", response_class=HTMLResponse)
async def own_data(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    return await _page(request)


@router.post("/access/me", response_class=HTMLResponse)
async def change_own_data(request: Request, email: Field, language: Field, local_email: Optional = "") -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    session = session_of(request)
    values = {"email": email.strip(), "local_email": local_email.strip(), "language": language}
    body = {k: v for k, v in values.items() if v or k == "email"}  # an empty enterprise e-mail stays as it is
    try:
        await gateway_of(request).request(session, "PATCH", "/identity/users/me", json=body)
    except ApiError as refused:
        if not shared.is_form_problem(refused, shared.MESSAGES):
            raise
        return await _page(request, status=400, data_form=shared.problem_form(request, refused, values))
    if (chosen := i18n.supported(language)) is not None:
        session.language = chosen  # the profile's language is the console's too
        session.changed = True
    return shared.done(request, "/access/me", "data-saved")


@router.post("/access/me/password", response_class=HTMLResponse)
async def change_own_password(
    request: Request, current_password: Field, new_password: Field, new_password_confirmation: Field
) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    session = session_of(request)
    body = {
        "current_password": current_password,
        "new_password": new_password,
        "new_password_confirmation": new_password_confirmation,
    }
    gateway = gateway_of(request)
    try:
        await gateway.post(session, "/identity/users/me/password", body)
    except ApiError as refused:
        if not shared.is_form_problem(refused, shared.MESSAGES):
            raise
        return await _page(request, status=400, password_form=shared.problem_form(request, refused, body))
    # identity ends every session of the person, this one too: sign in again here with the new password.
    assert session.signed is not None
    try:
        await gateway.sign_in(session, session.signed.login, new_password, utcnow())
    except ApiError:
        session.signed = None
        session.changed = True
        return shared.done(request, "/sign-in?next=/access/me", "password-changed-sign-in")
    return shared.done(request, "/access/me", "password-changed")


async def _page(
    request: Request, *, status: int = 200, data_form: PageForm | None = None, password_form: PageForm | None = None
) -> Response:
    session = session_of(request)
    gateway = gateway_of(request)
    me: dict[str, Any] = await gateway.get(session, "/identity/users/me")
    enterprise: dict[str, Any] = await gateway.get(session, "/identity/enterprises/me")
    if data_form is None:
        data_form = PageForm(values={k: me.get(k) or "" for k in ("email", "local_email", "language")})
    return render(
        request,
        "enterprise/me.html",
        status=status,
        me=me,
        enterprise=enterprise,
        data_form=data_form,
        password_form=password_form or PageForm(),
        languages_options=shared.LANGUAGES,
        kinds=shared.KIND_LABELS,
        niss=shared.niss,
        enterprise_number=shared.enterprise_number,
        full_name=shared.full_name,
    )
