"""Rendering pages: Jinja2 templates in the visitor's language, with the navigation their permissions open, the
CSRF token for forms, one-time messages, and Belgian formats. Plus the shapes every page handler shares: a
form's values and errors, and how a problem+json answer becomes messages next to its fields."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import i18n
from .gateway import ApiError, Gateway
from .sessions import Session

TEMPLATES = Path(__file__).parent / "templates"
environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    extensions=["jinja2.ext.i18n"],
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class NavItem:
    href: str
    label: str
    needs: tuple[str, ...]  # any of these permissions opens it


def _(message: str) -> str:
    """Marks a text for the catalogues; it is translated when rendered (`t(...)` in templates, `gettext`)."""
    return message


# What each permission opens. The services decide what a person may do; this only hides links that would fail.
NAVIGATION: tuple[NavItem, ...] = (
    NavItem("/operator/designations", _("Designations"), ("platform:designations",)),
    NavItem("/access/users", _("Users"), ("identity:users:read",)),
    NavItem("/access/managers", _("Access managers"), ("identity:users:write",)),
    NavItem("/access/mandates", _("Mandates"), ("identity:users:write",)),
    NavItem("/access/technical-users", _("Technical users"), ("identity:users:read",)),
    NavItem("/access/audit", _("Audit trail"), ("identity:audit:read",)),
    NavItem("/hr/workers", _("Workers"), ("people:read",)),
    NavItem("/hr/leave-types", _("Leave types"), ("calendar:read",)),
    NavItem("/hr/presences", _("Presences"), ("presence:read",)),
    NavItem("/employee/vault", _("My vault"), ("vault:own",)),
    NavItem("/employee/profile", _("My profile"), ("vault:own",)),
)


def gateway_of(request: Request) -> Gateway:
    gateway: Gateway = request.app.state.gateway
    return gateway


def session_of(request: Request) -> Session:
    session: Session = request.state.session
    return session


def language_of(request: Request) -> str:
    session = session_of(request)
    return (
        i18n.supported(session.language)
        or i18n.from_accept_language(request.headers.get("accept-language"))
        or i18n.DEFAULT
    )


def gettext_of(request: Request) -> Callable[[str], str]:
    translations = i18n.translations(language_of(request))
    return translations.gettext


@dataclass
class Form:
    """What a form shows: the values typed (never passwords), a message per field, and messages for the form."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def value(self, name: str, default: Any = "") -> Any:
        return self.values.get(name, default)

    @property
    def invalid(self) -> bool:
        return bool(self.errors or self.general)


# Messages for the kinds of problem the services answer (their `type`), and for validation errors by their type.
KIND_MESSAGES: dict[str, str] = {
    "weak-password": _(
        "Choose a longer password: not a common one, and not containing the username "
        "(at least 12 characters, 10 for employees)."
    ),
    "confirmation-mismatch": _("The two entries differ."),
    "username-taken": _("This username is already taken."),
    "unknown-application": _("Choose one of the proposed applications and profiles."),
    "not-allowed": _("You may not do this."),
    "not-found": _("Not found."),
    "confirmation-required": _("Confirm to go on."),
    "access-manager-in-place": _("This enterprise has an access manager: ask to replace the current one."),
    "mandate-exists": _("A mandate to this provider is active already."),
    "invalid-public-key": _("Use a PEM public key or certificate: EC P-256, or RSA of 2048 bits or more."),
    "wrong-password": _("The current password is wrong."),
    "consent-required": _("Accept the privacy policy to go on."),
    "concurrent-update": _("Someone changed this meanwhile: look again and retry."),
    "worker-already-registered": _("A worker with this national register number exists already."),
    "overlapping-contract": _("The worker already has a contract in that period."),
    "invalid-worker": _("This does not match the national register number."),
    "invalid-contract": _("This contract cannot be accepted as it is."),
}
TYPE_MESSAGES: dict[str, str] = {
    "missing": _("This field is required."),
    "string_too_short": _("This is too short."),
    "string_too_long": _("This is too long."),
    "string_pattern_mismatch": _("This does not have the expected format."),
    "literal_error": _("Choose one of the proposed values."),
    "enum": _("Choose one of the proposed values."),
    "date_from_datetime_parsing": _("This is not a valid date."),
    "date_parsing": _("This is not a valid date."),
    "date_type": _("This is not a valid date."),
    "datetime_parsing": _("This is not a valid date and time."),
    "int_parsing": _("This is not a whole number."),
    "decimal_parsing": _("This is not a valid number."),
    "greater_than": _("This value is too small."),
    "greater_than_equal": _("This value is too small."),
    "less_than": _("This value is too large."),
    "less_than_equal": _("This value is too large."),
    "bool_parsing": _("Choose yes or no."),
    "extra_forbidden": _("This field is not expected."),
}
FIELD_MESSAGES: dict[str, str] = {  # what a value error on these fields means
    "niss": _("This is not a valid national register or BIS number."),
    "enterprise_number": _("This is not a valid enterprise number."),
    "provider_enterprise_number": _("This is not a valid enterprise number."),
    "email": _("This is not a valid e-mail address."),
    "local_email": _("This is not a valid e-mail address."),
    "work_email": _("This is not a valid e-mail address."),
}
FALLBACK_MESSAGE = _("This value is not valid.")


