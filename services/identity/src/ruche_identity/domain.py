"""Identity's rules on plain objects: applications and profiles, users and what they may do, the password
policy, user search criteria and access-token claims."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Literal, get_args

from ruche_servicekit.errors import DomainError

ACCESS_TOKEN_TTL = timedelta(minutes=15)
# Per population: who manages access holds more power, so a longer minimum.
MIN_PASSWORD_LENGTH = {"management": 12, "employee": 10}
Population = Literal["management", "employee"]

Language = Literal["fr", "nl", "de", "en"]
UserKind = Literal["access_manager", "co_manager", "user", "operator", "employee", "technical"]
UserStatus = Literal["active", "blocked"]
ApplicationId = Literal["people", "calendar", "presence", "vault", "access"]
MANAGER_KINDS: tuple[UserKind, ...] = ("access_manager", "co_manager")


# Applications and their profiles --------------------------------------------------------------------------
@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    permissions: tuple[str, ...]


@dataclass(frozen=True)
class Application:
    id: str
    name: str
    profiles: tuple[Profile, ...]

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)


# Like the STTS profiles of the access-management portal: each profile bundles permissions, and a user
# holds at most one profile per application.
APPLICATIONS: tuple[Application, ...] = (
    Application(
        "people",
        "People and contracts",
        (
            Profile("reader", "Consultation", ("people:read",)),
            Profile("manager", "Management", ("people:read", "people:write")),
        ),
    ),
    Application(
        "calendar",
        "Calendar and payroll submission",
        (
            Profile("reader", "Consultation", ("calendar:read",)),
            Profile("manager", "Management", ("calendar:read", "calendar:write")),
        ),
    ),
    Application(
        "presence",
        "Presence registration",
        (
            Profile("reader", "Consultation", ("presence:read",)),
            Profile("registrar", "Registration", ("presence:read", "presence:write")),
        ),
    ),
    Application(
        "vault",
        "Vault administration",
        (
            Profile("reader", "Consultation", ("vault:read",)),
            Profile("administrator", "Administration", ("vault:read", "vault:write")),
        ),
    ),
    Application("access", "Access management", (Profile("reader", "Consultation of users", ("identity:users:read",)),)),
)
# What only access managers and co-managers do: manage users, read the audit trail.
MANAGER_PERMISSIONS = ("identity:users:read", "identity:users:write", "identity:audit:read")
APPLICATIONS_BY_ID = {app.id: app for app in APPLICATIONS}
assert set(APPLICATIONS_BY_ID) == set(get_args(ApplicationId)), "ApplicationId must list every application"


def permissions_of(kind: UserKind, grants: Mapping[str, str]) -> tuple[str, ...]:
    """What a user may do: access managers hold every application's widest profile (they get automatic
    access, as the portal's local managers do) and manage users; other users the union of their profiles."""
    if kind == "operator":
        return OPERATOR_PERMISSIONS
    if kind == "employee":
        return EMPLOYEE_PERMISSIONS
    if kind in MANAGER_KINDS:
        granted = {app.id: app.profiles[-1].id for app in APPLICATIONS}
    else:
        granted = dict(grants)
    permissions = set(MANAGER_PERMISSIONS) if kind in MANAGER_KINDS else set()
    permissions |= {
        permission
        for app_id, profile_id in granted.items()
        if (profile := APPLICATIONS_BY_ID[app_id].profile(profile_id)) is not None
        for permission in profile.permissions
    }
    return tuple(sorted(permissions))


# Errors ----------------------------------------------------------------------------------------------------
class EnterpriseAlreadyRegistered(DomainError):
    status, kind, title = 409, "enterprise-already-registered", "Enterprise already registered"
    field = "enterprise_number"


class UsernameTaken(DomainError):
    status, kind, title, field = 409, "username-taken", "Username taken", "username"


class WeakPassword(DomainError):
    status, kind, title, field = 422, "weak-password", "Password too weak", "password"


class Mismatch(DomainError):
    status, kind, title = 422, "confirmation-mismatch", "Confirmation does not match"


class UnknownApplication(DomainError):
    status, kind, title, field = 422, "unknown-application", "Unknown application or profile", "application"


class NotAllowed(DomainError):
    status, kind, title = 403, "not-allowed", "Not allowed"


class NotFound(DomainError):
    status, kind, title = 404, "not-found", "Not found"


class ConfirmationRequired(DomainError):
    status, kind, title, field = 422, "confirmation-required", "Confirmation required", "confirm"


