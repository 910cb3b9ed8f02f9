"""HTTP edge of user management: the applications catalogue, users of an enterprise (create, search and
its complement, export, modify, grant and revoke, block, new password, delete), own data, audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from ruche_servicekit.app import Database, Relay
from ruche_servicekit.auth import Principal, current_principal, require
from ruche_servicekit.identifiers import Niss
from ruche_servicekit.paging import MAX_LIMIT, Limit, Offset, Page
from ruche_servicekit.problems import Problem

from . import csv_export, domain, repository, technical_users, users
from .domain import APPLICATIONS, ApplicationId, Language, User, UserCriteria, UserKind, UserStatus

router = APIRouter()
Name = Annotated[str, Field(min_length=1, max_length=100)]
Username = Annotated[str, Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Password = Annotated[str, Field(min_length=1, max_length=256)]
EXPORT_LIMIT = 10_000


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


async def _current_user(request: Request, principal: Annotated[Principal, Depends(current_principal)]) -> User:
    """The calling user as stored now: a blocked or deleted user's token no longer opens anything here."""
    try:
        user, _ = await repository.get_user(request.app.state.db, tenant=principal.tenant, user_id=principal.subject)
    except domain.NotFound as exc:
        raise Problem(401, "Unauthorized", "This account no longer exists.", kind="unauthorized") from exc
    if user.status != "active":
        raise Problem(401, "Unauthorized", "This account is blocked.", kind="unauthorized")
    return user


_CURRENT_USER = Depends(_current_user)


def _needs(permission: str):
    # Defaults, not annotations, so the closure's `permission` resolves; the permission is checked first, so a
    # valid token without it (an employee, a mandated provider) gets 403 rather than an account lookup's 401.
    has_permission = Depends(require(permission))

    async def check(principal: Principal = has_permission, user: User = _CURRENT_USER) -> User:
        return user

    return check


Me = Annotated[User, Depends(_current_user)]
Reader = Annotated[User, Depends(_needs("identity:users:read"))]
Manager = Annotated[User, Depends(_needs("identity:users:write"))]
Auditor = Annotated[User, Depends(_needs("identity:audit:read"))]


# Schemas ---------------------------------------------------------------------------------------------------
class ProfileOut(BaseModel):
    id: str
    name: str
    permissions: list[str]


class ApplicationOut(BaseModel):
    id: str
    name: str
    profiles: list[ProfileOut]


class UserOut(BaseModel):
    user_id: str
    username: str
    last_name: str
    first_name: str
    title: str | None
    language: Language
    email: str
    local_email: str | None
    niss: str
    kind: UserKind
    status: UserStatus
    grants: dict[str, str] = Field(description="Application id → profile id; one profile per application.")
    permissions: list[str]
    must_change_password: bool
    created_at: datetime | None
    last_login_at: datetime | None

    @classmethod
    def of(cls, u: User) -> UserOut:
        return cls(
            user_id=u.user_id,
            username=u.username,
            last_name=u.last_name,
            first_name=u.first_name,
            title=u.title,
            language=u.language,
            email=u.email,
            local_email=u.local_email,
            niss=u.niss,
            kind=u.kind,
            status=u.status,
            grants=dict(u.grants),
            permissions=list(u.permissions),
            must_change_password=u.must_change_password,
            created_at=u.created_at,
            last_login_at=u.last_login_at,
        )


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
    user_ids: list[str] = Field(min_length=1, max_length=MAX_LIMIT)
    application: str
    profile: str


class BulkRevoke(Strict):
    user_ids: list[str] = Field(min_length=1, max_length=MAX_LIMIT)
    application: str


class BulkDelete(Strict):
    user_ids: list[str] = Field(min_length=1, max_length=MAX_LIMIT)
    confirm: bool = False


class NewPassword(Strict):
    password: Password
    password_confirmation: str


class OwnPassword(Strict):
    current_password: Password
    new_password: Password
    new_password_confirmation: str


class AuditOut(BaseModel):
    event_id: str
    at: datetime
    action: str
    actor_id: str
    user_id: str
    details: dict[str, Any]


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


