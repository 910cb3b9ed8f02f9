"""Outbox entries of identity's events."""

from __future__ import annotations

from typing import Any

from ruche_contracts import new_event, topics
from ruche_contracts.identity import UserCreated
from ruche_servicekit.outbox import event_entry

from ..domain.users import User


def user_event(event_type: type[Any], user: User, *, actor_id: str, **fields: Any) -> dict[str, Any]:
    """The outbox entry of one user event."""
    return account_event(event_type, tenant=user.tenant, user_id=user.user_id, actor_id=actor_id, **fields)


def account_event(event_type: type[Any], *, tenant: str, user_id: str, actor_id: str, **fields: Any) -> dict[str, Any]:
    payload = event_type(user_id=user_id, actor_id=actor_id, **fields)
    return event_entry(topics.IDENTITY_USERS, new_event(payload, tenant=tenant, subject=user_id))


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


def enterprise_event(payload: Any, enterprise_number: str) -> dict[str, Any]:
    return event_entry(
        topics.IDENTITY_ENTERPRISES, new_event(payload, tenant=enterprise_number, subject=enterprise_number)
    )
