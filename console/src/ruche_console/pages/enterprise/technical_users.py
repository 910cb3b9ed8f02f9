"""Technical users: machines (a badge reader, a payroll integration) that sign in with the OAuth 2.0 client
credentials grant and a JWT assertion signed by their own private key. The manager registers the public key and
the applications; the page shows the client id and how the machine gets its tokens; deleting ends its access."""

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
LOOKUP_SIZE = 200
WRITE = "identity:users:write"
PRIVATE_KEY = _(
    "This is a private key: keep it on the machine and never send it. Paste the public key that goes with it."
)
MESSAGES = {"not-allowed": _("You may not register technical users: ask your access manager.")}


@router.get("/access/technical-users", response_class=HTMLResponse)
async def technical_users(request: Request, offset: int = 0) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    session = session_of(request)
    found = await gateway_of(request).get(session, "/identity/technical-users", limit=PAGE_SIZE, offset=max(offset, 0))
    assert session.signed is not None
    return render(
        request,
        "enterprise/technical_users.html",
        page=found,
        can_write=session.signed.can(WRITE),
        catalogue=await _catalogue(request),
        statuses=shared.STATUS_LABELS,
    )


@router.get("/access/technical-users/new", response_class=HTMLResponse)
async def new_page(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    return await _form_page(request, PageForm())


@router.post("/access/technical-users/new", response_class=HTMLResponse)
async def register(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    submitted = await request.form()
    name = str(submitted.get("name", "")).strip()
    public_key = str(submitted.get("public_key", "")).strip()
    grants = {
        key.removeprefix("grants."): str(value)
        for key, value in submitted.items()
        if key.startswith("grants.") and str(value)
    }
    values: dict[str, Any] = {"name": name, "public_key": public_key} | {f"grants.{k}": v for k, v in grants.items()}
    if "PRIVATE KEY" in public_key:  # never sent on, nor shown again
        form = PageForm(values=values | {"public_key": ""})
        form.errors["public_key"] = shared.said(request, PRIVATE_KEY)
        return await _form_page(request, form, status=400)
    body = {"name": name, "public_key": public_key, "grants": grants}
    try:
        created = await gateway_of(request).post(session_of(request), "/identity/technical-users", body)
    except ApiError as refused:
        if not shared.is_form_problem(refused, MESSAGES):
            raise
        form = shared.problem_form(
            request, refused, values, MESSAGES, fields={"application": "grants", "profile": "grants"}
        )
        return await _form_page(request, form, status=400)
    return shared.done(request, f"/access/technical-users/{created['user_id']}", "technical-user-registered")


@router.get("/access/technical-users/{user_id}", response_class=HTMLResponse)
async def technical_user(request: Request, user_id: str) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    found = await _technical_user(request, user_id)
    settings = request.app.state.settings
    session = session_of(request)
    assert session.signed is not None
    return render(
        request,
        "enterprise/technical_user.html",
        user=found,
        key_type=await _key_type(request, user_id),
        token_url=f"{settings.public_url.rstrip('/')}/identity/token",
        can_write=session.signed.can(WRITE),
        catalogue=await _catalogue(request),
        statuses=shared.STATUS_LABELS,
    )


@router.get("/access/technical-users/{user_id}/delete", response_class=HTMLResponse)
async def delete_page(request: Request, user_id: str) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    found = await _technical_user(request, user_id)
    return render(request, "enterprise/technical_user_delete.html", user=found)


@router.post("/access/technical-users/{user_id}/delete", response_class=HTMLResponse)
async def delete(request: Request, user_id: str) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    await _technical_user(request, user_id)  # a technical user, not any user of the enterprise
    await gateway_of(request).request(
        session_of(request), "DELETE", f"/identity/users/{user_id}", params={"confirm": "true"}
    )
    return shared.done(request, "/access/technical-users", "technical-user-deleted")


async def _technical_user(request: Request, user_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await gateway_of(request).get(session_of(request), f"/identity/users/{user_id}")
    if found.get("kind") != "technical":
        raise ApiError(404, {"title": "Not found", "status": 404})
    return found


async def _key_type(request: Request, user_id: str) -> str:
    """EC or RSA, as the list says (a single user's answer does not)."""
    session, gateway = session_of(request), gateway_of(request)
    offset = 0
    while True:
        found = await gateway.get(session, "/identity/technical-users", limit=LOOKUP_SIZE, offset=offset)
        for item in found["items"]:
            if item["user_id"] == user_id:
                return str(item["key_type"])
        offset += LOOKUP_SIZE
        if offset >= found["total"]:
            return ""


async def _catalogue(request: Request) -> dict[str, Any]:
    """Application id → {name, profiles: profile id → name}."""
    return {
        a["id"]: {"name": a["name"], "profiles": {p["id"]: p["name"] for p in a["profiles"]}}
        for a in await shared.applications(request)
    }


async def _form_page(request: Request, form: PageForm, *, status: int = 200) -> Response:
    return render(
        request,
        "enterprise/technical_user_new.html",
        status=status,
        form=form,
        applications=await shared.applications(request),
    )
