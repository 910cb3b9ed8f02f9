"""What the enterprise pages share: the signed-in check, the messages of identity's refusals, labels of the
applications and kinds of user, and the Belgian way of writing identifiers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, session_of

LANGUAGES = (("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English"))
KIND_LABELS = {
    "access_manager": _("Access manager"),
    "co_manager": _("Co-manager"),
    "user": _("User"),
    "technical": _("Technical user"),
}
STATUS_LABELS = {"active": _("Active"), "blocked": _("Blocked"), "revoked": _("Ended")}
# identity's English names of the applications and their profiles, said in the page's language (t(name)).
CATALOGUE_NAMES = (
    _("People and contracts"),
    _("Calendar and payroll submission"),
    _("Presence registration"),
    _("Vault administration"),
    _("Access management"),
    _("Consultation"),
    _("Management"),
    _("Registration"),
    _("Administration"),
    _("Consultation of users"),
)
# Problems these pages can meet, said for the person in front of the form (before the console's shared ones).
MESSAGES: dict[str, str] = {
    "wrong-password": _("This is not your current password."),
    "invalid-public-key": _(
        "Paste a PEM public key (-----BEGIN PUBLIC KEY-----) or certificate: EC P-256, or RSA of 2048 bits or more."
    ),
    "mandate-exists": _("A mandate to this provider is active already: revoke it first to give another one."),
    "unknown-application": _("Choose among the proposed applications and profiles."),
}
FORM_STATUSES = (400, 409, 422)
# What the next page says once after a change succeeded.
NOTICES: dict[str, str] = {
    "data-saved": _("Your data is saved."),
    "password-changed": _("Your password is changed. Your other sessions have ended."),
    "password-changed-sign-in": _("Your password is changed: sign in with the new one."),
    "co-manager-appointed": _(
        "The co-manager is appointed. Give them their username and provisional password: they choose their own "
        "password at their first sign-in."
    ),
    "co-manager-removed": _("The co-manager is removed: their account is deleted."),
    "mandate-given": _("The mandate is given: the provider's users may now act for your enterprise."),
    "mandate-revoked": _("The mandate has ended: the provider's users can no longer act for your enterprise."),
    "mandate-ended": _("The mandate has ended: your users can no longer act for that employer."),
    "technical-user-registered": _("The technical user is registered: give its client id to the machine."),
    "technical-user-deleted": _("The technical user is deleted: its key no longer gets tokens."),
}


def sign_in_first(request: Request) -> Response | None:
    """A page of a signed-in person, visited without a session: sign in, then come back here."""
    if session_of(request).signed is None:
        return redirect(f"/sign-in?next={quote(request.url.path)}")
    return None


def done(request: Request, url: str, notice: str) -> Response:
    """After a successful change: say it once, and see the result (303, so a reload does not post again)."""
    flash(request, NOTICES[notice])
    return redirect(url)


def is_form_problem(error: ApiError, messages: Mapping[str, str]) -> bool:
    """A refusal to say next to the form (an invalid value, a conflict, a refusal naming a field or one this
    page words itself), rather than the console's 403/404 page."""
    return error.status in FORM_STATUSES or bool(error.field_errors) or error.kind in messages


def problem_form(
    request: Request,
    error: ApiError,
    values: Mapping[str, Any],
    messages: Mapping[str, str] | None = None,
    fields: Mapping[str, str] | None = None,
) -> PageForm:
    """`form_from_problem` with this area's messages; `fields` renames the API's field paths to the form's own
    (`applications.0` → `applications`), so each message sits next to the input it is about."""
    own = {**MESSAGES, **(messages or {})}
    if fields:
        renamed = []
        for item in error.field_errors:
            name = str(item.get("field", ""))
            for prefix, target in fields.items():
                if name == prefix or name.startswith(prefix + "."):
                    name = target
                    break
            renamed.append({**item, "field": name})
        error = ApiError(error.status, {**error.problem, "errors": renamed})
    return form_from_problem(request, error, values, messages=own)


async def applications(request: Request) -> list[dict[str, Any]]:
    """identity's applications and their profiles, as it grants them."""
    found: list[dict[str, Any]] = await gateway_of(request).get(session_of(request), "/identity/applications")
    return found


def enterprise_number(number: str | None) -> str:
    """0403019261 → 0403.019.261, as the BCE/KBO writes it."""
    if number and len(number) == 10 and number.isdigit():
        return f"{number[:4]}.{number[4:7]}.{number[7:]}"
    return number or ""


def niss(number: str | None) -> str:
    """85073003328 → 85.07.30-033.28, as on the identity card."""
    if number and len(number) == 11 and number.isdigit():
        return f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    return number or ""


def full_name(user: Mapping[str, Any]) -> str:
    return " ".join(part for part in (user.get("first_name"), user.get("last_name")) if part)


def said(request: Request, message: str, **values: Any) -> str:
    """A text in the page's language with its values in place (translated before they are put in)."""
    translated = gettext_of(request)(message)
    return translated % values if values else translated
