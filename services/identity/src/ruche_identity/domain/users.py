"""Users of an enterprise and what may be done to them: creation, management by access managers, applications,
the password policy, and the search form of the user list."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from .applications import APPLICATIONS_BY_ID, MANAGER_KINDS, UserKind, permissions_of
from .errors import Mismatch, NotAllowed, NotFound, UnknownApplication, WeakPassword

Language = Literal["fr", "nl", "de", "en"]
UserStatus = Literal["active", "blocked"]
Population = Literal["management", "employee"]
# Per population: who manages access holds more power, so a longer minimum.
MIN_PASSWORD_LENGTH = {"management": 12, "employee": 10}
EDITABLE_BY_MANAGER = ("email", "local_email", "language", "title")
EDITABLE_BY_SELF = ("email", "local_email", "language")
# Kinds listed and searched among an enterprise's users (technical users have their own list).
LISTED_KINDS: tuple[UserKind, ...] = ("access_manager", "co_manager", "user")


@dataclass(frozen=True)
class User:
    user_id: str
    tenant: str
    username: str
    last_name: str
    first_name: str
    niss: str
    email: str
    kind: UserKind
    language: Language = "fr"
    title: str | None = None
    local_email: str | None = None
    status: UserStatus = "active"
    grants: Mapping[str, str] = field(default_factory=dict)
    must_change_password: bool = False
    created_at: datetime | None = None
    last_login_at: datetime | None = None

    @property
    def permissions(self) -> tuple[str, ...]:
        return permissions_of(self.kind, self.grants)

    @property
    def is_manager(self) -> bool:
        return self.kind in MANAGER_KINDS


def confirm(value: str, confirmation: str, *, field: str) -> None:
    if value != confirmation:
        raise Mismatch(f"The {field.replace('_', ' ')} and its confirmation differ.", field=f"{field}_confirmation")


def check_password_policy(
    password: str,
    *,
    username: str,
    common: frozenset[str] = frozenset(),
    population: Population = "management",
    field: str = "password",
) -> None:
    """Case-sensitive passwords of at least the population's minimum length, not the username, not common."""
    minimum = MIN_PASSWORD_LENGTH[population]
    if len(password) < minimum:
        raise WeakPassword(f"The password needs at least {minimum} characters.", field=field)
    if username.lower() in password.lower():
        raise WeakPassword("The password must not contain the username.", field=field)
    if password.lower() in common:
        raise WeakPassword("This password is among the most common ones; choose another.", field=field)


def check_can_create(actor: User, kind: UserKind) -> None:
    if kind == "access_manager":
        raise NotAllowed("An access manager is designated, not created.", field="kind")
    if kind == "co_manager" and actor.kind != "access_manager":
        raise NotAllowed("Only the access manager appoints co-managers.", field="kind")


def check_can_manage(actor: User, target: User) -> None:
    """Managers manage the users of their enterprise; nobody blocks or deletes an access manager but through
    a replacement, and a co-manager does not manage other managers."""
    if actor.tenant != target.tenant or target.kind in ("operator", "employee"):
        raise NotFound("No such user.")
    if target.kind == "access_manager":
        raise NotAllowed("The access manager is replaced through a designation, not managed here.")
    if target.kind == "co_manager" and actor.kind != "access_manager":
        raise NotAllowed("Only the access manager manages co-managers.")
    if actor.user_id == target.user_id:
        raise NotAllowed("Use your own profile to change your own data.")


def grant(user: User, application: str, profile: str) -> User:
    app = APPLICATIONS_BY_ID.get(application)
    if app is None:
        raise UnknownApplication(f"No application {application!r}.")
    if app.profile(profile) is None:
        raise UnknownApplication(f"{application!r} has no profile {profile!r}.", field="profile")
    return replace(user, grants={**user.grants, application: profile})  # one profile per application


def revoke(user: User, application: str) -> User:
    if application not in APPLICATIONS_BY_ID:
        raise UnknownApplication(f"No application {application!r}.")
    return replace(user, grants={k: v for k, v in user.grants.items() if k != application})


def changed_fields(user: User, changes: Mapping[str, object], allowed: tuple[str, ...]) -> list[str]:
    return sorted(k for k, v in changes.items() if k in allowed and getattr(user, k) != v)


def search_key(text: str) -> str:
    """Case- and accent-insensitive form of a name, so 'elodie' finds 'Élodie'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class UserCriteria:
    """The search form: every given criterion must hold (names and username match from their start)."""

    last_name: str | None = None
    first_name: str | None = None
    username: str | None = None
    kind: UserKind | None = None
    niss: str | None = None
    status: UserStatus | None = None
    application: str | None = None
    not_logged_in_since: datetime | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f) is None for f in self.__dataclass_fields__)
