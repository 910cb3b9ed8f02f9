"""Events stored with the state they describe, then published by a relay.

FerretDB has no multi-document transactions, so nothing here needs one. A use case appends the events it
raises to the `_outbox` array of the very document whose state changed, in the same single-document write
(`outbox_entry` builds an entry). The relay publishes each pending entry to Kafka (acks=all, idempotent
producer) and only then `$pull`s it. A process killed anywhere in between either never stored the state
(no event) or left the entry pending (the next relay pass publishes it). A kill between publish and pull
publishes the entry again: delivery is at-least-once and every consumer is idempotent by event id.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.publisher.usecase import PublisherUsecase
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CONTENT_TYPE, CloudEvent, Topic, to_wire

from .loops import relay_loop

OUTBOX_FIELD = "_outbox"
log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)


def outbox_entry(topic: Topic, event: CloudEvent[Any]) -> dict[str, Any]:
    """The pending-event record to store with the state. Captures the caller's trace context, so the
    relay's publish (and the consumers after it) join the trace of the request that changed the state."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    event = event.model_copy(
        update={"traceparent": carrier.get("traceparent"), "tracestate": carrier.get("tracestate")}
    )
    return {"id": event.id, "topic": topic.name, "key": event.subject, "event": to_wire(event).decode()}


def push_outbox(entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The `$push` clause that appends entries to a document's outbox."""
    return {OUTBOX_FIELD: {"$each": list(entries)}}


class OutboxRelay:
    """Publishes pending events from the given collections. `publish_pending()` is one pass (tests call it);
    `run()` loops: after each `wake()` and at least every `poll_seconds`, which also picks up what a killed
    process left behind."""

    def __init__(
        self,
        db: AsyncDatabase[Any],
        collections: Iterable[str],
        broker: KafkaBroker,
        *,
        publishers: Mapping[str, PublisherUsecase] | None = None,
        poll_seconds: float = 1.0,
        max_backoff_seconds: float = 30.0,
        batch_size: int = 200,
    ) -> None:
        self.batch_size = batch_size
        self._db, self._collections, self._broker = db, tuple(collections), broker
        self._publishers = dict(publishers or {})
        self._poll, self._max_backoff = poll_seconds, max_backoff_seconds
        self._wakeup = asyncio.Event()

    def wake(self) -> None:
        self._wakeup.set()

    async def publish_pending(self) -> int:
        """Publish what is pending now (up to `batch_size` documents per collection); returns the count."""
        published = 0
        for name in self._collections:
            collection = self._db[name]
            # Read a batch before publishing: a cursor left open while its documents are updated may
            # return them again (FerretDB's SQLite backend does), which would publish an entry twice.
            pending = collection.find({f"{OUTBOX_FIELD}.0": {"$exists": True}}, {OUTBOX_FIELD: 1})
            for doc in await pending.to_list(self.batch_size):
                for entry in doc.get(OUTBOX_FIELD, []):
                    await self._publish(entry)
                    # The entry itself as the condition: FerretDB v1's $pull matches whole values only.
                    await collection.update_one({"_id": doc["_id"]}, {"$pull": {OUTBOX_FIELD: entry}})
                    published += 1
        return published

    async def _publish(self, entry: Mapping[str, Any]) -> None:
        event = entry["event"]
        parent = _stored_trace_context(event)
        with tracer.start_as_current_span(f"outbox relay {entry['topic']}", context=parent):
            publish = self._publishers.get(entry["topic"])
            kwargs = {"key": entry["key"].encode(), "headers": {"content-type": CONTENT_TYPE}}
            if publish is not None:
                await publish.publish(event.encode(), **kwargs)
            else:
                await self._broker.publish(event.encode(), topic=entry["topic"], **kwargs)

    async def run(self) -> None:
        await relay_loop(
            self.publish_pending,
            self._wakeup,
            name="outbox relay",
            poll_seconds=self._poll,
            max_backoff_seconds=self._max_backoff,
        )


def _stored_trace_context(event_json: str) -> Context:
    # The envelope holds the W3C trace context of the request that stored the event.
    envelope = json.loads(event_json)
    return propagate.extract({k: envelope[k] for k in ("traceparent", "tracestate") if envelope.get(k)})
