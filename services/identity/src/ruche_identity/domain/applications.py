"""Applications and their profiles, and what each kind of user may do: the permissions an access token carries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from ruche_contracts.permissions import Permission

ApplicationId = Literal["people", "calendar", "presence", "vault", "access"]
UserKind = Literal["access_manager", "co_manager", "user", "operator", "employee", "technical"]
MANAGER_KINDS: tuple[UserKind, ...] = ("access_manager", "co_manager")


@dataclass(frozen=True)
class Profile:
    id: str
    name: str
    permissions: tuple[Permission, ...]


@dataclass(frozen=True)
class Application:
    id: str
    name: str
    profiles: tuple[Profile, ...]

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)


P = Permission
# Like the STTS profiles of the access-management portal: each profile bundles permissions, and a user
# holds at most one profile per application.
APPLICATIONS: tuple[Application, ...] = (
    Application(
        "people",
        "People and contracts",
        (
            Profile("reader", "Consultation", (P.PEOPLE_READ,)),
            Profile("manager", "Management", (P.PEOPLE_READ, P.PEOPLE_WRITE)),
        ),
    ),
    Application(
        "calendar",
        "Calendar and payroll submission",
        (
            Profile("reader", "Consultation", (P.CALENDAR_READ,)),
            Profile("manager", "Management", (P.CALENDAR_READ, P.CALENDAR_WRITE)),
        ),
    ),
    Application(
        "presence",
        "Presence registration",
        (
            Profile("reader", "Consultation", (P.PRESENCE_READ,)),
            Profile("registrar", "Registration", (P.PRESENCE_READ, P.PRESENCE_WRITE)),
        ),
    ),
    Application(
        "vault",
        "Vault administration",
        (
            Profile("reader", "Consultation", (P.VAULT_READ,)),
            Profile("administrator", "Administration", (P.VAULT_READ, P.VAULT_WRITE)),
        ),
    ),
    Application("access", "Access management", (Profile("reader", "Consultation of users", (P.USERS_READ,)),)),
)
# What only access managers and co-managers do: manage users, read the audit trail.
MANAGER_PERMISSIONS = (P.USERS_READ, P.USERS_WRITE, P.AUDIT_READ)
OPERATOR_PERMISSIONS = (P.DESIGNATIONS,)
EMPLOYEE_PERMISSIONS = (P.VAULT_OWN,)
APPLICATIONS_BY_ID = {app.id: app for app in APPLICATIONS}
assert set(APPLICATIONS_BY_ID) == set(get_args(ApplicationId)), "ApplicationId must list every application"


def permissions_of(kind: UserKind, grants: Mapping[str, str]) -> tuple[str, ...]:
    """What a user may do: access managers hold every application's widest profile (they get automatic
    access, as the portal's local managers do) and manage users; other users the union of their profiles."""
    if kind == "operator":
        return tuple(OPERATOR_PERMISSIONS)
    if kind == "employee":
        return tuple(EMPLOYEE_PERMISSIONS)
    granted = {app.id: app.profiles[-1].id for app in APPLICATIONS} if kind in MANAGER_KINDS else dict(grants)
    permissions: set[str] = set(MANAGER_PERMISSIONS) if kind in MANAGER_KINDS else set()
    permissions |= {
        permission
        for app_id, profile_id in granted.items()
        if (profile := APPLICATIONS_BY_ID[app_id].profile(profile_id)) is not None
        for permission in profile.permissions
    }
    return tuple(sorted(permissions))


def mandated_permissions(user_permissions: tuple[str, ...], applications: list[str]) -> tuple[str, ...]:
    """What a provider's user may do for the mandating employer: its own permissions, but only within the
    mandated applications (never access management)."""
    allowed = {p for app in applications if app != "access" for p in APPLICATIONS_BY_ID[app].profiles[-1].permissions}
    return tuple(sorted(set(user_permissions) & allowed))


def mandatable(applications: list[str]) -> list[str]:
    """The applications of `applications` a mandate cannot cover (unknown ones, and access management)."""
    return [a for a in applications if a not in APPLICATIONS_BY_ID or a == "access"]