# Routes ----------------------------------------------------------------------------------------------------
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
    "/users/me", response_model=UserOut, tags=["own data"], summary="Change own e-mail, enterprise e-mail or language"
)
async def change_me(body: OwnChange, user: Me, db: Database, relay: Relay) -> UserOut:
    updated = await users.update_own(db, user, body.model_dump(exclude_unset=True, exclude_none=True))
    relay.wake()
    return UserOut.of(updated)


@router.post("/users/me/password", status_code=204, tags=["own data"], summary="Change own password")
async def change_my_password(body: OwnPassword, user: Me, db: Database, relay: Relay) -> Response:
    await users.change_own_password(
        db, user, current=body.current_password, new=body.new_password, confirmation=body.new_password_confirmation
    )
    relay.wake()
    return Response(status_code=204)


@router.post(
    "/users",
    status_code=201,
    response_model=UserOut,
    tags=["users"],
    summary="Create a user of the enterprise by NISS, with a provisional password",
)
async def create_user(body: UserCreate, actor: Manager, db: Database, relay: Relay, response: Response) -> UserOut:
    domain.confirm(body.username, body.username_confirmation, field="username")
    domain.confirm(body.password, body.password_confirmation, field="password")
    fields = body.model_dump(
        include={"niss", "username", "last_name", "first_name", "title", "language", "email", "local_email"}
    )
    user = await users.create_user(
        db, actor, kind=body.kind, fields=fields, password=body.password, grants=body.grants, now=datetime.now(UTC)
    )
    relay.wake()
    response.headers["Location"] = f"users/{user.user_id}"
    return UserOut.of(user)


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
    found, total = await repository.search_users(
        db,
        actor.tenant,
        criteria,
        complementary=complementary,
        sort=sort,
        descending=order == "desc",
        limit=limit,
        offset=offset,
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
    found, _ = await repository.search_users(
        db,
        actor.tenant,
        criteria,
        complementary=complementary,
        sort=sort,
        descending=order == "desc",
        limit=EXPORT_LIMIT,
        offset=0,
    )
    return Response(
        csv_export.users_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="users.csv"'},
    )


@router.post(
    "/users/applications/grant",
    response_model=list[UserOut],
    tags=["applications"],
    summary="Grant one application's profile to a selection of users",
)
async def bulk_grant(body: BulkGrant, actor: Manager, db: Database, relay: Relay) -> list[UserOut]:
    done = await users.grant_application(db, actor, body.user_ids, application=body.application, profile=body.profile)
    relay.wake()
    return [UserOut.of(u) for u in done]


@router.post(
    "/users/applications/revoke",
    response_model=list[UserOut],
    tags=["applications"],
    summary="Revoke one application from a selection of users",
)
async def bulk_revoke(body: BulkRevoke, actor: Manager, db: Database, relay: Relay) -> list[UserOut]:
    done = await users.revoke_application(db, actor, body.user_ids, application=body.application)
    relay.wake()
    return [UserOut.of(u) for u in done]


@router.post("/users/delete", status_code=204, tags=["users"], summary="Delete a selection of users")
async def bulk_delete(body: BulkDelete, actor: Manager, db: Database, relay: Relay) -> Response:
    await users.delete_users(db, actor, body.user_ids, confirm=body.confirm)
    relay.wake()
    return Response(status_code=204)


@router.get("/users/{user_id}", response_model=UserOut, tags=["users"], summary="One user")
async def get_user(user_id: str, actor: Reader, db: Database) -> UserOut:
    user, _ = await repository.get_user(db, tenant=actor.tenant, user_id=user_id)
    return UserOut.of(user)


@router.patch(
    "/users/{user_id}",
    response_model=UserOut,
    tags=["users"],
    summary="Change a user's e-mail, local e-mail, language or title",
)
async def change_user(user_id: str, body: UserChange, actor: Manager, db: Database, relay: Relay) -> UserOut:
    updated = await users.update_user(db, actor, user_id, body.model_dump(exclude_unset=True, exclude_none=True))
    relay.wake()
    return UserOut.of(updated)


@router.put(
    "/users/{user_id}/applications/{application}",
    response_model=UserOut,
    tags=["applications"],
    summary="Grant an application with one profile (replacing the previous profile)",
)
async def grant(
    user_id: str, application: str, body: ProfileChoice, actor: Manager, db: Database, relay: Relay
) -> UserOut:
    [updated] = await users.grant_application(db, actor, [user_id], application=application, profile=body.profile)
    relay.wake()
    return UserOut.of(updated)


@router.delete(
    "/users/{user_id}/applications/{application}",
    response_model=UserOut,
    tags=["applications"],
    summary="Revoke an application",
)
async def revoke(user_id: str, application: str, actor: Manager, db: Database, relay: Relay) -> UserOut:
    [updated] = await users.revoke_application(db, actor, [user_id], application=application)
    relay.wake()
    return UserOut.of(updated)


@router.post(
    "/users/{user_id}/block",
    response_model=UserOut,
    tags=["users"],
    summary="Block a user: still listed, cannot log in",
)
async def block(user_id: str, actor: Manager, db: Database, relay: Relay) -> UserOut:
    updated = await users.set_status(db, actor, user_id, blocked=True)
    relay.wake()
    return UserOut.of(updated)


@router.post("/users/{user_id}/unblock", response_model=UserOut, tags=["users"], summary="Unblock a user")
async def unblock(user_id: str, actor: Manager, db: Database, relay: Relay) -> UserOut:
    updated = await users.set_status(db, actor, user_id, blocked=False)
    relay.wake()
    return UserOut.of(updated)


@router.post(
    "/users/{user_id}/password",
    response_model=UserOut,
    tags=["users"],
    summary="Give a user a new provisional password",
)
async def new_password(user_id: str, body: NewPassword, actor: Manager, db: Database, relay: Relay) -> UserOut:
    updated = await users.set_provisional_password(
        db, actor, user_id, password=body.password, confirmation=body.password_confirmation
    )
    relay.wake()
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
    "/users/{user_id}", status_code=204, tags=["users"], summary="Delete a user (confirm=true, after the preview)"
)
async def delete_user(
    user_id: str, actor: Manager, db: Database, relay: Relay, confirm: Annotated[bool, Query()] = False
) -> Response:
    await users.delete_users(db, actor, [user_id], confirm=confirm)
    relay.wake()
    return Response(status_code=204)