# Users -----------------------------------------------------------------------------------------------------
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
    password: str, *, username: str, common: frozenset[str] = frozenset(), population: Population = "management"
) -> None:
    """Case-sensitive passwords of at least the population's minimum length, not the username, not common."""
    minimum = MIN_PASSWORD_LENGTH[population]
    if len(password) < minimum:
        raise WeakPassword(f"The password needs at least {minimum} characters.")
    if username.lower() in password.lower():
        raise WeakPassword("The password must not contain the username.")
    if password.lower() in common:
        raise WeakPassword("This password is among the most common ones; choose another.")


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


# Search ----------------------------------------------------------------------------------------------------
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


def access_token_claims(
    user: User,
    *,
    now: datetime,
    issuer: str,
    audience: str,
    token_id: str,
    mandate: tuple[str, str, tuple[str, ...]] | None = None,
) -> dict[str, object]:
    """The claims of an access token; with `mandate` = (id, employer, permissions) the token acts for that
    employer under that mandate and says which provider enterprise the user belongs to."""
    claims: dict[str, object] = {
        "iss": issuer,
        "aud": audience,
        "sub": user.user_id,
        "tenant": user.tenant,
        "kind": user.kind,
        "permissions": list(user.permissions),
        "iat": now.timestamp(),  # NumericDate with sub-second precision: revocations compare exactly
        "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
        "jti": token_id,
    }
    if mandate is not None:
        mandate_id, employer, permissions = mandate
        claims |= {"tenant": employer, "permissions": list(permissions), "mandate": mandate_id, "provider": user.tenant}
    return claims


# Designation of access managers ----------------------------------------------------------------------------
ManagerCapacity = Literal["employee", "director", "manager", "partner"]
SignatoryCapacity = Literal["director", "manager", "partner"]
DesignationStatus = Literal["pending", "form_received", "approved", "rejected"]
PROVISIONAL_VALIDITY = timedelta(days=30)
OPERATOR_TENANT = "platform"  # operators act for the platform, not for an enterprise
OPERATOR_PERMISSIONS = ("platform:designations",)


class DesignationRefused(DomainError):
    status, kind, title = 409, "designation-refused", "Designation refused"


def check_can_decide(status: DesignationStatus, *, approving: bool) -> None:
    """An operator approves only once the signed form arrived; a decided request stays decided."""
    if status in ("approved", "rejected"):
        raise DesignationRefused(f"This request is already {status}.")
    if approving and status != "form_received":
        raise DesignationRefused("The signed form has not been recorded as received yet.")


def check_provisional(user: User, *, provisional_expires_at: datetime | None, now: datetime) -> None:
    if provisional_expires_at is not None and now > provisional_expires_at:
        raise NotAllowed("These provisional credentials have expired; ask for a new designation.")


# Employee accounts (the vault's users) ---------------------------------------------------------------------
MAX_FAILED_LOGINS = 3
LOCKOUT = timedelta(minutes=120)
RESET_LINK_VALIDITY = timedelta(minutes=30)
EMPLOYEE_PERMISSIONS = ("vault:own",)


@dataclass(frozen=True)
class LoginAttempts:
    failures: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def failed(self, now: datetime) -> LoginAttempts:
        """One more failure; the third in a row locks for LOCKOUT. A lock that ran out starts a fresh count."""
        failures = 1 if self.locked_until is not None and not self.locked(now) else self.failures + 1
        if failures >= MAX_FAILED_LOGINS:
            return LoginAttempts(failures=failures, locked_until=now + LOCKOUT)
        return LoginAttempts(failures=failures)


def lockout_message(until: datetime) -> str:
    return (
        f"Too many failed attempts: this account is blocked for {int(LOCKOUT.total_seconds() // 60)} minutes, "
        f"until {until:%H:%M} UTC. A password reset unblocks it at once."
    )


# Mandates --------------------------------------------------------------------------------------------------
def mandated_permissions(user_permissions: tuple[str, ...], applications: list[str]) -> tuple[str, ...]:
    """What a provider's user may do for the mandating employer: its own permissions, but only within the
    mandated applications (never access management)."""
    allowed = {p for app in applications if app != "access" for p in APPLICATIONS_BY_ID[app].profiles[-1].permissions}
    return tuple(sorted(set(user_permissions) & allowed))


def new_employee_identifier() -> str:
    """A fresh 12-digit login: 10 random digits and 2 check digits (97 − n mod 97), like the vault's."""
    body = secrets.randbelow(9 * 10**9) + 10**9
    return f"{body}{97 - body % 97:02d}"
