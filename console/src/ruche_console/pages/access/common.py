"""What the access pages share: the words for kinds, statuses, applications and profiles in the page's language,
the applications catalogue as identity serves it, who the signed-in manager may manage, and the messages for the
problems identity answers on users."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request

from ...web import _, gateway_of, gettext_of, render, session_of

KINDS: dict[str, str] = {"access_manager": _("Access manager"), "co_manager": _("Co-manager"), "user": _("User")}
STATUSES: dict[str, str] = {"active": _("Active"), "blocked": _("Blocked")}
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("fr", "Français"),
    ("nl", "Nederlands"),
    ("de", "Deutsch"),
    ("en", "English"),
)
APPLICATION_NAMES: dict[str, str] = {
    "people": _("People and contracts"),
    "calendar": _("Calendar and payroll submission"),
    "presence": _("Presence registration"),
    "vault": _("Vault administration"),
    "access": _("Access management"),
}
PROFILE_NAMES: dict[str, str] = {
    "reader": _("Consultation"),
    "manager": _("Management"),
    "registrar": _("Registration"),
    "administrator": _("Administration"),
    "access:reader": _("Consultation of users"),
}
# What identity's refusals on users mean here, by problem kind or field (the shared ones in web.py come after).
MESSAGES: dict[str, str] = {
    "not-allowed": _(
        "You may not manage this user: an access manager is replaced through a designation, only the access "
        "manager manages co-managers, and your own data is changed under My data."
    ),
    "user_ids": _("One of the selected users no longer exists: nothing was changed."),
    "kind": _("Only the access manager appoints co-managers."),
}
WRITE = "identity:users:write"
# The area's one router: its modules add their routes in the order __init__ imports them.
router = APIRouter()


@dataclass(frozen=True)
class Choice:
    """An application, or one of its profiles, as the pages name it."""

    application: str
    profile: str
    label: str


def application_name(request: Request, application: str, fallback: str = "") -> str:
    known = APPLICATION_NAMES.get(application)
    return gettext_of(request)(known) if known else fallback or application


def profile_name(request: Request, application: str, profile: str, fallback: str = "") -> str:
    known = PROFILE_NAMES.get(f"{application}:{profile}") or PROFILE_NAMES.get(profile)
    return gettext_of(request)(known) if known else fallback or profile


async def catalogue(request: Request) -> list[dict[str, Any]]:
    """identity's applications, each with its profiles, named in the page's language."""
    found: list[dict[str, Any]] = await gateway_of(request).get(session_of(request), "/identity/applications")
    named = []
    for app in found:
        profiles = [(p["id"], profile_name(request, app["id"], p["id"], p["name"])) for p in app["profiles"]]
        named.append({"id": app["id"], "name": application_name(request, app["id"], app["name"]), "options": profiles})
    return named


def grants_named(request: Request, grants: dict[str, str]) -> list[tuple[str, str]]:
    return [(application_name(request, a), profile_name(request, a, p)) for a, p in sorted(grants.items())]


def niss(value: str | None) -> str:
    """85073003328 as on the identity card: 85.07.30-033.28."""
    digits = "".join(c for c in (value or "") if c.isdigit())
    if len(digits) != 11:
        return value or ""
    return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}-{digits[6:9]}.{digits[9:]}"


def can_write(request: Request) -> bool:
    signed = session_of(request).signed
    return signed is not None and signed.can(WRITE)


def manageable(request: Request, user: dict[str, Any]) -> bool:
    """Whether identity lets the signed-in person manage `user` (the rule of identity's users.check_can_manage),
    so pages offer only actions that can succeed."""
    signed = session_of(request).signed
    if signed is None or not signed.can(WRITE) or user["user_id"] == signed.subject:
        return False
    if user["kind"] == "access_manager":
        return False
    return not (user["kind"] == "co_manager" and signed.kind != "access_manager")


def user_path(user_id: str) -> str:
    return f"/identity/users/{quote(user_id, safe='')}"


def not_allowed(request: Request) -> Any:
    """The console's 403 page, for a page whose only use is an action the signed-in person may not take."""
    return render(request, "errors/error.html", status=403, problem="403")


def helpers(request: Request) -> dict[str, Any]:
    """What every access template uses to name things."""
    return {
        "kinds": KINDS,
        "statuses": STATUSES,
        "niss": niss,
        "grants_named": lambda grants: grants_named(request, grants),
        "application_name": lambda app: application_name(request, app),
        "profile_name": lambda app, profile: profile_name(request, app, profile),
        "can_write": can_write(request),
        "manageable": lambda user: manageable(request, user),
    }
