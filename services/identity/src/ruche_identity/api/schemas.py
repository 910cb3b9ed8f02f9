"""Users as the API shows them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from ..domain.applications import UserKind
from ..domain.users import Language, User, UserStatus


class UserSummary(BaseModel):
    user_id: str
    username: str
    last_name: str
    first_name: str
    email: str
    language: Language

    @classmethod
    def of(cls, u: User) -> UserSummary:
        return cls(
            user_id=u.user_id,
            username=u.username,
            last_name=u.last_name,
            first_name=u.first_name,
            email=u.email,
            language=u.language,
        )


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
