"""OpenTelemetry tracing for one service: spans for HTTP (FastAPI), MongoDB (PyMongo) and Kafka (FastStream's
middleware, which carries the W3C context in record headers). Spans are exported over OTLP/HTTP only when
OTEL_EXPORTER_OTLP_ENDPOINT is set. Otherwise nothing is recorded (a sampler that drops every new trace, which is
what costs CPU), but each request and event still gets its trace context, so trace ids reach logs and events and
a caller's sampled trace still goes on through this service."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, ParentBased


def setup_tracing(service: str, otlp_endpoint: str | None) -> TracerProvider:
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):  # already set up in this process (tests build several apps)
        return current
    sampler = ParentBased(ALWAYS_ON if otlp_endpoint else ALWAYS_OFF)
    provider = TracerProvider(resource=Resource.create({"service.name": f"ruche-{service}"}), sampler=sampler)
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp_endpoint}/v1/traces")))
    trace.set_tracer_provider(provider)
    PymongoInstrumentor().instrument()
    return provider
