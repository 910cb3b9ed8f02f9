"""What a use case left to send, as a test reads it from the stored document: its events and its mails."""

from __future__ import annotations

import json
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, Payload
from ruche_servicekit.outbox import KAFKA, MAIL, OUTBOX_FIELD, PENDING


async def _entries(db: AsyncDatabase[Any], collection: str, doc_id: Any) -> list[dict[str, Any]]:
    doc = await db[collection].find_one({"_id": doc_id}, {OUTBOX_FIELD: 1})
    assert doc is not None, f"no document {doc_id!r} in {collection}"
    return list(doc.get(OUTBOX_FIELD) or [])


async def pending_events(db: AsyncDatabase[Any], collection: str, doc_id: Any) -> list[CloudEvent[Any]]:
    """The events stored with the document and not yet published, in order, as typed CloudEvents; each is
    checked to be noted for the relay."""
    from ruche_contracts.topics import ALL_TOPICS

    events = []
    entries = [e for e in await _entries(db, collection, doc_id) if e.get("channel", KAFKA) == KAFKA]
    if entries:
        assert await db[PENDING].find_one({"_id": f"{collection}/{doc_id}"}), "events stored but not noted"
    for entry in entries:
        envelope = json.loads(entry["event"])
        [topic] = [t for t in ALL_TOPICS if t.name == entry["topic"]]
        payload_type: type[Payload] | None = topic.payload_type(envelope["type"])
        assert payload_type is not None, envelope["type"]
        assert entry["key"] == envelope["subject"]
        events.append(CloudEvent[payload_type].model_validate(envelope))  # type: ignore[valid-type]
    return events


async def pending_mails(db: AsyncDatabase[Any], collection: str, doc_id: Any) -> list[dict[str, Any]]:
    return [e for e in await _entries(db, collection, doc_id) if e.get("channel") == MAIL]
