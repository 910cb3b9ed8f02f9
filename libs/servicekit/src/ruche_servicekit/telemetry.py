"""OpenTelemetry tracing for one service: spans for HTTP (FastAPI), MongoDB (PyMongo) and Kafka (FastStream's
middleware, which carries the W3C context in record headers). Spans are exported over OTLP/HTTP only when
OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise they are still created, so trace ids reach logs and events."""

from __future__ import annotations

from opentelemetry import trace
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor


def setup_tracing(service: str, otlp_endpoint: str | None) -> TracerProvider:
    current = trace.get_tracer_provider()
    if isinstance(current, TracerProvider):  # already set up in this process (tests build several apps)
        return current
    provider = TracerProvider(resource=Resource.create({"service.name": f"ruche-{service}"}))
    if otlp_endpoint:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{otlp_endpoint}/v1/traces")))
    trace.set_tracer_provider(provider)
    PymongoInstrumentor().instrument()
    return provider
