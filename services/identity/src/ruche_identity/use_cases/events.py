"""Outbox entries of identity's events."""

from __future__ import annotations

from typing import Any

from ruche_contracts import new_event, topics
from ruche_contracts.identity import (
    AccessManagerReplaced,
    ApplicationRevoked,
    PasswordChanged,
    SessionsEnded,
    UserBlocked,
    UserCreated,
    UserDeleted,
)
from ruche_servicekit.outbox import event_entry

from ..domain.users import User

# The user events after which the user's earlier access tokens no longer count.
ENDING_SESSIONS: tuple[type[Any], ...] = (
    ApplicationRevoked,
    UserBlocked,
    UserDeleted,
    PasswordChanged,
    AccessManagerReplaced,
)


def user_event(event_type: type[Any], user: User, *, actor_id: str, **fields: Any) -> list[dict[str, Any]]:
    """The outbox entries of one user event: the event, and SessionsEnded when it ends the user's sessions."""
    return account_event(event_type, tenant=user.tenant, user_id=user.user_id, actor_id=actor_id, **fields)


def account_event(
    event_type: type[Any], *, tenant: str, user_id: str, actor_id: str, **fields: Any
) -> list[dict[str, Any]]:
    payload = event_type(user_id=user_id, actor_id=actor_id, **fields)
    entries = [event_entry(topics.IDENTITY_USERS, new_event(payload, tenant=tenant, subject=user_id))]
    if event_type in ENDING_SESSIONS:
        entries.append(sessions_ended(tenant, user_id, reason=event_type.event_type))
    return entries


def sessions_ended(tenant: str, subject: str, *, reason: str) -> dict[str, Any]:
    """Tokens of `subject` (a user id, or `mandate:<id>`) issued before now stop working in every service."""
    payload = SessionsEnded(subject=subject, reason=reason)
    return event_entry(topics.IDENTITY_SESSIONS, new_event(payload, tenant=tenant, subject=subject))


def created_event(user: User, *, actor_id: str) -> list[dict[str, Any]]:
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


def enterprise_event(payload: Any, enterprise_number: str) -> dict[str, Any]:
    return event_entry(
        topics.IDENTITY_ENTERPRISES, new_event(payload, tenant=enterprise_number, subject=enterprise_number)
    )
