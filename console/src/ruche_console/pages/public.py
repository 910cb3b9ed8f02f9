"""Public pages: ask for an enterprise's access manager (the form of the social-security portal) and follow the
ticket; an employee's forgotten password, the e-mailed reset link, and a lost identifier."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from ..gateway import ApiError
from ..web import Form as PageForm
from ..web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render

router = APIRouter()
Field = Annotated[str, Form()]
Optional = Annotated[str, Form()]
CAPACITIES = ("employee", "director", "manager", "partner")
SIGNATORY_CAPACITIES = ("director", "manager", "partner")
MONTH_KEYS = (
    _("January"),
    _("February"),
    _("March"),
    _("April"),
    _("May"),
    _("June"),
    _("July"),
    _("August"),
    _("September"),
    _("October"),
    _("November"),
    _("December"),
)


def months(request: Request) -> list[tuple[int, str]]:
    t = gettext_of(request)
    return [(n, t(name)) for n, name in enumerate(MONTH_KEYS, start=1)]


def _nested(form: dict[str, Any]) -> dict[str, Any]:
    """`manager.last_name` → {"manager": {"last_name": ...}}: the form's names are the API's field paths, so an
    error about `manager.niss` lands next to that input."""
    body: dict[str, Any] = {}
    for name, value in form.items():
        *parents, leaf = name.split(".")
        target = body
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return body


@router.get("/designation", response_class=HTMLResponse)
async def designation_page(request: Request, replace: int = 0) -> Response:
    form = PageForm(values={"replace_current": bool(replace), "manager.language": "fr"})
    return render(
        request, "public/designation.html", form=form, capacities=CAPACITIES, signatories=SIGNATORY_CAPACITIES
    )


@router.post("/designation", response_class=HTMLResponse)
async def request_designation(request: Request) -> Response:
    submitted = await request.form()
    values: dict[str, Any] = {k: str(v).strip() for k, v in submitted.items() if k != "csrf_token"}
    values["replace_current"] = values.get("replace_current") == "on"
    body = _nested({k: (v or None) if isinstance(v, str) else v for k, v in values.items()})
    for person in ("manager", "signatory"):
        if body.get(person, {}).get("phone") is None:
            body.get(person, {}).pop("phone", None)
    try:
        created = await gateway_of(request).post(None, "/identity/designations", body)
    except ApiError as refused:
        form = form_from_problem(request, refused, values)
        return render(
            request,
            "public/designation.html",
            status=400,
            form=form,
            capacities=CAPACITIES,
            signatories=SIGNATORY_CAPACITIES,
        )
    return render(request, "public/designation_done.html", ticket=created["ticket"])


@router.get("/designation/follow", response_class=HTMLResponse)
async def follow(request: Request, ticket: str = "") -> Response:
    found, form = None, PageForm(values={"ticket": ticket})
    if ticket.strip():
        try:
            found = await gateway_of(request).get(None, f"/identity/designations/{ticket.strip()}")
        except ApiError as missing:
            if missing.status != 404:
                raise
            form.errors["ticket"] = gettext_of(request)(_("No request has this ticket."))
    return render(request, "public/designation_follow.html", form=form, found=found)


@router.get("/forgotten-password", response_class=HTMLResponse)
async def forgotten_page(request: Request) -> Response:
    return render(request, "public/forgotten_password.html", form=PageForm(), sent=False)


@router.post("/forgotten-password", response_class=HTMLResponse)
async def forgotten(request: Request, identifier: Field, email: Field) -> Response:
    body = {"identifier": identifier.strip(), "email": email.strip()}
    try:
        await gateway_of(request).post(None, "/identity/employees/password-reset", body)
    except ApiError as refused:
        form = form_from_problem(request, refused, body)
        return render(request, "public/forgotten_password.html", status=400, form=form, sent=False)
    return render(request, "public/forgotten_password.html", form=PageForm(), sent=True)


@router.get("/password-reset/{token}", response_class=HTMLResponse)
async def reset_page(request: Request, token: str) -> Response:
    link = await _link(request, token)
    if link is None:
        return render(request, "public/reset_invalid.html", status=410)
    return render(request, "public/reset_password.html", form=PageForm(), valid_until=link["valid_until"], token=token)


@router.post("/password-reset/{token}", response_class=HTMLResponse)
async def reset(request: Request, token: str, new_password: Field, new_password_confirmation: Field) -> Response:
    body = {"new_password": new_password, "new_password_confirmation": new_password_confirmation}
    try:
        await gateway_of(request).post(None, f"/identity/employees/password-reset/{token}", body)
    except ApiError as refused:
        if refused.problem.get("error"):
            return render(request, "public/reset_invalid.html", status=410)
        link = await _link(request, token)
        form = form_from_problem(request, refused, body)
        valid_until = link["valid_until"] if link else None
        return render(
            request, "public/reset_password.html", status=400, form=form, valid_until=valid_until, token=token
        )
    flash(request, _("Your new password is set and your account is unlocked: sign in."))
    return redirect("/sign-in")


async def _link(request: Request, token: str) -> dict[str, Any] | None:
    try:
        link: dict[str, Any] = await gateway_of(request).get(None, f"/identity/employees/password-reset/{token}")
    except ApiError as refused:
        if refused.status in (400, 404, 422):
            return None
        raise
    return link


@router.get("/lost-identifier", response_class=HTMLResponse)
async def lost_page(request: Request) -> Response:
    return render(request, "public/lost_identifier.html", form=PageForm(), months_options=months(request), sent=False)


@router.post("/lost-identifier", response_class=HTMLResponse)
async def lost(request: Request) -> Response:
    submitted = await request.form()
    values = {k: str(v).strip() for k, v in submitted.items() if k != "csrf_token"}
    body: dict[str, Any] = {**values, "consent": values.get("consent") == "on"}
    if body.get("birth_month", "").isdigit():
        body["birth_month"] = int(body["birth_month"])
    try:
        await gateway_of(request).post(None, "/identity/employees/lost-identifier", body)
    except ApiError as refused:
        form = form_from_problem(request, refused, values)
        return render(
            request, "public/lost_identifier.html", status=400, form=form, months_options=months(request), sent=False
        )
    return render(request, "public/lost_identifier.html", form=PageForm(), months_options=months(request), sent=True)
