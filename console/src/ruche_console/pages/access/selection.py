"""A selection of users ticked in the list: grant or revoke one application for all of them (identity's bulk
routes check every user before changing any), or delete them after the preview; then a result per user."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Query, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, form_from_problem, gateway_of, gettext_of, redirect, render, session_of
from .common import (
    MESSAGES,
    application_name,
    can_write,
    catalogue,
    helpers,
    not_allowed,
    profile_name,
    router,
    user_path,
)

ACTIONS = ("grant", "revoke", "delete")
UserIds = Annotated[list[str] | None, Query()]
MAX_SELECTION = 50


def _back(target: str | None) -> str:
    """Where the list was (its search and page), never anywhere else."""
    return target if target and target.startswith("/access/users") and "//" not in target else "/access/users"


async def _users(request: Request, user_ids: list[str], suffix: str = "") -> list[dict[str, Any]]:
    """The selected users as identity has them now, one after the other (a token refresh is never raced)."""
    session, gateway = session_of(request), gateway_of(request)
    return [await gateway.get(session, user_path(user_id) + suffix) for user_id in dict.fromkeys(user_ids)]


def _step(
    request: Request,
    action: str,
    users: list[dict[str, Any]],
    applications: list[dict[str, Any]],
    back: str,
    form: PageForm | None = None,
) -> Response:
    form = form or PageForm()
    return render(
        request,
        "access/selection.html",
        status=400 if form.invalid else 200,
        action=action,
        users=users,
        applications=applications,
        back=back,
        form=form,
        **helpers(request),
    )


@router.get("/access/users/selection", response_class=HTMLResponse)
async def selection(request: Request, action: str = "grant", user_ids: UserIds = None, back: str = "") -> Response:
    user_ids = list(user_ids or [])
    if not can_write(request):
        return not_allowed(request)
    back = _back(back)
    if not user_ids:
        flash(request, _("Select at least one user in the list first."), "error")
        return redirect(back)
    if len(user_ids) > MAX_SELECTION:
        flash(request, _("Select at most 50 users at a time."), "error")
        return redirect(back)
    action = action if action in ACTIONS else "grant"
    if action == "delete":
        previews = await _users(request, user_ids, "/deletion-preview")
        return render(
            request,
            "access/delete.html",
            users=previews,
            user_ids=[u["user_id"] for u in previews],
            action="/access/users/selection",
            back=back,
            **helpers(request),
        )
    return _step(request, action, await _users(request, user_ids), await catalogue(request), back)


@router.post("/access/users/selection", response_class=HTMLResponse)
async def apply(request: Request) -> Response:
    submitted = await request.form()
    action = str(submitted.get("action", ""))
    user_ids = list(dict.fromkeys(str(v) for v in submitted.getlist("user_ids")))
    back = _back(str(submitted.get("back", "")))
    if action not in ACTIONS or not user_ids:
        flash(request, _("Select at least one user in the list first."), "error")
        return redirect(back)
    session, gateway = session_of(request), gateway_of(request)
    if action == "delete":
        try:
            await gateway.post(session, "/identity/users/delete", {"user_ids": user_ids, "confirm": True})
        except ApiError as refused:
            return _refused(request, refused, back)
        if len(user_ids) == 1:
            flash(request, _("The user is deleted."))
        else:
            session.flash(gettext_of(request)(_("%(num)s users are deleted.")) % {"num": len(user_ids)})
        return redirect(back)
    choice = str(submitted.get("choice", ""))
    application, _sep, profile = choice.partition(":")
    before = await _users(request, user_ids)
    if not application or (action == "grant" and not profile):
        form = PageForm(errors={"choice": gettext_of(request)(_("Choose an application."))})
        return _step(request, action, before, await catalogue(request), back, form)
    body: dict[str, Any] = {"user_ids": user_ids, "application": application}
    if action == "grant":
        body["profile"] = profile
    try:
        await gateway.post(session, f"/identity/users/applications/{action}", body)
    except ApiError as refused:
        if refused.status == 422 and refused.kind != "validation-error":
            form = form_from_problem(request, refused, {}, messages=MESSAGES)
            form.errors = {"choice": next(iter(form.errors.values()))} if form.errors else {}
            return _step(request, action, before, await catalogue(request), back, form)
        return _refused(request, refused, back)
    outcome = [("action", action), ("application", application), ("profile", profile), ("back", back)]
    outcome += [("u", f"{u['user_id']}:{u['grants'].get(application, '')}") for u in before]
    return redirect(f"/access/users/selection/done?{urlencode(outcome)}")


def _refused(request: Request, refused: ApiError, back: str) -> Response:
    """Nothing was changed (identity checks every selected user first): say why on the list."""
    if refused.status >= 500 or (refused.status == 403 and refused.kind != "not-allowed"):
        raise refused
    form = form_from_problem(request, refused, {}, messages=MESSAGES)
    said = [*form.general, *form.errors.values()]
    if refused.status == 404:
        said = [gettext_of(request)(MESSAGES["user_ids"])]
    session_of(request).flash(said[0] if said else gettext_of(request)(_("This cannot be done now.")), "error")
    return redirect(back)


@router.get("/access/users/selection/done", response_class=HTMLResponse)
async def done(
    request: Request,
    action: str,
    application: str,
    profile: str = "",
    u: UserIds = None,
    back: str = "",
) -> Response:
    t = gettext_of(request)
    app_name = application_name(request, application)
    rows = []
    for item in (u or [])[:MAX_SELECTION]:
        user_id, _sep, before = item.partition(":")
        try:
            user = await gateway_of(request).get(session_of(request), user_path(user_id))
        except ApiError as missing:
            if missing.status != 404:
                raise
            rows.append({"user": None, "result": t(_("This user no longer exists.")), "ok": False})
            continue
        now = user["grants"].get(application, "")
        before_name = profile_name(request, application, before) if before else ""
        now_name = profile_name(request, application, now) if now else ""
        if action == "grant":
            if not before:
                result = t(_("Granted with the profile %(profile)s")) % {"profile": now_name}
            elif before == now:
                result = t(_("Unchanged: had the profile %(profile)s already")) % {"profile": now_name}
            else:
                result = t(_("Profile changed from %(before)s to %(profile)s")) % {
                    "before": before_name,
                    "profile": now_name,
                }
            ok = now == profile
        else:
            result = (
                t(_("Revoked (the profile was %(profile)s)")) % {"profile": before_name}
                if before
                else t(_("Unchanged: did not have this application"))
            )
            ok = not now
        rows.append({"user": user, "result": result, "ok": ok})
    return render(
        request,
        "access/selection_done.html",
        action=action,
        application=app_name,
        profile=profile_name(request, application, profile) if profile else "",
        rows=rows,
        back=_back(back),
        **helpers(request),
    )
