"""Access managers on their enterprise's users, and every user on their own data.

Each change is one single-document write of the user's new state with its event (the audit trail is built from
those events). Bulk actions check every target first, then write each user.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from ruche_contracts.identity import (
    ApplicationGranted,
    ApplicationRevoked,
    PasswordChanged,
    UserBlocked,
    UserDeleted,
    UserUnblocked,
    UserUpdated,
)
from ruche_servicekit.mongo import Db

from ..adapters import passwords
from ..domain import users as rules
from ..domain.applications import UserKind
from ..domain.errors import ConfirmationRequired, NotFound, WrongPassword
from ..domain.logins import login_key
from ..domain.users import EDITABLE_BY_MANAGER, EDITABLE_BY_SELF, User, UserCriteria, UserStatus
from ..repository import enterprises, login_attempts
from ..repository import users as users_repo
from .events import created_event, user_event

EXPORT_LIMIT = 10_000


async def create_user(
    db: Db,
    actor: User,
    *,
    kind: UserKind,
    fields: dict[str, Any],
    password: str,
    grants: dict[str, str],
    now: datetime,
) -> User:
    rules.check_can_create(actor, kind)
    rules.check_password_policy(password, username=fields["username"], common=passwords.common_passwords())
    user = User(
        user_id=str(uuid.uuid4()), tenant=actor.tenant, kind=kind, must_change_password=True, created_at=now, **fields
    )
    for application, profile in grants.items():
        user = rules.grant(user, application, profile)
    events = created_event(user, actor_id=actor.user_id)
    for application, profile in user.grants.items():
        events += user_event(ApplicationGranted, user, actor_id=actor.user_id, application=application, profile=profile)
    await users_repo.insert_user(db, user, password_hash=await passwords.hash_password(password), outbox_entries=events)
    return user


async def active_user(db: Db, *, tenant: str, user_id: str) -> User | None:
    """The calling user as stored now, or None when deleted or blocked (its token no longer opens anything)."""
    try:
        user, _ = await users_repo.get_user(db, tenant=tenant, user_id=user_id)
    except NotFound:
        return None
    return user


async def get_user(db: Db, actor: User, user_id: str) -> User:
    user, _ = await users_repo.get_user(db, tenant=actor.tenant, user_id=user_id)
    return user


async def search(
    db: Db,
    actor: User,
    criteria: UserCriteria,
    *,
    complementary: bool,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[User], int]:
    return await users_repo.search_users(
        db,
        actor.tenant,
        criteria,
        complementary=complementary,
        sort=sort,
        descending=descending,
        limit=limit,
        offset=offset,
    )


async def export(
    db: Db, actor: User, criteria: UserCriteria, *, complementary: bool, sort: str, descending: bool
) -> list[User]:
    found, _ = await search(
        db, actor, criteria, complementary=complementary, sort=sort, descending=descending, limit=EXPORT_LIMIT, offset=0
    )
    return found


async def _managed(db: Db, actor: User, user_id: str) -> tuple[User, int]:
    target, version = await users_repo.get_user(db, tenant=actor.tenant, user_id=user_id)
    rules.check_can_manage(actor, target)
    return target, version


async def update_user(db: Db, actor: User, user_id: str, changes: dict[str, Any]) -> User:
    target, version = await _managed(db, actor, user_id)
    return await _update(db, target, version, changes, actor_id=actor.user_id, allowed=EDITABLE_BY_MANAGER)


async def update_own(db: Db, me: User, changes: dict[str, Any]) -> User:
    user, version = await users_repo.get_user(db, tenant=me.tenant, user_id=me.user_id)
    return await _update(db, user, version, changes, actor_id=me.user_id, allowed=EDITABLE_BY_SELF)


async def _update(
    db: Db, user: User, version: int, changes: dict[str, Any], *, actor_id: str, allowed: tuple[str, ...]
) -> User:
    changed = rules.changed_fields(user, changes, allowed)
    if not changed:
        return user
    updated = replace(user, **{k: changes[k] for k in changed})
    events = user_event(UserUpdated, updated, actor_id=actor_id, changed=changed)
    await users_repo.save_user(db, updated, version=version, outbox_entries=events)
    return updated


async def _change_each(
    db: Db,
    actor: User,
    user_ids: list[str],
    change: Callable[[User], User],
    events: Callable[[User], list[dict[str, Any]]],
    *,
    end_sessions_at: datetime | None = None,
) -> list[User]:
    """Apply `change` to a selection of users: every target is checked before any is written; a user the change
    leaves as it was is not written (and raises no event)."""
    targets = await users_repo.get_users(db, tenant=actor.tenant, user_ids=user_ids)
    for target, _ in targets:
        rules.check_can_manage(actor, target)
        change(target)
    done = []
    for target, version in targets:
        updated = change(target)
        if updated != target:
            await users_repo.save_user(
                db, updated, version=version, outbox_entries=events(updated), end_sessions_at=end_sessions_at
            )
        done.append(updated)
    return done


async def grant_application(db: Db, actor: User, user_ids: list[str], *, application: str, profile: str) -> list[User]:
    return await _change_each(
        db,
        actor,
        user_ids,
        lambda u: rules.grant(u, application, profile),
        lambda u: user_event(ApplicationGranted, u, actor_id=actor.user_id, application=application, profile=profile),
    )


async def revoke_application(
    db: Db, actor: User, user_ids: list[str], *, application: str, now: datetime
) -> list[User]:
    return await _change_each(
        db,
        actor,
        user_ids,
        lambda u: rules.revoke(u, application),
        lambda u: user_event(ApplicationRevoked, u, actor_id=actor.user_id, application=application),
        end_sessions_at=now,
    )


async def set_status(db: Db, actor: User, user_id: str, *, blocked: bool, now: datetime) -> User:
    target, version = await _managed(db, actor, user_id)
    status: UserStatus = "blocked" if blocked else "active"
    if target.status == status:
        return target
    updated = replace(target, status=status)
    events = user_event(UserBlocked if blocked else UserUnblocked, updated, actor_id=actor.user_id)
    await users_repo.save_user(
        db, updated, version=version, outbox_entries=events, end_sessions_at=now if blocked else None
    )
    return updated


async def set_provisional_password(
    db: Db, actor: User, user_id: str, *, password: str, confirmation: str, now: datetime
) -> User:
    """A new provisional password given by a manager; it also lifts a lockout after failed logins."""
    target, version = await _managed(db, actor, user_id)
    rules.confirm(password, confirmation, field="password")
    rules.check_password_policy(password, username=target.username, common=passwords.common_passwords())
    updated = replace(target, must_change_password=True)
    await users_repo.save_user(
        db,
        updated,
        version=version,
        password_hash=await passwords.hash_password(password),
        outbox_entries=user_event(PasswordChanged, updated, actor_id=actor.user_id, provisional=True),
        end_sessions_at=now,
    )
    await login_attempts.clear(db, login_key(target.username))
    return updated


async def change_own_password(db: Db, me: User, *, current: str, new: str, confirmation: str, now: datetime) -> None:
    doc = await users_repo.find_by_id(db, me.user_id)
    if doc is None or not await passwords.verify_password(doc["password_hash"], current):
        raise WrongPassword("The current password is wrong.")
    rules.confirm(new, confirmation, field="new_password")
    rules.check_password_policy(new, username=me.username, common=passwords.common_passwords(), field="new_password")
    user, version = await users_repo.get_user(db, tenant=me.tenant, user_id=me.user_id)
    await users_repo.save_user(
        db,
        user,
        version=version,
        password_hash=await passwords.hash_password(new),
        outbox_entries=user_event(PasswordChanged, user, actor_id=me.user_id, provisional=False),
        end_sessions_at=now,
    )


async def deletion_preview(db: Db, actor: User, user_id: str) -> User:
    target, _ = await _managed(db, actor, user_id)
    return target


async def delete_users(db: Db, actor: User, user_ids: list[str], *, confirm: bool) -> None:
    if not confirm:
        raise ConfirmationRequired("Deleting needs confirm=true, after looking at the preview.")
    targets = await users_repo.get_users(db, tenant=actor.tenant, user_ids=user_ids)
    for target, _ in targets:
        rules.check_can_manage(actor, target)
    for target, version in targets:
        events = user_event(UserDeleted, target, actor_id=actor.user_id)
        await users_repo.delete_user(db, target, version=version, outbox_entries=events)


async def my_enterprise(db: Db, tenant: str) -> tuple[dict[str, Any], User | None]:
    """The enterprise the caller acts for and its access manager."""
    doc = await enterprises.get(db, tenant=tenant)
    if doc is None:
        raise NotFound("No such enterprise.")
    managers = await users_repo.current_managers(db, tenant)
    return doc, managers[0] if managers else None
