"""Use cases of access managers on their enterprise's users, and of every user on their own data.

Each change is one single-document write of the user's new state with its event (the audit trail is
built from those events). Bulk actions check every target first, then write each user.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import new_event, topics
from ruche_contracts.identity import (
    ApplicationGranted,
    ApplicationRevoked,
    PasswordChanged,
    UserBlocked,
    UserCreated,
    UserDeleted,
    UserUnblocked,
    UserUpdated,
)
from ruche_servicekit.outbox import outbox_entry

from . import domain, passwords, repository
from .domain import User, UserKind, UserStatus

EDITABLE_BY_MANAGER = ("email", "local_email", "language", "title")
EDITABLE_BY_SELF = ("email", "local_email", "language")


def user_event(event_type: type[Any], user: User, *, actor_id: str, **fields: Any) -> dict[str, Any]:
    """The outbox entry of one user event."""
    payload = event_type(user_id=user.user_id, actor_id=actor_id, **fields)
    return outbox_entry(topics.IDENTITY_USERS, new_event(payload, tenant=user.tenant, subject=user.user_id))


def created_event(user: User, *, actor_id: str) -> dict[str, Any]:
    return user_event(
        UserCreated,
        user,
        actor_id=actor_id,
        username=user.username,
        last_name=user.last_name,
        first_name=user.first_name,
        kind=user.kind,
        language=user.language,
    )


async def create_user(
    db: AsyncDatabase[Any],
    actor: User,
    *,
    kind: UserKind,
    fields: dict[str, Any],
    password: str,
    grants: dict[str, str],
    now: datetime,
) -> User:
    domain.check_can_create(actor, kind)
    domain.check_password_policy(password, username=fields["username"], common=passwords.common_passwords())
    user = User(
        user_id=str(uuid.uuid4()), tenant=actor.tenant, kind=kind, must_change_password=True, created_at=now, **fields
    )
    for application, profile in grants.items():
        user = domain.grant(user, application, profile)
    events = [created_event(user, actor_id=actor.user_id)]
    events += [
        user_event(ApplicationGranted, user, actor_id=actor.user_id, application=a, profile=p)
        for a, p in user.grants.items()
    ]
    await repository.insert_user(db, user, password_hash=await passwords.hash_password(password), outbox=events)
    return user


async def _managed(db: AsyncDatabase[Any], actor: User, user_id: str) -> tuple[User, int]:
    target, version = await repository.get_user(db, tenant=actor.tenant, user_id=user_id)
    domain.check_can_manage(actor, target)
    return target, version


async def update_user(db: AsyncDatabase[Any], actor: User, user_id: str, changes: dict[str, Any]) -> User:
    target, version = await _managed(db, actor, user_id)
    return await _update(db, target, version, changes, actor_id=actor.user_id, allowed=EDITABLE_BY_MANAGER)


async def update_own(db: AsyncDatabase[Any], me: User, changes: dict[str, Any]) -> User:
    user, version = await repository.get_user(db, tenant=me.tenant, user_id=me.user_id)
    return await _update(db, user, version, changes, actor_id=me.user_id, allowed=EDITABLE_BY_SELF)


async def _update(
    db: AsyncDatabase[Any],
    user: User,
    version: int,
    changes: dict[str, Any],
    *,
    actor_id: str,
    allowed: tuple[str, ...],
) -> User:
    changed = sorted(k for k, v in changes.items() if k in allowed and getattr(user, k) != v)
    if not changed:
        return user
    updated = replace(user, **{k: changes[k] for k in changed})
    await repository.save_user(
        db, updated, version=version, outbox=[user_event(UserUpdated, updated, actor_id=actor_id, changed=changed)]
    )
    return updated


async def _change_each(
    db: AsyncDatabase[Any],
    actor: User,
    user_ids: list[str],
    change: Callable[[User], User],
    event: Callable[[User], dict[str, Any]],
    *,
    end_sessions: bool = False,
) -> list[User]:
    """Apply `change` to a selection of users: every target is checked before any is written; a user the change
    leaves as it was is not written (and raises no event)."""
    targets = await repository.get_users(db, tenant=actor.tenant, user_ids=user_ids)
    for target, _ in targets:
        domain.check_can_manage(actor, target)
        change(target)
    done = []
    for target, version in targets:
        updated = change(target)
        if updated != target:
            await repository.save_user(db, updated, version=version, outbox=[event(updated)], end_sessions=end_sessions)
        done.append(updated)
    return done


async def grant_application(
    db: AsyncDatabase[Any], actor: User, user_ids: list[str], *, application: str, profile: str
) -> list[User]:
    return await _change_each(
        db,
        actor,
        user_ids,
        lambda u: domain.grant(u, application, profile),
        lambda u: user_event(ApplicationGranted, u, actor_id=actor.user_id, application=application, profile=profile),
    )


async def revoke_application(
    db: AsyncDatabase[Any], actor: User, user_ids: list[str], *, application: str
) -> list[User]:
    return await _change_each(
        db,
        actor,
        user_ids,
        lambda u: domain.revoke(u, application),
        lambda u: user_event(ApplicationRevoked, u, actor_id=actor.user_id, application=application),
        end_sessions=True,
    )


async def set_status(db: AsyncDatabase[Any], actor: User, user_id: str, *, blocked: bool) -> User:
    target, version = await _managed(db, actor, user_id)
    status: UserStatus = "blocked" if blocked else "active"
    if target.status == status:
        return target
    updated = replace(target, status=status)
    event = UserBlocked if blocked else UserUnblocked
    await repository.save_user(
        db, updated, version=version, outbox=[user_event(event, updated, actor_id=actor.user_id)], end_sessions=blocked
    )
    return updated


async def set_provisional_password(
    db: AsyncDatabase[Any], actor: User, user_id: str, *, password: str, confirmation: str
) -> User:
    target, version = await _managed(db, actor, user_id)
    domain.confirm(password, confirmation, field="password")
    domain.check_password_policy(password, username=target.username, common=passwords.common_passwords())
    updated = replace(target, must_change_password=True)
    await repository.save_user(
        db,
        updated,
        version=version,
        password_hash=await passwords.hash_password(password),
        outbox=[user_event(PasswordChanged, updated, actor_id=actor.user_id, provisional=True)],
        end_sessions=True,
    )
    return updated


async def change_own_password(db: AsyncDatabase[Any], me: User, *, current: str, new: str, confirmation: str) -> None:
    found = await repository.find_login(db, me.username)
    if found is None or not await passwords.verify_password(found[1], current):
        raise domain.NotAllowed("The current password is wrong.", field="current_password")
    domain.confirm(new, confirmation, field="new_password")
    domain.check_password_policy(new, username=me.username, common=passwords.common_passwords())
    user, version = await repository.get_user(db, tenant=me.tenant, user_id=me.user_id)
    await repository.save_user(
        db,
        user,
        version=version,
        password_hash=await passwords.hash_password(new),
        outbox=[user_event(PasswordChanged, user, actor_id=me.user_id, provisional=False)],
        end_sessions=True,
    )


async def deletion_preview(db: AsyncDatabase[Any], actor: User, user_id: str) -> User:
    target, _ = await _managed(db, actor, user_id)
    return target


async def delete_users(db: AsyncDatabase[Any], actor: User, user_ids: list[str], *, confirm: bool) -> None:
    if not confirm:
        raise domain.ConfirmationRequired("Deleting needs confirm=true, after looking at the preview.")
    targets = await repository.get_users(db, tenant=actor.tenant, user_ids=user_ids)
    for target, _ in targets:
        domain.check_can_manage(actor, target)
    for target, version in targets:
        await repository.delete_user(
            db, target, version=version, outbox=[user_event(UserDeleted, target, actor_id=actor.user_id)]
        )
