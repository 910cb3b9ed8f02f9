"""Idempotent consumers: an event's effect and the record that it was applied go in one single-document write.

`apply_once` adds the event id to the target document's `_inbox` in the same update as the effect, and
only if it is not there yet. A redelivered event matches nothing, or (for an upsert) collides with the
existing document's `_id` and raises `DuplicateKeyError`: both mean "already applied", and nothing changes.
"""

from __future__ import annotations

from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

INBOX_FIELD = "_inbox"


async def apply_once(
    collection: AsyncCollection[Any],
    filter: dict[str, Any],
    update: dict[str, Any],
    *,
    event_id: str,
    upsert: bool = False,
) -> bool:
    """Apply `update` to the document matching `filter` unless `event_id` was applied to it before.

    Returns True when this call changed something. With `upsert`, `filter` must hold the document's `_id`
    (or another unique key) so a second delivery collides instead of creating a twin.
    """
    guarded = {**filter, INBOX_FIELD: {"$ne": event_id}}
    push = dict(update.get("$push", {}))
    push[INBOX_FIELD] = event_id
    try:
        result = await collection.update_one(guarded, {**update, "$push": push}, upsert=upsert)
    except DuplicateKeyError:
        return False
    return result.modified_count > 0 or result.upserted_id is not None
