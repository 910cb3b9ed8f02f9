"""One trace from an HTTP request through Kafka into another service's database write."""

from __future__ import annotations

import secrets

from opentelemetry.proto.trace.v1.trace_pb2 import Span as SpanProto

from .otlp_sink import OtlpSink
from .support import Employer, eventually, worker_body

SERVER, PRODUCER, CONSUMER, CLIENT = (
    SpanProto.SPAN_KIND_SERVER,
    SpanProto.SPAN_KIND_PRODUCER,
    SpanProto.SPAN_KIND_CONSUMER,
    SpanProto.SPAN_KIND_CLIENT,
)


async def test_a_request_is_one_trace_from_http_to_the_consumers_database(
    employer: Employer, otlp_sink: OtlpSink
) -> None:
    trace_id = secrets.token_hex(16)
    traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"
    response = await employer.client.post(
        "/people/workers", json=worker_body(), headers={**employer.headers(), "traceparent": traceparent}
    )
    assert response.status_code == 201

    def has(spans, service, kind, predicate=lambda s: True):
        return any(s.service == service and s.kind == kind and predicate(s) for s in spans)

    def complete():
        spans = otlp_sink.trace(trace_id)
        wanted = [
            has(spans, "ruche-people", SERVER),
            has(
                spans,
                "ruche-people",
                CLIENT,
                lambda s: s.attributes.get("db.system") == "mongodb" or "insert" in s.name,
            ),
            has(spans, "ruche-people", PRODUCER),
            has(spans, "ruche-vault", CONSUMER),
            has(spans, "ruche-vault", CLIENT, lambda s: "insert" in s.name),
        ]
        return spans if all(wanted) else None

    async def probe():
        return complete()

    spans = await eventually(probe, what="HTTP, Mongo, Kafka publish, consume and Mongo spans in one trace")
    by_id = {s.span_id: s for s in spans}
    vault_insert = next(s for s in spans if s.service == "ruche-vault" and s.kind == CLIENT and "insert" in s.name)
    # walk up from the vault's write: it descends from the consumer span, which descends from people's publish
    chain = []
    node = vault_insert
    while node.parent_span_id in by_id:
        node = by_id[node.parent_span_id]
        chain.append((node.service, node.kind))
    assert ("ruche-vault", CONSUMER) in chain
    assert ("ruche-people", PRODUCER) in chain
    assert chain[-1][0] == "ruche-people"
