"""Idempotent consumers: an event's effect and the record that it was applied go in one single-document write.

`apply_once` records the event id in the target document's `_inbox` map, with an expiry, in the same update as
the effect, and only if the id is not there yet. A redelivered event changes nothing. The map does not grow
without end: each write drops the ids whose expiry passed. The retention (default 14 days) outlives Kafka's own
(7 days by default), so any record Kafka can still deliver again is still recognised.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

from . import outbox

INBOX_FIELD = "_inbox"
RETENTION = timedelta(days=14)


async def apply_once(
    collection: AsyncCollection[Any],
    filter: Mapping[str, Any],
    update: Mapping[str, Any],
    *,
    event_id: str,
    upsert: bool = False,
    now: datetime | None = None,
    retention: timedelta = RETENTION,
) -> bool:
    """Apply `update` to the document matching `filter` (which holds its `_id`) unless `event_id` was applied
    to it before. Returns True when this call changed something. Outbox entries the update pushes are noted
    for the relay."""
    now = now or datetime.now(UTC)
    current = await collection.find_one(dict(filter), {INBOX_FIELD: 1})
    if current is None and not upsert:
        return False
    seen: dict[str, datetime] = (current or {}).get(INBOX_FIELD) or {}
    if event_id in seen:
        return False
    change = {key: dict(value) for key, value in update.items()}
    change.setdefault("$set", {})[f"{INBOX_FIELD}.{event_id}"] = now + retention
    expired = {f"{INBOX_FIELD}.{old}": "" for old, until in seen.items() if _aware(until) <= now}
    if expired:
        change.setdefault("$unset", {}).update(expired)
    guarded = {**filter, f"{INBOX_FIELD}.{event_id}": {"$exists": False}}
    try:
        result = await outbox.update(collection, guarded, change, upsert=upsert)
    except DuplicateKeyError:
        return False  # applied meanwhile (the upsert collided with the document that now has the id)
    return result.modified_count > 0 or result.upserted_id is not None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