@router.get(
    "/audit",
    response_model=Page[AuditOut],
    tags=["audit"],
    summary="Who did what to whom, and when, in the caller's enterprise (newest first)",
)
async def audit(actor: Auditor, db: Database, limit: Limit = 50, offset: Offset = 0) -> Page[AuditOut]:
    docs, total = await repository.find_audit(db, tenant=actor.tenant, limit=limit, offset=offset)
    items = [
        AuditOut(
            event_id=d["_id"],
            at=d["at"],
            action=d["action"],
            actor_id=d["actor_id"],
            user_id=d["user_id"],
            details=d.get("details", {}),
        )
        for d in docs
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


class TechnicalUserCreate(Strict):
    name: Name = Field(description="What the machine is, e.g. 'site badge reader, Gare du Midi'")
    public_key: str = Field(min_length=1, max_length=10_000, description="PEM public key (EC P-256 or RSA)")
    grants: dict[str, str] = Field(default_factory=dict, description="Application id → profile id.")


class TechnicalUserOut(BaseModel):
    user_id: str
    client_id: str = Field(description="The assertion's iss and sub at the token endpoint.")
    name: str
    grants: dict[str, str]
    permissions: list[str]


@router.post(
    "/technical-users",
    status_code=201,
    response_model=TechnicalUserOut,
    tags=["users"],
    summary="Register a machine client by its public key (OAuth 2.0 private_key_jwt)",
)
async def register_technical_user(body: TechnicalUserCreate, actor: Manager, db: Database, relay: Relay):
    user = await technical_users.register(
        db, actor, name=body.name, public_key=body.public_key, grants=body.grants, now=datetime.now(UTC)
    )
    relay.wake()
    return TechnicalUserOut(
        user_id=user.user_id,
        client_id=user.username,
        name=user.last_name,
        grants=dict(user.grants),
        permissions=list(user.permissions),
    )
