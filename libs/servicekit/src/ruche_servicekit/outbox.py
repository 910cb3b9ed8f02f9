"""Events and mails stored with the state they describe, then sent by one relay.

FerretDB has no multi-document transactions, so nothing here needs one. A use case appends what its change
must send (events for Kafka, mails for the SMTP server) to the `_outbox` array of the very document whose
state changed, in the same single-document write: that array is the truth. Then, in a separate write, a note in
the small `outbox_pending` collection names the document and carries a copy of the new entries, so the relay
reads neither the (large) collections nor, in the ordinary case, the documents themselves.

The relay takes a batch of notes (deleting them first), sends their entries (all of a batch's events enqueued in
one go, then their acknowledgements awaited together) and removes them from their documents with one `$pullAll`
per document, all in one bulk write per collection. Why this order loses nothing:

- a note is written after its document: a writer whose note the relay took before it was complete adds to a new
  note, which the next pass takes;
- a process killed between the document write and its note leaves entries without a note: the relay sweeps every
  outbox collection when it starts and every `sweep_seconds`, and notes what it finds;
- a failed send puts the batch's notes back; a kill between send and removal sends again (at-least-once:
  consumers are idempotent by event id).

With several replicas, one relay works at a time: the holder of a lease in `outbox_lease` (taken by inserting
a document with a fixed `_id`, which only one insert can win), so no event is published twice by two relays.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from faststream.kafka import KafkaBroker
from faststream.kafka.publisher.usecase import PublisherUsecase
from opentelemetry import propagate, trace
from opentelemetry.context import Context
from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from pymongo.results import UpdateResult
from ruche_contracts import CONTENT_TYPE, CloudEvent, Topic, to_wire

OUTBOX_FIELD = "_outbox"
PENDING = "outbox_pending"
LEASE = "outbox_lease"
KAFKA, MAIL = "kafka", "mail"
# FerretDB 1.24 keeps each statement of a multi-statement update's read cursor open until the whole command ends,
# each on one of its 100 SQLite connections: a bulk write of a few hundred statements waits for a connection
# forever. Chunks this small stay well clear of that and still save most round trips.
BULK_STATEMENTS = 25
log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)
MailSender = Callable[[Mapping[str, Any]], Awaitable[None]]


# Entries -----------------------------------------------------------------------------------------------------
def event_entry(topic: Topic, event: CloudEvent[Any]) -> dict[str, Any]:
    """The pending-event record to store with the state. Captures the caller's trace context, so the
    relay's publish (and the consumers after it) join the trace of the request that changed the state."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    event = event.model_copy(
        update={"traceparent": carrier.get("traceparent"), "tracestate": carrier.get("tracestate")}
    )
    return {
        "id": event.id,
        "channel": KAFKA,
        "topic": topic.name,
        "key": event.subject,
        "event": to_wire(event).decode(),
    }


def mail_entry(*, to: str, subject: str, body: str, template: str) -> dict[str, Any]:
    """A mail to store with the change that calls for it. It may carry secrets (provisional credentials):
    it is never logged, never published, and leaves the database once the SMTP server took it."""
    return {"id": str(uuid.uuid4()), "channel": MAIL, "template": template, "to": to, "subject": subject, "body": body}


