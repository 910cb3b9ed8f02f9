"""Sessions that end at once: every service refuses access tokens issued before their user was blocked,
deleted, lost an application or changed password, or before the mandate they were issued under ended,
without asking identity on each request.

Identity raises SessionsEnded on `identity.sessions.v1` with each such change. Every service follows that topic
(and only it: not the busy user topic) in a consumer group of its own and keeps, per user and per mandate, the
time before which tokens no longer count: in memory for the request path, in its database so a restart keeps it
(and a new instance reads the topic from the start anyway).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, topics
from ruche_contracts.identity import SessionsEnded

from .consumers import subscribe
from .settings import ServiceSettings

COLLECTION = "token_revocations"
log = logging.getLogger(__name__)


class RevocationList:
    def __init__(self, db: AsyncDatabase[Any]) -> None:
        self._db = db
        self._before: dict[str, float] = {}

    async def load(self) -> None:
        async for doc in self._db[COLLECTION].find():
            self._before[doc["_id"]] = doc["before"]

    def is_revoked(self, subject: str, issued_at: float) -> bool:
        before = self._before.get(subject)
        return before is not None and issued_at < before

    async def revoke(self, subject: str, before: datetime) -> None:
        moment = before.timestamp()
        if self._before.get(subject, float("-inf")) >= moment:
            return  # an older or repeated event: nothing new
        self._before[subject] = moment
        await self._db[COLLECTION].update_one({"_id": subject}, {"$set": {"before": moment}}, upsert=True)


def follow_revocations(broker: KafkaBroker, revocations: RevocationList, settings: ServiceSettings) -> set[str]:
    """Subscribe the list to identity's SessionsEnded (in a consumer group of its own); returns the topics read."""

    async def ended(event: CloudEvent[Any]) -> None:
        await revocations.revoke(event.data.subject, event.time)

    own = settings.model_copy(update={"service_name": f"{settings.service_name}.token-revocations"})
    subscribe(broker, topics.IDENTITY_SESSIONS, {SessionsEnded: ended}, settings=own)
    return {topics.IDENTITY_SESSIONS.name, topics.IDENTITY_SESSIONS.dlq}


def mandate_subject(mandate_id: str) -> str:
    """Tokens issued under a mandate are revoked under this key when the mandate ends."""
    return f"mandate:{mandate_id}"
