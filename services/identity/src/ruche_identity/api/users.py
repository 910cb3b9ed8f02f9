"""User management: the applications catalogue, an enterprise's users (create, search and its complement,
export, modify, grant and revoke, block, new password, delete), and every user's own data."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, EmailStr, Field
from ruche_contracts.identifiers import Niss
from ruche_servicekit.app import Database, location
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import MAX_LIMIT, Limit, Offset, Page

from ..domain.applications import APPLICATIONS, ApplicationId, UserKind
from ..domain.users import Language, UserCriteria, UserStatus, confirm
from ..use_cases import users
from . import users_csv
from .deps import Manager, Me, Name, Reader, Strict
from .schemas import UserOut

router = APIRouter()
Username = Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Password = Annotated[str, Field(min_length=1, max_length=256)]
UserIds = Annotated[list[str], Field(min_length=1, max_length=MAX_LIMIT)]


class ProfileOut(BaseModel):
    id: str
    name: str
    permissions: list[str]


class ApplicationOut(BaseModel):
    id: str
    name: str
    profiles: list[ProfileOut]


class UserCreate(Strict):
    niss: Niss
    username: Username = Field(description="Chosen once, never changeable.")
    username_confirmation: str
    password: Password = Field(description="Provisional: the user chooses their own at first login.")
    password_confirmation: str
    last_name: Name
    first_name: Name
    title: str | None = Field(default=None, max_length=50)
    language: Language = "fr"
    email: EmailStr
    local_email: EmailStr | None = None
    kind: Literal["user", "co_manager"] = "user"
    grants: dict[str, str] = Field(default_factory=dict, description="Application id → profile id.")


class UserChange(Strict):
    email: EmailStr | None = None
    local_email: EmailStr | None = None
    language: Language | None = None
    title: str | None = Field(default=None, max_length=50)


class OwnChange(Strict):
    email: EmailStr | None = None
    local_email: EmailStr | None = Field(default=None, description="The enterprise e-mail address.")
    language: Language | None = None


class ProfileChoice(Strict):
    profile: str = Field(min_length=1)


class BulkGrant(Strict):
    user_ids: UserIds
    application: str
    profile: str


class BulkRevoke(Strict):
    user_ids: UserIds
    application: str


class BulkDelete(Strict):
    user_ids: UserIds
    confirm: bool = False


class NewPassword(Strict):
    password: Password
    password_confirmation: str


class OwnPassword(Strict):
    current_password: Password
    new_password: Password
    new_password_confirmation: str


def _criteria(
    last_name: Annotated[str | None, Query(max_length=100, description="From the start, any case or accent")] = None,
    first_name: Annotated[str | None, Query(max_length=100)] = None,
    username: Annotated[str | None, Query(max_length=64)] = None,
    type: Annotated[UserKind | None, Query(description="access_manager, co_manager or user")] = None,
    niss: Annotated[Niss | None, Query()] = None,
    status: Annotated[UserStatus | None, Query()] = None,
    application: Annotated[ApplicationId | None, Query(description="Users who may use this application")] = None,
    not_logged_in_since: Annotated[datetime | None, Query(description="No login since then, or never")] = None,
) -> UserCriteria:
    return UserCriteria(
        last_name=last_name,
        first_name=first_name,
        username=username,
        kind=type,
        niss=niss,
        status=status,
        application=application,
        not_logged_in_since=not_logged_in_since,
    )


Criteria = Annotated[UserCriteria, Depends(_criteria)]
Complementary = Annotated[bool, Query(description="Return exactly the users NOT matching the criteria.")]
Sort = Annotated[Literal["last_name", "first_name", "username", "last_login_at", "created_at"], Query()]
Order = Annotated[Literal["asc", "desc"], Query()]
Now = Annotated[datetime, Depends(lambda: datetime.now(UTC))]


@router.get(
    "/applications",
    response_model=list[ApplicationOut],
    tags=["applications"],
    summary="The applications and the profiles that can be granted",
)
async def applications(_: Me) -> list[ApplicationOut]:
    return [
        ApplicationOut(
            id=a.id,
            name=a.name,
            profiles=[ProfileOut(id=p.id, name=p.name, permissions=list(p.permissions)) for p in a.profiles],
        )
        for a in APPLICATIONS
    ]


@router.get("/users/me", response_model=UserOut, tags=["own data"], summary="The calling user")
async def me(user: Me) -> UserOut:
    return UserOut.of(user)


@router.patch(
    "/users/me",
    response_model=UserOut,
    responses=problems(409),
    tags=["own data"],
    summary="Change own e-mail, enterprise e-mail or language",
)
async def change_me(body: OwnChange, user: Me, db: Database) -> UserOut:
    return UserOut.of(await users.update_own(db, user, body.model_dump(exclude_unset=True, exclude_none=True)))


@router.post("/users/me/password", status_code=204, tags=["own data"], summary="Change own password")
async def change_my_password(body: OwnPassword, user: Me, db: Database, now: Now) -> Response:
    await users.change_own_password(
        db,
        user,
        current=body.current_password,
        new=body.new_password,
        confirmation=body.new_password_confirmation,
        now=now,
    )
    return Response(status_code=204)


@router.post(
    "/users",
    status_code=201,
    response_model=UserOut,
    responses=problems(409),
    tags=["users"],
    summary="Create a user of the enterprise by NISS, with a provisional password",
)
async def create_user(
    request: Request, body: UserCreate, actor: Manager, db: Database, response: Response, now: Now
) -> UserOut:
    confirm(body.username, body.username_confirmation, field="username")
    confirm(body.password, body.password_confirmation, field="password")
    fields = body.model_dump(
        include={"niss", "username", "last_name", "first_name", "title", "language", "email", "local_email"}
    )
    user = await users.create_user(
        db, actor, kind=body.kind, fields=fields, password=body.password, grants=body.grants, now=now
    )
    response.headers["Location"] = location(request, f"/users/{user.user_id}")
    return UserOut.of(user)


def _search_args(sort: str, order: str) -> dict[str, Any]:
    return {"sort": sort, "descending": order == "desc"}


@router.get(
    "/users",
    response_model=Page[UserOut],
    tags=["users"],
    summary="Search users; complementary=true gives exactly those NOT matching",
)
async def search_users(
    actor: Reader,
    db: Database,
    criteria: Criteria,
    complementary: Complementary = False,
    sort: Sort = "last_name",
    order: Order = "asc",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[UserOut]:
    found, total = await users.search(
        db, actor, criteria, complementary=complementary, limit=limit, offset=offset, **_search_args(sort, order)
    )
    return Page(items=[UserOut.of(u) for u in found], total=total, limit=limit, offset=offset)


@router.get(
    "/users/export.csv",
    tags=["users"],
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
    summary="The searched (or complementary) list as CSV for a spreadsheet",
)
async def export_users(
    actor: Reader,
    db: Database,
    criteria: Criteria,
    complementary: Complementary = False,
    sort: Sort = "last_name",
    order: Order = "asc",
) -> Response:
    found = await users.export(db, actor, criteria, complementary=complementary, **_search_args(sort, order))
    return Response(
        users_csv.users_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="users.csv"'},
    )


@router.post(
    "/users/applications/grant",
    response_model=list[UserOut],
    responses=problems(409),
    tags=["applications"],
    summary="Grant one application's profile to a selection of users",
)
async def bulk_grant(body: BulkGrant, actor: Manager, db: Database) -> list[UserOut]:
    done = await users.grant_application(db, actor, body.user_ids, application=body.application, profile=body.profile)
    return [UserOut.of(u) for u in done]


@router.post(
    "/users/applications/revoke",
    response_model=list[UserOut],
    responses=problems(409),
    tags=["applications"],
    summary="Revoke one application from a selection of users",
)
async def bulk_revoke(body: BulkRevoke, actor: Manager, db: Database, now: Now) -> list[UserOut]:
    done = await users.revoke_application(db, actor, body.user_ids, application=body.application, now=now)
    return [UserOut.of(u) for u in done]


@router.post(
    "/users/delete", status_code=204, responses=problems(409), tags=["users"], summary="Delete a selection of users"
)
async def bulk_delete(body: BulkDelete, actor: Manager, db: Database) -> Response:
    await users.delete_users(db, actor, body.user_ids, confirm=body.confirm)
    return Response(status_code=204)


@router.get("/users/{user_id}", response_model=UserOut, tags=["users"], summary="One user")
async def get_user(user_id: str, actor: Reader, db: Database) -> UserOut:
    return UserOut.of(await users.get_user(db, actor, user_id))


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    responses=problems(409),
    tags=["users"],
    summary="Change a user's e-mail, local e-mail, language or title",
)
async def change_user(user_id: str, body: UserChange, actor: Manager, db: Database) -> UserOut:
    return UserOut.of(
        await users.update_user(db, actor, user_id, body.model_dump(exclude_unset=True, exclude_none=True))
    )


@router.put(
    "/users/{user_id}/applications/{application}",
    response_model=UserOut,
    responses=problems(409),
    tags=["applications"],
    summary="Grant an application with one profile (replacing the previous profile)",
)
async def grant(user_id: str, application: str, body: ProfileChoice, actor: Manager, db: Database) -> UserOut:
    [updated] = await users.grant_application(db, actor, [user_id], application=application, profile=body.profile)
    return UserOut.of(updated)


@router.delete(
    "/users/{user_id}/applications/{application}",
    response_model=UserOut,
    responses=problems(409),
    tags=["applications"],
    summary="Revoke an application",
)
async def revoke(user_id: str, application: str, actor: Manager, db: Database, now: Now) -> UserOut:
    [updated] = await users.revoke_application(db, actor, [user_id], application=application, now=now)
    return UserOut.of(updated)


@router.post(
    "/users/{user_id}/block",
    response_model=UserOut,
    responses=problems(409),
    tags=["users"],
    summary="Block a user: still listed, cannot log in",
)
async def block(user_id: str, actor: Manager, db: Database, now: Now) -> UserOut:
    return UserOut.of(await users.set_status(db, actor, user_id, blocked=True, now=now))


@router.post(
    "/users/{user_id}/unblock",
    response_model=UserOut,
    responses=problems(409),
    tags=["users"],
    summary="Unblock a user",
)
async def unblock(user_id: str, actor: Manager, db: Database, now: Now) -> UserOut:
    return UserOut.of(await users.set_status(db, actor, user_id, blocked=False, now=now))


@router.post(
    "/users/{user_id}/password",
    response_model=UserOut,
    responses=problems(409),
    tags=["users"],
    summary="Give a user a new provisional password (also lifts a lockout after failed logins)",
)
async def new_password(user_id: str, body: NewPassword, actor: Manager, db: Database, now: Now) -> UserOut:
    updated = await users.set_provisional_password(
        db, actor, user_id, password=body.password, confirmation=body.password_confirmation, now=now
    )
    return UserOut.of(updated)


@router.get(
    "/users/{user_id}/deletion-preview",
    response_model=UserOut,
    tags=["users"],
    summary="The data that deleting this user removes",
)
async def deletion_preview(user_id: str, actor: Manager, db: Database) -> UserOut:
    return UserOut.of(await users.deletion_preview(db, actor, user_id))


@router.delete(
    "/users/{user_id}",
    status_code=204,
    responses=problems(409),
    tags=["users"],
    summary="Delete a user (confirm=true, after the preview)",
)
async def delete_user(
    user_id: str, actor: Manager, db: Database, confirm: Annotated[bool, Query()] = False
) -> Response:
    await users.delete_users(db, actor, [user_id], confirm=confirm)
    return Response(status_code=204)
