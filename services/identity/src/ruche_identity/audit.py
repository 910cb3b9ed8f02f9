"""The audit trail: who did what to whom, and when, built from identity's own user events.

Identity consumes its `identity.users.v1` topic like any other consumer: each event becomes one audit record
keyed by the event id, so a redelivery writes nothing new, and every state change that was stored (with its
event) reaches the trail.
"""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from ruche_contracts import CloudEvent, topics
from ruche_servicekit.consumers import subscribe
from ruche_servicekit.settings import ServiceSettings

from .repository import AUDIT

DETAIL_FIELDS = ("application", "profile", "changed", "provisional", "kind", "username")


async def record(db: AsyncDatabase[Any], event: CloudEvent[Any]) -> None:
    data = event.data.model_dump(mode="json")
    action = event.type.removeprefix("be.ruche.identity.").rsplit(".", 1)[0]
    try:
        await db[AUDIT].insert_one(
            {
                "_id": event.id,
                "tenant": event.tenant,
                "at": event.time,
                "action": action,
                "actor_id": data["actor_id"],
                "user_id": data["user_id"],
                "details": {k: data[k] for k in DETAIL_FIELDS if k in data},
            }
        )
    except DuplicateKeyError:
        pass  # already recorded


def register(broker: KafkaBroker, db: AsyncDatabase[Any], settings: ServiceSettings) -> None:
    async def handle(event: CloudEvent[Any]) -> None:
        await record(db, event)

    subscribe(broker, topics.IDENTITY_USERS, dict.fromkeys(topics.IDENTITY_USERS.payloads, handle), settings=settings)
