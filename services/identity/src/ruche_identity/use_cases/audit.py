"""The audit trail: who did what to whom, and when, built from identity's own user events.

Identity consumes its `identity.users.v1` topic like any other consumer: each event becomes one audit record keyed
by the event id, so a redelivery writes nothing new, and every state change that was stored (with its event)
reaches the trail.
"""

from __future__ import annotations

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


async def trail(db: Db, actor: User, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    return await audit.page(db, tenant=actor.tenant, limit=limit, offset=offset)