def push_outbox(entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The `$push` clause that appends entries to a document's outbox."""
    return {OUTBOX_FIELD: {"$each": list(entries)}}


# Writes that carry entries -----------------------------------------------------------------------------------
async def insert(collection: AsyncCollection[Any], doc: dict[str, Any]) -> None:
    """`insert_one`, then note the document when it holds outbox entries."""
    await collection.insert_one(doc)
    if doc.get(OUTBOX_FIELD):
        await mark_pending(collection, doc["_id"], doc[OUTBOX_FIELD])


async def insert_many(collection: AsyncCollection[Any], docs: Sequence[dict[str, Any]]) -> None:
    """Insert new documents in one command, then note those holding outbox entries in bulk writes (for a batch of
    aggregates created together: a bulk hire). Ordered: a failure leaves the documents before it stored and noted
    only if the insert got that far, so a caller retrying one by one finds them by `_id`."""
    if not docs:
        return
    await collection.insert_many(list(docs), ordered=True)
    notes = [
        UpdateOne(
            {"_id": f"{collection.name}/{doc['_id']}"},
            {
                "$setOnInsert": {"collection": collection.name, "doc_id": doc["_id"]},
                "$push": {"entries": {"$each": doc[OUTBOX_FIELD]}},
            },
            upsert=True,
        )
        for doc in docs
        if doc.get(OUTBOX_FIELD)
    ]
    for start in range(0, len(notes), BULK_STATEMENTS):
        await collection.database[PENDING].bulk_write(notes[start : start + BULK_STATEMENTS], ordered=False)


async def update(
    collection: AsyncCollection[Any], filter: Mapping[str, Any], change: Mapping[str, Any], *, upsert: bool = False
) -> UpdateResult:
    """`update_one` by a filter holding `_id`, then note the document when the change pushed outbox entries."""
    result = await collection.update_one(dict(filter), dict(change), upsert=upsert)
    pushed = change.get("$push", {}).get(OUTBOX_FIELD)
    if pushed and (result.matched_count or result.upserted_id is not None):
        await mark_pending(collection, filter["_id"], pushed["$each"] if "$each" in pushed else [pushed])
    return result


async def replace(collection: AsyncCollection[Any], filter: Mapping[str, Any], doc: dict[str, Any]) -> UpdateResult:
    result = await collection.replace_one(dict(filter), doc)
    if doc.get(OUTBOX_FIELD) and result.matched_count:
        await mark_pending(collection, filter["_id"], doc[OUTBOX_FIELD])
    return result


async def mark_pending(collection: AsyncCollection[Any], doc_id: Any, entries: list[dict[str, Any]]) -> None:
    """Note the document, with a copy of its new entries (added to what a note not yet taken holds)."""
    await collection.database[PENDING].update_one(
        {"_id": f"{collection.name}/{doc_id}"},
        {"$setOnInsert": {"collection": collection.name, "doc_id": doc_id}, "$push": {"entries": {"$each": entries}}},
        upsert=True,
    )


# The relay ---------------------------------------------------------------------------------------------------
class RelayLease:
    """Who relays: the process whose id is in the `outbox_lease` document named `name`, until `expires_at`.
    Other single-worker loops of a service (a dispatcher to an outside system) hold a lease of another name."""

    def __init__(
        self, db: AsyncDatabase[Any], *, seconds: float, holder: str | None = None, name: str = "relay"
    ) -> None:
        self._collection = db[LEASE]
        self.name = name
        self.ttl = timedelta(seconds=seconds)
        self.holder = holder or uuid.uuid4().hex
        self._sure_until = 0.0  # monotonic time until which the lease is ours without asking the database

    async def hold(self) -> bool:
        """True when this process holds the lease (taking or renewing it as needed)."""
        if time.monotonic() < self._sure_until:
            return True
        held = await self._hold()
        self._sure_until = time.monotonic() + self.ttl.total_seconds() / 3 if held else 0.0
        return held

    async def _hold(self) -> bool:
        now = datetime.now(UTC)
        doc = await self._collection.find_one({"_id": self.name})
        if doc is not None and doc["holder"] == self.holder:
            if doc["expires_at"] - now < self.ttl * 2 / 3:
                await self._collection.update_one(
                    {"_id": self.name, "holder": self.holder}, {"$set": {"expires_at": now + self.ttl}}
                )
            return True
        if doc is not None:
            if doc["expires_at"] > now:
                return False
            await self._collection.delete_one({"_id": self.name, "holder": doc["holder"]})  # lapsed: free it
        try:
            await self._collection.insert_one({"_id": self.name, "holder": self.holder, "expires_at": now + self.ttl})
        except DuplicateKeyError:
            return False  # another replica took it first
        log.info("lease taken", extra={"lease": self.name, "holder": self.holder})
        return True

    async def release(self) -> None:
        self._sure_until = 0.0
        await self._collection.delete_one({"_id": self.name, "holder": self.holder})


class OutboxRelay:
    """Sends what the notes in `outbox_pending` point at. `publish_pending()` is one pass and `sweep()` notes
    documents a killed process left unnoted (tests call both); `run()` holds the lease and loops: a pass after
    each `wake()` and at least every `poll_seconds`, a sweep on taking the lease and every `sweep_seconds`."""

    def __init__(
        self,
        db: AsyncDatabase[Any],
        collections: Iterable[str],
        broker: KafkaBroker,
        *,
        publishers: Mapping[str, PublisherUsecase] | None = None,
        send_mail: MailSender | None = None,
        poll_seconds: float = 1.0,
        sweep_seconds: float = 300.0,
        lease_seconds: float = 10.0,
        max_backoff_seconds: float = 30.0,
        batch_size: int = 500,
    ) -> None:
        self.batch_size = batch_size
        self._db, self._collections, self._broker = db, tuple(collections), broker
        self._publishers = dict(publishers or {})
        self._send_mail = send_mail
        self._poll, self._sweep_every, self._max_backoff = poll_seconds, sweep_seconds, max_backoff_seconds
        self.lease = RelayLease(db, seconds=lease_seconds)
        self._wakeup = asyncio.Event()
        self.published = 0  # events handed to Kafka since start (for benchmarks and logs)

    def wake(self) -> None:
        self._wakeup.set()

    async def publish_pending(self) -> int:
        """One pass over up to `batch_size` notes; returns the number of entries sent."""
        notes = await self._db[PENDING].find({}).limit(self.batch_size).to_list()
        if not notes:
            return 0
        await self._db[PENDING].delete_many({"_id": {"$in": [n["_id"] for n in notes]}})  # first: see module doc
        try:
            return await self._send_all(notes)
        except BaseException:
            for note in notes:  # not (all) sent: the next pass tries again
                await mark_pending(self._db[note["collection"]], note["doc_id"], note["entries"])
            raise

    async def _send_all(self, notes: Sequence[dict[str, Any]]) -> int:
        sent = 0
        for note in notes:  # mails one by one, each removed once the server took it
            collection = self._db[note["collection"]]
            for mail in [e for e in note["entries"] if e.get("channel") == MAIL]:
                if self._send_mail is None:
                    raise RuntimeError("a mail is pending but this service has no mail sender")
                await self._send_mail(mail)
                await collection.update_one({"_id": note["doc_id"]}, {"$pullAll": {OUTBOX_FIELD: [mail]}})
                note["entries"] = [e for e in note["entries"] if e is not mail]
                log.info("mail sent", extra={"template": mail.get("template"), "mail_id": mail["id"]})
                sent += 1
        acks = []
        for note in notes:  # every event enqueued in order (keys keep their partition's order) ...
            for entry in note["entries"]:
                acks.append(await self._enqueue(entry))
        await asyncio.gather(*acks)  # ... then the broker's acknowledgements awaited together
        removals: dict[str, list[UpdateOne]] = {}
        for note in notes:
            if note["entries"]:
                change = {"$pullAll": {OUTBOX_FIELD: note["entries"]}}
                removals.setdefault(note["collection"], []).append(UpdateOne({"_id": note["doc_id"]}, change))
        for name, updates in removals.items():
            for start in range(0, len(updates), BULK_STATEMENTS):
                await self._db[name].bulk_write(updates[start : start + BULK_STATEMENTS], ordered=False)
        self.published += len(acks)
        return sent + len(acks)

    async def _enqueue(self, entry: Mapping[str, Any]) -> asyncio.Future[Any]:
        event = entry["event"]
        with tracer.start_as_current_span(f"outbox relay {entry['topic']}", context=_stored_trace_context(event)):
            kwargs: dict[str, Any] = {
                "key": entry["key"].encode(),
                "headers": {"content-type": CONTENT_TYPE},
                "no_confirm": True,
            }
            publisher = self._publishers.get(entry["topic"])
            if publisher is not None:
                ack = await publisher.publish(event.encode(), **kwargs)
            else:
                ack = await self._broker.publish(event.encode(), topic=entry["topic"], **kwargs)
        assert isinstance(ack, asyncio.Future), "no_confirm publishing hands back the broker's acknowledgement"
        return ack

    async def sweep(self) -> int:
        """Note every document of the outbox collections that still holds entries; returns how many."""
        noted = 0
        for name in self._collections:
            async for doc in self._db[name].find({f"{OUTBOX_FIELD}.0": {"$exists": True}}, {OUTBOX_FIELD: 1}):
                await self._db[PENDING].update_one(  # the document's entries, whatever a note held before
                    {"_id": f"{name}/{doc['_id']}"},
                    {"$set": {"collection": name, "doc_id": doc["_id"], "entries": doc[OUTBOX_FIELD]}},
                    upsert=True,
                )
                noted += 1
        if noted:
            log.warning("outbox sweep found entries without a note", extra={"documents": noted})
        return noted

    async def run(self) -> None:
        backoff, next_sweep = self._poll, 0.0
        while True:
            self._wakeup.clear()  # before the pass: a wake during the pass makes the wait below return at once
            try:
                if await self.lease.hold():
                    if time.monotonic() >= next_sweep:
                        await self.sweep()
                        next_sweep = time.monotonic() + self._sweep_every
                    while await self.publish_pending() > 0:
                        pass  # more may be pending than one pass takes, or written meanwhile
                else:
                    next_sweep = 0.0  # sweep again when this process takes the lease over
                backoff = self._poll
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                # The type only: a message could quote a document (personal data).
                log.warning(
                    "outbox relay pass failed; retrying",
                    extra={"error_type": type(exc).__name__, "retry_in_seconds": backoff},
                )
                backoff = min(backoff * 2, self._max_backoff)
            try:
                await asyncio.wait_for(self._wakeup.wait(), timeout=backoff)
            except TimeoutError:
                pass


def _stored_trace_context(event_json: str) -> Context:
    # The envelope holds the W3C trace context of the request that stored the event.
    envelope = json.loads(event_json)
    return propagate.extract({k: envelope[k] for k in ("traceparent", "tracestate") if envelope.get(k)})
