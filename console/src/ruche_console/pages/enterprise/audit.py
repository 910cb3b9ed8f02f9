"""The audit trail: who did what to whose account, and when, newest first, a page at a time. identity records ids;
the page names the people (the enterprise's users and technical users as they are now)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import _, gateway_of, render, session_of
from . import shared

router = APIRouter()
PAGE_SIZE = 50
LOOKUPS_AT_ONCE = 8
SYSTEM = "system"
ACTIONS = {
    "user-created": _("Account created"),
    "user-updated": _("Data changed"),
    "user-blocked": _("Blocked"),
    "user-unblocked": _("Unblocked"),
    "user-deleted": _("Deleted"),
    "application-granted": _("Application granted"),
    "application-revoked": _("Application revoked"),
    "password-changed": _("Password changed"),
    "access-manager-replaced": _("Access manager replaced"),
    "employee-account-opened": _("Employee account opened"),
    "account-locked": _("Locked after failed sign-ins"),
}
CHANGED_FIELDS = {
    "email": _("e-mail"),
    "local_email": _("enterprise e-mail"),
    "language": _("language"),
    "title": _("title"),
    "personal_email": _("personal e-mail"),
}
# Actions only the platform's operator performs on an enterprise (it is no user of the enterprise).
OPERATOR_ACTIONS = ("access-manager-replaced",)


def _midnight(day: str, *, after: bool = False) -> str | None:
    """The start of a Belgian day (of the next one with `after`) as the instant identity filters on."""
    try:
        start = date.fromisoformat(day)
    except ValueError:
        return None
    start += timedelta(days=1) if after else timedelta(0)
    return datetime.combine(start, time(0), tzinfo=ZoneInfo("Europe/Brussels")).isoformat()


@router.get("/access/audit", response_class=HTMLResponse)
async def audit(request: Request, offset: int = 0, action: str = "", since: str = "", until: str = "") -> Response:
    if (elsewhere := shared.sign_in_first(request)) is not None:
        return elsewhere
    session = session_of(request)
    filters = {
        "action": action if action in ACTIONS else None,
        "since": _midnight(since) if since else None,
        "until": _midnight(until, after=True) if until else None,  # the last day counts whole
    }
    asked = {k: v for k, v in filters.items() if v is not None}
    trail = await gateway_of(request).get(session, "/identity/audit", limit=PAGE_SIZE, offset=max(offset, 0), **asked)
    people = await _names(request, trail["items"])
    catalogue = {
        a["id"]: {"name": a["name"], "profiles": {p["id"]: p["name"] for p in a["profiles"]}}
        for a in await shared.applications(request)
    }
    # A deleted account keeps no name; its username is known from its creation, when that is on this page.
    for item in trail["items"]:
        username = (item.get("details") or {}).get("username")
        if item["action"] == "user-created" and username and item["user_id"] not in people:
            people[item["user_id"]] = shared.said(request, _("%(username)s (deleted since)"), username=username)
    assert session.signed is not None
    rows = [_row(request, item, people, catalogue, me=session.signed.subject) for item in trail["items"]]
    chosen = {
        "action": filters["action"] or "",
        "since": since if filters["since"] else "",
        "until": until if filters["until"] else "",
    }
    base = "/access/audit?" + urlencode({k: v for k, v in chosen.items() if v})
    actions = [(key, shared.said(request, label)) for key, label in ACTIONS.items()]
    return render(
        request, "enterprise/audit.html", page=trail, rows=rows, chosen=chosen, actions=actions, base=base.rstrip("?")
    )


def _row(
    request: Request, item: dict[str, Any], people: dict[str, str], catalogue: dict[str, Any], *, me: str
) -> dict[str, Any]:
    details = item.get("details") or {}
    action = str(item["action"])
    operator = action in OPERATOR_ACTIONS or (action == "user-created" and details.get("kind") == "access_manager")
    return {
        "at": item["at"],
        "action": shared.said(request, ACTIONS[action]) if action in ACTIONS else action,
        "detail": _detail(request, action, details, catalogue),
        "actor": _who(request, str(item["actor_id"]), people, me=me, operator=operator),
        "user": _who(request, str(item["user_id"]), people, me=me, operator=False),
    }


def _detail(request: Request, action: str, details: dict[str, Any], catalogue: dict[str, Any]) -> str:
    said = shared.said
    if action in ("application-granted", "application-revoked"):
        app = catalogue.get(str(details.get("application")), {})
        name = said(request, app["name"]) if app else str(details.get("application", ""))
        profile = details.get("profile")
        if profile:
            profile_name = app.get("profiles", {}).get(profile, profile) if app else profile
            return f"{name} ({said(request, profile_name)})"
        return name
    if action == "user-updated":
        fields = [said(request, CHANGED_FIELDS[f]) if f in CHANGED_FIELDS else f for f in details.get("changed", [])]
        return ", ".join(fields)
    if action == "password-changed" and details.get("provisional"):
        return said(request, _("provisional, to change at the next sign-in"))
    if action == "user-created" and details.get("kind") in shared.KIND_LABELS:
        return said(request, shared.KIND_LABELS[details["kind"]])
    return ""


def _who(request: Request, user_id: str, people: dict[str, str], *, me: str, operator: bool) -> dict[str, Any]:
    """How the page names an account: {"name", "you"}."""
    if user_id in people:
        name = people[user_id]
    elif user_id == SYSTEM:
        name = shared.said(request, _("Ruche, automatically"))
    elif operator:
        name = shared.said(request, _("The platform operator"))
    elif user_id.isdigit() and len(user_id) == 12:
        name = shared.said(request, _("Employee %(identifier)s"), identifier=user_id)
    else:
        name = shared.said(request, _("A deleted account"))
    return {"name": name, "you": user_id == me}


async def _names(request: Request, items: list[dict[str, Any]]) -> dict[str, str]:
    """User id → "First Last (username)" for every account the page names that still exists."""
    session, gateway = session_of(request), gateway_of(request)
    ids = {str(i[k]) for i in items for k in ("actor_id", "user_id")}
    ids = {i for i in ids if i != SYSTEM and not (i.isdigit() and len(i) == 12)}
    limit = asyncio.Semaphore(LOOKUPS_AT_ONCE)

    async def name_of(user_id: str) -> tuple[str, str] | None:
        async with limit:
            try:
                user = await gateway.get(session, f"/identity/users/{user_id}")
            except ApiError:
                return None  # deleted, or not of this enterprise (the operator)
        if user.get("kind") == "technical":
            return user_id, shared.said(request, _("%(name)s (technical user)"), name=user["last_name"])
        return user_id, f"{shared.full_name(user)} ({user['username']})"

    # The trail's own call refreshed the token if needed, so these run with one valid token.
    found = await asyncio.gather(*(name_of(i) for i in sorted(ids)))
    return dict(pair for pair in found if pair is not None)
