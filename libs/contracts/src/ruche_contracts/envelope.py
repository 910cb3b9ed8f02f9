"""The CloudEvents 1.0 envelope every Ruche event travels in.

Structured mode (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/bindings/kafka-protocol-binding.md):
the Kafka record value is the whole event as JSON, with the header `content-type:
application/cloudevents+json`. Extensions: `tenant` (the employer's enterprise number) and the W3C trace
context (`traceparent`, `tracestate`, from the CloudEvents distributed-tracing extension).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from .identifiers import StoredEnterpriseNumber

CONTENT_TYPE = "application/cloudevents+json"
TYPE_PREFIX = "be.ruche."


class Payload(BaseModel):
    """Base of every event payload: frozen, and tolerant of fields added by newer producers."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    # `be.ruche.<service>.<event-name>.v<N>`: past tense, versioned. Set by each subclass.
    event_type: ClassVar[str]
    # The producing service, used as the CloudEvents `source` (`/ruche/<service>`).
    producer: ClassVar[str]


P = TypeVar("P", bound=Payload)


class CloudEvent(BaseModel, Generic[P]):
    model_config = ConfigDict(frozen=True, extra="ignore")

    specversion: Literal["1.0"] = "1.0"
    id: str = Field(min_length=1)
    source: str = Field(min_length=1)
    type: str = Field(min_length=1)
    subject: str = Field(min_length=1, description="The aggregate id; also the Kafka record key.")
    time: datetime
    datacontenttype: Literal["application/json"] = "application/json"
    tenant: StoredEnterpriseNumber = Field(description="The employer's enterprise number (10 digits).")
    traceparent: str | None = None
    tracestate: str | None = None
    data: P


def new_event(
    payload: P,
    *,
    tenant: str,
    subject: str,
    event_id: str | None = None,
    time: datetime | None = None,
) -> CloudEvent[P]:
    """Wrap a payload in its envelope. `id` is a fresh UUID unless given; `time` is now (UTC) unless given."""
    return CloudEvent[type(payload)](  # type: ignore[misc,operator]  # parametrized at run time
        id=event_id or str(uuid.uuid4()),
        source=f"/ruche/{payload.producer}",
        type=payload.event_type,
        subject=subject,
        time=time or datetime.now(UTC),
        tenant=tenant,
        data=payload,
    )


def to_wire(event: CloudEvent[Any]) -> bytes:
    return event.model_dump_json(exclude_none=True).encode()
