"""Mandates: the employer lets a service provider (its social secretariat, by enterprise number) act on its data
within named applications; the mandates it gave and those it received as a provider; ending one, from either
side, after a confirmation."""

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
LOOKUP_PAGES = 10
MESSAGES = {
    "not-allowed": _("Your own enterprise needs no mandate: give it to another enterprise."),
    "not-found": _("No enterprise with this number uses Ruche: check the number with your provider."),
    "too_short": _("Choose at least one application."),
    "literal_error": _("Choose among the proposed applications."),
}


@router.get("/access/mandates", response_class=HTMLResponse)
async def mandates(request: Request, offset: int = 0) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    session = session_of(request)
    found = await gateway_of(request).get(session, "/identity/mandates", limit=PAGE_SIZE, offset=max(offset, 0))
    assert session.signed is not None
    tenant = session.signed.tenant
    return render(
        request,
        "enterprise/mandates.html",
        page=found,
        given=[m for m in found["items"] if m["enterprise_number"] == tenant],
        received=[m for m in found["items"] if m["enterprise_number"] != tenant],
        names=await _application_names(request),
        enterprise_number=shared.enterprise_number,
    )


@router.get("/access/mandates/new", response_class=HTMLResponse)
async def new_mandate_page(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    return await _form_page(request, PageForm(values={"applications": []}))


@router.post("/access/mandates/new", response_class=HTMLResponse)
async def new_mandate(request: Request) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    submitted = await request.form()
    number = str(submitted.get("provider_enterprise_number", "")).strip()
    chosen = [str(a) for a in submitted.getlist("applications")]
    values: dict[str, Any] = {"provider_enterprise_number": number, "applications": chosen}
    try:
        await gateway_of(request).post(
            session_of(request), "/identity/mandates", {"provider_enterprise_number": number, "applications": chosen}
        )
    except ApiError as refused:
        if not shared.is_form_problem(refused, MESSAGES):
            raise
        form = shared.problem_form(request, refused, values, MESSAGES, fields={"applications": "applications"})
        return await _form_page(request, form, status=400)
    return shared.done(request, "/access/mandates", "mandate-given")


@router.get("/access/mandates/{mandate_id}/revoke", response_class=HTMLResponse)
async def revoke_page(request: Request, mandate_id: str) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    mandate = await _mandate(request, mandate_id)
    return render(
        request,
        "enterprise/mandate_revoke.html",
        mandate=mandate,
        given=_given(request, mandate),
        names=await _application_names(request),
        enterprise_number=shared.enterprise_number,
    )


@router.post("/access/mandates/{mandate_id}/revoke", response_class=HTMLResponse)
async def revoke(request: Request, mandate_id: str) -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    ended: dict[str, Any] = (
        await gateway_of(request).request(session_of(request), "DELETE", f"/identity/mandates/{mandate_id}")
    ).json()
    return shared.done(request, "/access/mandates", "mandate-revoked" if _given(request, ended) else "mandate-ended")


def _given(request: Request, mandate: dict[str, Any]) -> bool:
    signed = session_of(request).signed
    return signed is not None and mandate["enterprise_number"] == signed.tenant


async def _mandate(request: Request, mandate_id: str) -> dict[str, Any]:
    """One mandate, found in the list (identity shows them only as a list)."""
    session, gateway = session_of(request), gateway_of(request)
    for page in range(LOOKUP_PAGES):
        found = await gateway.get(session, "/identity/mandates", limit=LOOKUP_SIZE, offset=page * LOOKUP_SIZE)
        for mandate in found["items"]:
            if mandate["mandate_id"] == mandate_id:
                return dict(mandate)
        if (page + 1) * LOOKUP_SIZE >= found["total"]:
            break
    raise ApiError(404, {"title": "Not found", "status": 404})


async def _mandatable(request: Request) -> list[dict[str, Any]]:
    """The applications a mandate can cover: all but access management, which stays the enterprise's own."""
    return [a for a in await shared.applications(request) if a["id"] != "access"]


async def _application_names(request: Request) -> dict[str, str]:
    return {a["id"]: a["name"] for a in await shared.applications(request)}


async def _form_page(request: Request, form: PageForm, *, status: int = 200) -> Response:
    return render(
        request, "enterprise/mandate_new.html", status=status, form=form, applications=await _mandatable(request)
    )
