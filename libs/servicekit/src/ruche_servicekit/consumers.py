"""Kafka subscribers with at-least-once delivery, retries and a dead-letter topic.

Each service subscribes with its own consumer group and takes records in batches (up to BATCH_RECORDS, whatever
has arrived: no waiting for a batch to fill): each record is handled in order, then the batch's offsets are
committed at once, one commit per batch rather than per record, which is most of what consuming costs Kafka.
A record that is not a valid event of its topic goes to `<topic>.dlq` at once; a valid event whose
handler still fails after `max_attempts` goes there too, except when the database is unreachable: that
is retried until it answers, since the event is not at fault. The dead letter keeps the original value and
headers and adds the error, then the consumer goes on with the next record.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker, KafkaMessage
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from pymongo.errors import ConnectionFailure
from ruche_contracts import CloudEvent, Payload, Topic

from .settings import ServiceSettings

MAX_OUTAGE_BACKOFF_SECONDS = 10.0
BATCH_RECORDS = 200
# FastStream's batch subscriber, finding nothing within this, sleeps as long again before it looks: so short, a
# record arriving meanwhile waits at most that. The broker-side long poll (FETCH_WAIT_MS) is what idles cheaply.
BATCH_WAIT_MS = 25
FETCH_WAIT_MS = 2000
Handler = Callable[[CloudEvent[Any]], Awaitable[None]]
log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)

ERROR_HEADER = "x-ruche-error"
ERROR_TYPE_HEADER = "x-ruche-error-type"
ORIGIN_HEADERS = ("x-ruche-original-topic", "x-ruche-original-partition", "x-ruche-original-offset")


class Rejected(Exception):
    """A record that can never be handled, whatever the number of attempts."""


def subscribe(
    broker: KafkaBroker,
    topic: Topic,
    handlers: Mapping[type[Payload], Handler],
    *,
    settings: ServiceSettings,
    on_handled: Callable[[], None] | None = None,
) -> None:
    """Subscribe the service's handlers to `topic` in the service's own consumer group. `on_handled` runs after
    each handled event (the service wakes its outbox relay there, so what the handler stored leaves at once)."""
    group_id, max_attempts = settings.service_name, settings.consumer_max_attempts
    backoff_seconds = settings.consumer_retry_backoff_seconds
    for payload_type in handlers:
        if payload_type not in topic.payloads:
            raise ValueError(f"{payload_type.__name__} is not carried by {topic.name}")
    by_type = {payload_type.event_type: (payload_type, fn) for payload_type, fn in handlers.items()}

    @broker.subscriber(
        topic.name,
        group_id=group_id,
        ack_policy=AckPolicy.NACK_ON_ERROR,  # only a failed dead-letter publish gets here: retry the batch
        auto_offset_reset="earliest",
        batch=True,
        max_records=BATCH_RECORDS,
        batch_timeout_ms=BATCH_WAIT_MS,
        fetch_max_wait_ms=FETCH_WAIT_MS,
        title=f"{group_id}:{topic.name}",
        description=f"Consumes {', '.join(p.event_type for p in handlers)}",
    )
    async def consume(batch: KafkaMessage) -> None:
        records: tuple[ConsumerRecord[Any, Any], ...] = batch.raw_message
        for record in records:
            # A span per record, child of the producer's (its W3C context rides in the record's headers): the batch
            # span FastStream opens can only link to them, and a request's trace should go on into this handling.
            parent = propagate.extract({k: v.decode(errors="replace") for k, v in record.headers or ()})
            with tracer.start_as_current_span(f"{topic.name} process", context=parent, kind=SpanKind.CONSUMER):
                await _consume_one(record)
        if on_handled is not None and records:
            on_handled()

    async def _consume_one(record: ConsumerRecord[Any, Any]) -> None:
        try:
            decoded = _decode(record.value, topic, by_type)
        except Rejected as exc:
            await _dead_letter(broker, topic, record, exc, attempts=0, group_id=group_id)
            return
        if decoded is None:
            return  # an event type this service does not handle
        event, handler = decoded
        attempt, outage = 1, 0
        while True:
            try:
                await handler(event)
                return
            except ConnectionFailure:
                # The database is away: not the event's fault. Keep the record (and the partition's order)
                # and try again until it is back, instead of dead-lettering good events.
                outage += 1
                log.warning("database unreachable; retrying the event", extra={"event_id": event.id})
                await asyncio.sleep(min(backoff_seconds * 2**outage, MAX_OUTAGE_BACKOFF_SECONDS))
                continue
            except Exception as exc:
                log.warning(
                    "event handler failed",
                    extra={
                        "event_id": event.id,
                        "event_type": event.type,
                        "attempt": attempt,
                        "error_type": type(exc).__name__,
                    },
                )
                if attempt == max_attempts:
                    await _dead_letter(broker, topic, record, exc, attempts=attempt, group_id=group_id)
                    return
                await asyncio.sleep(backoff_seconds * 2 ** (attempt - 1))
                attempt += 1


def _decode(
    raw: bytes | None, topic: Topic, by_type: Mapping[str, tuple[type[Payload], Handler]]
) -> tuple[CloudEvent[Any], Handler] | None:
    try:
        envelope = json.loads(raw or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise Rejected(f"not JSON: {exc}") from exc
    if not isinstance(envelope, dict) or not isinstance(envelope.get("type"), str):
        raise Rejected("not a CloudEvent: no 'type'")
    event_type = envelope["type"]
    known = topic.payload_type(event_type)
    if known is None:
        # A newer producer may add event types to a topic; anything else is garbage.
        if event_type.startswith(f"be.ruche.{topic.name.split('.', 1)[0]}."):
            return None
        raise Rejected(f"event type {event_type!r} does not belong on {topic.name}")
    if event_type not in by_type:
        return None
    payload_type, handler = by_type[event_type]
    try:
        return CloudEvent[payload_type].model_validate(envelope), handler  # type: ignore[valid-type]
    except ValidationError as exc:
        fields = ", ".join(".".join(map(str, e["loc"])) for e in exc.errors())
        raise Rejected(f"does not match {event_type}: invalid {fields}") from exc


async def _dead_letter(
    broker: KafkaBroker,
    topic: Topic,
    record: ConsumerRecord[Any, Any],
    error: Exception,
    *,
    attempts: int,
    group_id: str,
) -> None:
    headers: dict[str, Any] = {key: value.decode(errors="replace") for key, value in record.headers or ()}
    headers.update(
        {
            ERROR_HEADER: str(error)[:2000],
            ERROR_TYPE_HEADER: type(error).__name__,
            "x-ruche-attempts": str(attempts),
            "x-ruche-consumer-group": group_id,
            ORIGIN_HEADERS[0]: topic.name,
            ORIGIN_HEADERS[1]: str(record.partition),
            ORIGIN_HEADERS[2]: str(record.offset),
        }
    )
    await broker.publish(record.value, topic=topic.dlq, key=record.key, headers=headers)
    log.error(
        "record sent to the dead-letter topic",
        extra={"topic": topic.name, "dlq": topic.dlq, "error_type": type(error).__name__, "attempts": attempts},
    )
