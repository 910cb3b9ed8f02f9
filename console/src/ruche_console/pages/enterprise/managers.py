"""The enterprise's access manager and co-managers: the list, appointing a co-manager (a user of kind
`co_manager`, created by the access manager with a provisional password), removing one after a preview, and how
to replace the access manager (a new designation request, approved by the platform)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, gateway_of, render, session_of
from . import shared

router = APIRouter()
PAGE_SIZE = 50
CO_MANAGER_FIELDS = (
    "niss",
    "last_name",
    "first_name",
    "username",
    "username_confirmation",
    "password",
    "password_confirmation",
    "language",
    "email",
    "local_email",
)
MESSAGES = {
    "not-allowed": _("Only the access manager appoints and removes co-managers."),
    "username-taken": _("This username is already taken: choose another one."),
}


@router.get("/access/managers", response_class=HTMLResponse)
async def managers(request: Request, offset: int = 0) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    session, gateway = session_of(request), gateway_of(request)
    enterprise: dict[str, Any] = await gateway.get(session, "/identity/enterprises/me")
    co_managers = await gateway.get(
        session, "/identity/users", type="co_manager", sort="last_name", limit=PAGE_SIZE, offset=max(offset, 0)
    )
    signed = session.signed
    assert signed is not None
    return render(
        request,
        "enterprise/managers.html",
        enterprise=enterprise,
        co_managers=co_managers,
        is_access_manager=signed.kind == "access_manager",
        me=signed.subject,
        statuses=shared.STATUS_LABELS,
        enterprise_number=shared.enterprise_number,
        full_name=shared.full_name,
    )


@router.get("/access/managers/new", response_class=HTMLResponse)
async def new_co_manager_page(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    return _form_page(request, PageForm(values={"language": "fr"}))


@router.post("/access/managers/new", response_class=HTMLResponse)
async def new_co_manager(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    submitted = await request.form()
    values = {name: str(submitted.get(name, "")).strip() for name in CO_MANAGER_FIELDS}
    for secret in ("password", "password_confirmation"):
        values[secret] = str(submitted.get(secret, ""))  # as typed: spaces count in a password
    body: dict[str, Any] = {k: v for k, v in values.items() if v or k != "local_email"}
    body |= {"kind": "co_manager", "grants": {}}
    try:
        await gateway_of(request).post(session_of(request), "/identity/users", body)
    except ApiError as refused:
        if not shared.is_form_problem(refused, MESSAGES):
            raise
        return _form_page(request, shared.problem_form(request, refused, values, MESSAGES), status=400)
    return shared.done(request, "/access/managers", "co-manager-appointed")


def _form_page(request: Request, form: PageForm, *, status: int = 200) -> Response:
    return render(
        request, "enterprise/co_manager_new.html", status=status, form=form, languages_options=shared.LANGUAGES
    )


@router.get("/access/managers/{user_id}/remove", response_class=HTMLResponse)
async def remove_page(request: Request, user_id: str) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    return await _remove_page(request, user_id, PageForm())


@router.post("/access/managers/{user_id}/remove", response_class=HTMLResponse)
async def remove(request: Request, user_id: str) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    session, gateway = session_of(request), gateway_of(request)
    await _co_manager(request, user_id)  # a co-manager, not any user of the enterprise
    try:
        await gateway.request(session, "DELETE", f"/identity/users/{user_id}", params={"confirm": "true"})
    except ApiError as refused:
        if not shared.is_form_problem(refused, MESSAGES):
            raise
        return await _remove_page(request, user_id, shared.problem_form(request, refused, {}, MESSAGES), status=400)
    return shared.done(request, "/access/managers", "co-manager-removed")


async def _co_manager(request: Request, user_id: str) -> dict[str, Any]:
    """The co-manager as deleting them would remove them (only the access manager may see this preview)."""
    found: dict[str, Any] = await gateway_of(request).get(
        session_of(request), f"/identity/users/{user_id}/deletion-preview"
    )
    if found.get("kind") != "co_manager":
        raise ApiError(404, {"title": "Not found", "status": 404})
    return found


async def _remove_page(request: Request, user_id: str, form: PageForm, *, status: int = 200) -> Response:
    try:
        co_manager = await _co_manager(request, user_id)
    except ApiError as refused:
        if refused.status != 403:
            raise
        form.general.append(shared.said(request, MESSAGES["not-allowed"]))
        return render(request, "enterprise/co_manager_remove.html", status=403, co_manager=None, form=form)
    return render(
        request,
        "enterprise/co_manager_remove.html",
        status=status,
        co_manager=co_manager,
        form=form,
        full_name=shared.full_name,
    )


@router.get("/access/managers/replace", response_class=HTMLResponse)
async def replace(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    enterprise: dict[str, Any] = await gateway_of(request).get(session_of(request), "/identity/enterprises/me")
    return render(
        request,
        "enterprise/replace.html",
        enterprise=enterprise,
        enterprise_number=shared.enterprise_number,
        full_name=shared.full_name,
    )
