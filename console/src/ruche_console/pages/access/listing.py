"""The users list of an enterprise: every search criterion identity offers, the complementary search (exactly the
users NOT matching), sorting, paging and the CSV export; and creating a user by NISS."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...i18n import TIMEZONE
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render, session_of
from .common import (
    KINDS,
    LANGUAGES,
    MESSAGES,
    STATUSES,
    can_write,
    catalogue,
    helpers,
    manageable,
    not_allowed,
    router,
)

PAGE_SIZES = (10, 25, 50)
DEFAULT_PAGE_SIZE = 25
TEXT_CRITERIA = ("last_name", "first_name", "username", "niss")
CHOICE_CRITERIA = ("type", "status", "application")
SORTS: dict[str, str] = {
    "last_name": _("Last name"),
    "first_name": _("First name"),
    "username": _("Username"),
    "last_login_at": _("Last sign-in"),
    "created_at": _("Created on"),
}
ORDERS: dict[str, str] = {"asc": _("Ascending"), "desc": _("Descending")}


class Search:
    """The search form as typed (`values`), what identity is asked (`params`), and what is wrong before asking."""

    def __init__(self, request: Request) -> None:
        query = request.query_params
        self.values: dict[str, Any] = {
            name: query.get(name, "").strip() for name in (*TEXT_CRITERIA, *CHOICE_CRITERIA, "not_logged_in_since")
        }
        self.values["complementary"] = query.get("complementary") in ("on", "true")
        self.values["sort"] = query.get("sort") if query.get("sort") in SORTS else "last_name"
        self.values["order"] = "desc" if query.get("order") == "desc" else "asc"
        limit = query.get("limit", "")
        self.limit = int(limit) if limit.isdigit() and int(limit) in PAGE_SIZES else DEFAULT_PAGE_SIZE
        self.values["limit"] = self.limit
        offset = query.get("offset", "")
        self.offset = int(offset) if offset.isdigit() else 0
        self.errors: dict[str, str] = {}
        self.params: dict[str, Any] = {
            name: self.values[name] for name in (*TEXT_CRITERIA, *CHOICE_CRITERIA) if self.values[name]
        }
        since = self.values["not_logged_in_since"]
        if since:
            try:
                day = date.fromisoformat(since)
            except ValueError:
                self.errors["not_logged_in_since"] = gettext_of(request)(_("This is not a valid date."))
            else:  # midnight in Brussels, the day the person means
                start = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(TIMEZONE))
                self.params["not_logged_in_since"] = start.astimezone(UTC).isoformat()
        if self.values["complementary"]:
            self.params["complementary"] = "true"
        self.params["sort"], self.params["order"] = self.values["sort"], self.values["order"]

    @property
    def more_given(self) -> bool:
        """Whether a criterion or choice of the folded part of the form is in use (then it shows unfolded)."""
        chosen = any(self.values[name] for name in (*CHOICE_CRITERIA, "not_logged_in_since"))
        ordered = (self.values["sort"], self.values["order"], self.limit) != ("last_name", "asc", DEFAULT_PAGE_SIZE)
        return chosen or ordered

    @property
    def criteria_given(self) -> bool:
        return any(self.values[name] for name in (*TEXT_CRITERIA, *CHOICE_CRITERIA, "not_logged_in_since"))

    def query(self, *, paging: bool = True) -> str:
        """The search as a query string (without offset), for the pager and the export link."""
        kept = {k: v for k, v in self.values.items() if v not in ("", False) and k != "limit"}
        if kept.get("complementary"):
            kept["complementary"] = "on"
        if paging:
            kept["limit"] = self.limit
        return urlencode(kept)


def _named(request: Request, options: dict[str, str]) -> list[tuple[str, str]]:
    t = gettext_of(request)
    return [(code, t(text)) for code, text in options.items()]


@router.get("/access/users", response_class=HTMLResponse)
async def users(request: Request) -> Response:
    search = Search(request)
    form = PageForm(values=search.values, errors=dict(search.errors))
    page: dict[str, Any] = {"items": [], "total": 0, "limit": search.limit, "offset": 0}
    if not form.errors:
        try:
            page = await gateway_of(request).get(
                session_of(request), "/identity/users", **search.params, limit=search.limit, offset=search.offset
            )
        except ApiError as refused:
            if refused.status != 422:
                raise
            form = form_from_problem(request, refused, search.values, messages=MESSAGES)
    applications = await catalogue(request)
    return render(
        request,
        "access/users.html",
        form=form,
        page=page,
        search=search,
        base=f"/access/users?{search.query()}",
        export=f"/access/users/export.csv?{search.query(paging=False)}",
        type_options=_named(request, KINDS),
        status_options=_named(request, STATUSES),
        application_options=[(a["id"], a["name"]) for a in applications],
        sort_options=_named(request, SORTS),
        order_options=_named(request, ORDERS),
        page_sizes=[(n, str(n)) for n in PAGE_SIZES],
        selectable=any(manageable(request, user) for user in page["items"]),
        **helpers(request),
    )


@router.get("/access/users/export.csv")
async def export(request: Request) -> Response:
    """identity's CSV of the searched (or complementary) list, passed through as a download."""
    search = Search(request)
    if search.errors:
        return redirect(f"/access/users?{search.query()}")
    try:
        answer = await gateway_of(request).request(
            session_of(request), "GET", "/identity/users/export.csv", params=search.params
        )
    except ApiError as refused:
        if refused.status != 422:
            raise
        return redirect(f"/access/users?{search.query()}")  # the list says what is wrong with the criteria
    name = f"users-{datetime.now(ZoneInfo(TIMEZONE)):%Y-%m-%d}.csv"
    return Response(
        answer.content,
        media_type=answer.headers.get("content-type", "text/csv; charset=utf-8"),
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


def _creation_page(request: Request, form: PageForm, applications: list[dict[str, Any]], status: int = 200) -> Response:
    signed = session_of(request).signed
    return render(
        request,
        "access/new_user.html",
        status=status,
        form=form,
        applications=applications,
        language_options=LANGUAGES,
        appoints=signed is not None and signed.kind == "access_manager",
        kind_options=[(code, gettext_of(request)(KINDS[code])) for code in ("user", "co_manager")],
        **helpers(request),
    )


@router.get("/access/users/new", response_class=HTMLResponse)
async def new_user_page(request: Request, niss: str = "") -> Response:
    if not can_write(request):
        return not_allowed(request)
    form = PageForm(values={"niss": niss.strip(), "language": "fr", "kind": "user"})
    return _creation_page(request, form, await catalogue(request))


@router.post("/access/users/new", response_class=HTMLResponse)
async def create_user(request: Request) -> Response:
    submitted = await request.form()
    values = {k: str(v).strip() for k, v in submitted.items() if k != "csrf_token"}
    passwords = {k: str(submitted.get(k, "")) for k in ("password", "password_confirmation")}  # kept as typed
    grants = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("grants.") and v}
    body: dict[str, Any] = {
        "niss": values.get("niss", ""),
        "username": values.get("username", ""),
        "username_confirmation": values.get("username_confirmation", ""),
        **passwords,
        "last_name": values.get("last_name", ""),
        "first_name": values.get("first_name", ""),
        "language": values.get("language") or "fr",
        "email": values.get("email", ""),
        "kind": values.get("kind") or "user",
        "grants": grants,
    }
    for optional in ("title", "local_email"):
        if values.get(optional):
            body[optional] = values[optional]
    try:
        created = await gateway_of(request).post(session_of(request), "/identity/users", body)
    except ApiError as refused:
        if refused.status not in (403, 409, 422) or (refused.status == 403 and not refused.field_errors):
            raise
        form = form_from_problem(request, refused, values, messages=MESSAGES)
        for name in ("application", "profile"):  # a grant refused: said above the applications
            if name in form.errors:
                form.errors["grants"] = form.errors.pop(name)
        return _creation_page(request, form, await catalogue(request), status=400)
    flash(
        request,
        _(
            "The user is created. Give them their username and provisional password: they choose their own "
            "password at their first sign-in."
        ),
    )
    return redirect(f"/access/users/{created['user_id']}")
