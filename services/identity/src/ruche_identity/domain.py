"""Identity's rules on plain objects: permissions per role, password policy, access-token claims."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from ruche_servicekit.errors import DomainError

ACCESS_TOKEN_TTL = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10

# Until applications and profiles exist (next issue), an enterprise's access manager holds every permission
# of that enterprise's applications.
ACCESS_MANAGER_PERMISSIONS = (
    "identity:admin",
    "people:read",
    "people:write",
    "calendar:read",
    "presence:read",
    "presence:write",
    "vault:read",
)


class EnterpriseAlreadyRegistered(DomainError):
    status, kind, title, field = (
        409,
        "enterprise-already-registered",
        "Enterprise already registered",
        "enterprise_number",
    )


class UsernameTaken(DomainError):
    status, kind, title, field = 409, "username-taken", "Username taken", "access_manager.username"


class WeakPassword(DomainError):
    status, kind, title, field = 422, "weak-password", "Password too weak", "access_manager.password"


class NotFound(DomainError):
    status, kind, title = 404, "not-found", "Not found"


@dataclass(frozen=True)
class User:
    user_id: str
    tenant: str
    username: str
    last_name: str
    first_name: str
    niss: str
    email: str
    role: str
    permissions: tuple[str, ...]


def check_password_policy(password: str, *, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword(f"The password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if username.lower() in password.lower():
        raise WeakPassword("The password must not contain the username.")


def access_token_claims(user: User, *, now: datetime, issuer: str, audience: str, token_id: str) -> dict[str, object]:
    return {
        "iss": issuer,
        "aud": audience,
        "sub": user.user_id,
        "tenant": user.tenant,
        "permissions": list(user.permissions),
        "iat": int(now.timestamp()),
        "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
        "jti": token_id,
    }
