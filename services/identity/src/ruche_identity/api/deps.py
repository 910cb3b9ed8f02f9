"""Who is calling, as routes need it: the signed-in user as stored now, with the permission a route requires."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from ruche_contracts.permissions import Permission
from ruche_servicekit.auth import Principal, current_principal, require
from ruche_servicekit.problems import Problem

from ..domain.users import User
from ..use_cases import users

Name = Annotated[str, Field(min_length=1, max_length=100)]
Caller = Annotated[Principal, Depends(current_principal)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


async def _current_user(request: Request, principal: Caller) -> User:
    """The calling user as stored now: a blocked or deleted user's token no longer opens anything here."""
    user = await users.active_user(request.app.state.db, tenant=principal.tenant, user_id=principal.subject)
    if user is None:
        raise Problem(401, "Unauthorized", "This account no longer exists.", kind="unauthorized")
    if user.status != "active":
        raise Problem(401, "Unauthorized", "This account is blocked.", kind="unauthorized")
    return user


_CURRENT_USER = Depends(_current_user)


def _needs(permission: Permission) -> Callable[..., Awaitable[User]]:
    # Defaults, not annotations, so the closure's `permission` resolves; the permission is checked first, so a
    # valid token without it (an employee, a mandated provider) gets 403 rather than an account lookup's 401.
    has_permission = Depends(require(permission))

    async def check(principal: Principal = has_permission, user: User = _CURRENT_USER) -> User:
        return user

    return check


Me = Annotated[User, Depends(_current_user)]
Reader = Annotated[User, Depends(_needs(Permission.USERS_READ))]
Manager = Annotated[User, Depends(_needs(Permission.USERS_WRITE))]
Auditor = Annotated[User, Depends(_needs(Permission.AUDIT_READ))]
Operator = Annotated[User, Depends(_needs(Permission.DESIGNATIONS))]
Employee = Annotated[Principal, Depends(require(Permission.VAULT_OWN))]
VaultAdmin = Annotated[Principal, Depends(require(Permission.VAULT_WRITE))]
VaultReader = Annotated[Principal, Depends(require(Permission.VAULT_READ))]
