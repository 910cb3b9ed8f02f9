"""One user of the enterprise: their data; for a manager, modifying it, granting and revoking applications one by
one (one profile each), blocking and unblocking, a new provisional password, and deleting after the preview
identity gives."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render, session_of
from .common import LANGUAGES, MESSAGES, catalogue, helpers, router, user_path

Optional = Annotated[str, Form()]


async def _user(request: Request, user_id: str) -> dict[str, Any]:
    found: dict[str, Any] = await gateway_of(request).get(session_of(request), user_path(user_id))
    return found


async def _page(
    request: Request, user: dict[str, Any], *, change: PageForm | None = None, password: PageForm | None = None
) -> Response:
    applications = await catalogue(request)
    change = change or PageForm(values={k: user.get(k) or "" for k in ("email", "local_email", "language", "title")})
    invalid = change.invalid or (password is not None and password.invalid)
    return render(
        request,
        "access/user.html",
        status=400 if invalid else 200,
        user=user,
        applications=applications,
        change=change,
        password=password or PageForm(),
        language_options=LANGUAGES,
        **helpers(request),
    )


def _refused(request: Request, refused: ApiError, user_id: str) -> Response:
    """A refusal of an action on the user's page, said there; a missing user or a missing permission is the
    console's 404 or 403 page, a failure of the platform its error page."""
    if refused.status == 404 or refused.status >= 500 or (refused.status == 403 and refused.kind != "not-allowed"):
        raise refused
    form = form_from_problem(request, refused, {}, messages=MESSAGES)
    said = [*form.general, *form.errors.values()]
    session_of(request).flash(said[0] if said else gettext_of(request)(_("This cannot be done now.")), "error")
    return redirect(f"/access/users/{user_id}")


@router.get("/access/users/{user_id}", response_class=HTMLResponse)
async def user_page(request: Request, user_id: str) -> Response:
    return await _page(request, await _user(request, user_id))


@router.post("/access/users/{user_id}", response_class=HTMLResponse)
async def change_user(
    request: Request,
    user_id: str,
    email: Optional = "",
    local_email: Optional = "",
    language: Optional = "",
    title: Optional = "",
) -> Response:
    values = {"email": email.strip(), "local_email": local_email.strip(), "language": language, "title": title.strip()}
    body = {k: v for k, v in values.items() if v}  # an empty field leaves the value as it is
    try:
        await gateway_of(request).request(session_of(request), "PATCH", user_path(user_id), json=body)
    except ApiError as refused:
        if refused.status != 422:
            return _refused(request, refused, user_id)
        form = form_from_problem(request, refused, values, messages=MESSAGES)
        return await _page(request, await _user(request, user_id), change=form)
    flash(request, _("The changes are saved."))
    return redirect(f"/access/users/{user_id}")


@router.post("/access/users/{user_id}/applications/{application}")
async def grant(request: Request, user_id: str, application: str, profile: Optional = "") -> Response:
    path = f"{user_path(user_id)}/applications/{application}"
    try:
        await gateway_of(request).request(session_of(request), "PUT", path, json={"profile": profile})
    except ApiError as refused:
        return _refused(request, refused, user_id)
    flash(request, _("The application is granted with the chosen profile."))
    return redirect(f"/access/users/{user_id}#applications")


@router.post("/access/users/{user_id}/applications/{application}/revoke")
async def revoke(request: Request, user_id: str, application: str) -> Response:
    path = f"{user_path(user_id)}/applications/{application}"
    try:
        await gateway_of(request).request(session_of(request), "DELETE", path)
    except ApiError as refused:
        return _refused(request, refused, user_id)
    flash(request, _("The application is revoked; the user's open sessions are ended."))
    return redirect(f"/access/users/{user_id}#applications")


@router.post("/access/users/{user_id}/block")
async def block(request: Request, user_id: str) -> Response:
    try:
        await gateway_of(request).post(session_of(request), f"{user_path(user_id)}/block")
    except ApiError as refused:
        return _refused(request, refused, user_id)
    flash(request, _("The user is blocked: they stay in the list but cannot sign in, and their sessions are ended."))
    return redirect(f"/access/users/{user_id}")


@router.post("/access/users/{user_id}/unblock")
async def unblock(request: Request, user_id: str) -> Response:
    try:
        await gateway_of(request).post(session_of(request), f"{user_path(user_id)}/unblock")
    except ApiError as refused:
        return _refused(request, refused, user_id)
    flash(request, _("The user is unblocked and can sign in again."))
    return redirect(f"/access/users/{user_id}")


@router.post("/access/users/{user_id}/password", response_class=HTMLResponse)
async def new_password(
    request: Request, user_id: str, password: Optional = "", password_confirmation: Optional = ""
) -> Response:
    body = {"password": password, "password_confirmation": password_confirmation}
    try:
        await gateway_of(request).post(session_of(request), f"{user_path(user_id)}/password", body)
    except ApiError as refused:
        if refused.status != 422:
            return _refused(request, refused, user_id)
        form = form_from_problem(request, refused, body, messages=MESSAGES)
        return await _page(request, await _user(request, user_id), password=form)
    flash(
        request,
        _("The provisional password is set: give it to the user, who chooses their own at the next sign-in."),
    )
    return redirect(f"/access/users/{user_id}")


@router.get("/access/users/{user_id}/delete", response_class=HTMLResponse)
async def deletion_preview(request: Request, user_id: str) -> Response:
    preview = await gateway_of(request).get(session_of(request), f"{user_path(user_id)}/deletion-preview")
    return render(
        request,
        "access/delete.html",
        users=[preview],
        user_ids=[],
        action=f"/access/users/{user_id}/delete",
        back=f"/access/users/{user_id}",
        **helpers(request),
    )


@router.post("/access/users/{user_id}/delete")
async def delete(request: Request, user_id: str) -> Response:
    try:
        await gateway_of(request).request(session_of(request), "DELETE", user_path(user_id), params={"confirm": "true"})
    except ApiError as refused:
        return _refused(request, refused, user_id)
    flash(request, _("The user is deleted."))
    return redirect("/access/users")
