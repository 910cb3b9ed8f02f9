"""The audit trail: who did what to whom, and when, built from identity's own user events.

Identity consumes its `identity.users.v1` topic like any other consumer: each event becomes one audit record keyed
by the event id, so a redelivery writes nothing new, and every state change that was stored (with its event)
reaches the trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ruche_contracts import CloudEvent
from ruche_servicekit.mongo import Db

from ..domain.users import User
from ..repository import audit

DETAIL_FIELDS = ("application", "profile", "changed", "provisional", "kind", "username")


async def record(db: Db, event: CloudEvent[Any]) -> bool:
    data = event.data.model_dump(mode="json")
    return await audit.insert(
        db,
        {
            "_id": event.id,
            "tenant": event.tenant,
            "at": event.time,
            "action": event.type.removeprefix("be.ruche.identity.").rsplit(".", 1)[0],
            "actor_id": data["actor_id"],
            "user_id": data["user_id"],
            "details": {k: data[k] for k in DETAIL_FIELDS if k in data},
        },
    )


@dataclass(frozen=True)
class TrailFilter:
    """What the trail's reader narrows it to; every criterion given must hold."""

    action: str | None = None
    user_id: str | None = None  # as actor or as target
    since: datetime | None = None
    until: datetime | None = None


async def trail(
    db: Db, actor: User, filters: TrailFilter | None = None, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    f = filters or TrailFilter()
    return await audit.page(
        db, tenant=actor.tenant, action=f.action, user_id=f.user_id, since=f.since, until=f.until,
        limit=limit, offset=offset,
    )  # fmt: skip
