"""Idempotent consumers: an event's effect and the record that it was applied go in one single-document write.

`apply_once` records the event id in the target document's `_inbox`, under the day it was applied
(`_inbox.<YYYYMMDD>.<event id>`), in the same update as the effect, and only if no day of the retention already
holds that id: one write, no read first. A redelivered event matches nothing and changes nothing. The inbox does
not grow without end: each write also drops the days past the retention. The retention (default 14 days)
outlives Kafka's own (7 days by default), so any record Kafka can still deliver again is still recognised.
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
PRUNED_DAYS = 60  # the days past the retention each write drops (a document idle longer keeps its old days)


def _day(moment: datetime) -> str:
    return f"{moment:%Y%m%d}"


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
    to it within the retention. Returns True when this call changed something. Outbox entries the update pushes
    are noted for the relay."""
    now = now or datetime.now(UTC)
    kept = range(retention.days + 1)
    not_seen = {f"{INBOX_FIELD}.{_day(now - timedelta(days=n))}.{event_id}": {"$exists": False} for n in kept}
    change = {key: dict(value) for key, value in update.items()}
    change.setdefault("$set", {})[f"{INBOX_FIELD}.{_day(now)}.{event_id}"] = True
    past = range(retention.days + 1, retention.days + 1 + PRUNED_DAYS)
    change.setdefault("$unset", {}).update({f"{INBOX_FIELD}.{_day(now - timedelta(days=n))}": "" for n in past})
    try:
        result = await outbox.update(collection, {**filter, **not_seen}, change, upsert=upsert)
    except DuplicateKeyError:
        return False  # applied before: the upsert collided with the document that has the id
    return result.modified_count > 0 or result.upserted_id is not None