def form_from_problem(
    request: Request, error: ApiError, values: Mapping[str, Any], messages: Mapping[str, str] | None = None
) -> Form:
    """The messages a problem+json answer puts next to its fields, in the page's language. A problem that names
    no field becomes a message for the whole form. An area's own `messages` (by problem kind, error type or
    field name, marked with `_()` in its page module) come before the shared ones."""
    gettext = gettext_of(request)
    own = messages or {}
    form = Form(values=_without_secrets(values))
    for item in error.field_errors:
        name = str(item.get("field", ""))
        form.errors.setdefault(name, gettext(_message_for(str(item.get("type", "")), name, error.kind, own)))
    if not form.errors:
        kind = error.kind
        known = own.get(kind) or KIND_MESSAGES.get(kind)
        form.general.append(gettext(known) if known else _detail(request, error))
    return form


def _message_for(kind: str, name: str, problem_kind: str, own: Mapping[str, str]) -> str:
    leaf = name.rsplit(".", 1)[-1]
    for key in (kind, leaf, problem_kind):
        if key in own:
            return own[key]
    if kind in KIND_MESSAGES:
        return KIND_MESSAGES[kind]
    if kind in TYPE_MESSAGES:
        return TYPE_MESSAGES[kind]
    if leaf in FIELD_MESSAGES:
        return FIELD_MESSAGES[leaf]
    if problem_kind in KIND_MESSAGES:
        return KIND_MESSAGES[problem_kind]
    return FALLBACK_MESSAGE


def _detail(request: Request, error: ApiError) -> str:
    gettext = gettext_of(request)
    if error.status >= 500:
        return gettext(_("The platform could not do this now; try again in a moment."))
    if language_of(request) == "en" and error.problem.get("detail"):
        return str(error.problem["detail"])
    return gettext(FALLBACK_MESSAGE)


def _without_secrets(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if "password" not in k and k != "csrf_token" and k != "private_number"}


def navigation(request: Request) -> list[NavItem]:
    signed = session_of(request).signed
    if signed is None:
        return []
    return [item for item in NAVIGATION if any(signed.can(p) for p in item.needs)]


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    session = session_of(request)
    language = language_of(request)
    translations = i18n.translations(language)
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        translations.gettext, translations.ngettext, newstyle=True
    )
    page = environment.get_template(template).render(
        request=request,
        path=request.url.path,
        lang=language,
        languages=[(code, i18n.NAMES[code]) for code in i18n.LANGUAGES],
        signed=session.signed,
        nav=navigation(request),
        csrf_token=session.csrf,
        flashes=session.take_flashes(),
        fmt=i18n.Formats(language),
        t=translations.gettext,
        **context,
    )
    return HTMLResponse(page, status_code=status, headers={"Cache-Control": "no-store"})


def redirect(url: str) -> RedirectResponse:
    """After a successful form: see the result (303, so a reload does not post again)."""
    return RedirectResponse(url, status_code=303)


def flash(request: Request, message: str, kind: str = "success") -> None:
    session_of(request).flash(gettext_of(request)(message), kind)
