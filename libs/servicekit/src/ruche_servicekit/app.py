"""The composition of one Ruche service: FastAPI and FastStream in one process, around one database.

`create_service` builds the broker (with tracing), the Mongo client, the token verifier and the outbox
relay, installs problem+json errors, `/healthz`, `/readyz`, the AsyncAPI document, and starts and stops
everything in FastAPI's lifespan. A service passes its routers, the collections that hold an outbox, its
index setup and its subscriptions.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.specification import AsyncAPI
from faststream.specification.asyncapi.site import get_asyncapi_html
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, Topic

from .auth import TokenVerifier
from .logs import setup_logging
from .mongo import Document, connect, is_reachable
from .outbox import OutboxRelay
from .problems import install_problem_handlers, problem_response
from .revocations import RevocationList, follow_revocations
from .settings import ServiceSettings
from .telemetry import setup_tracing


@dataclass
class ServiceSpec:
    title: str
    description: str
    routers: Sequence[APIRouter] = ()
    produces: Sequence[Topic] = ()  # declared for AsyncAPI; the relay publishes through these publishers
    outbox_collections: Iterable[str] = ()
    setup_database: Callable[[AsyncDatabase[Document]], Awaitable[None]] | None = None
    subscribe: Callable[[KafkaBroker, AsyncDatabase[Document], ServiceSettings], None] | None = None
    on_started: Callable[[FastAPI], Awaitable[None]] | None = None
    # Long-running loops of the service's own (e.g. a mail relay), cancelled at shutdown.
    background: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = ()


def create_service(spec: ServiceSpec, settings: ServiceSettings) -> FastAPI:
    setup_logging(settings.service_name, settings.log_level)
    tracer_provider = setup_tracing(settings.service_name, settings.otel_exporter_otlp_endpoint)
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=f"ruche-{settings.service_name}",
        acks="all",
        enable_idempotence=True,
        middlewares=[KafkaTelemetryMiddleware(tracer_provider=tracer_provider)],
        description=spec.description,
        logger=logging.getLogger(f"ruche.{settings.service_name}.kafka"),  # through our JSON handler
    )
    publishers = {
        topic.name: broker.publisher(
            topic.name,
            title=topic.name,
            schema=_message_schema(topic),
            description=", ".join(p.event_type for p in topic.payloads),
        )
        for topic in spec.produces
    }
    client = connect(settings.mongodb_url)
    db = client[settings.database_name]
    relay = OutboxRelay(
        db, spec.outbox_collections, broker, publishers=publishers, poll_seconds=settings.outbox_poll_seconds
    )
    if spec.subscribe:
        spec.subscribe(broker, db, settings)
    revocations = RevocationList(db)
    follow_revocations(broker, revocations, settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if spec.setup_database:
            await spec.setup_database(db)
        await revocations.load()
        await broker.start()
        tasks = [asyncio.create_task(relay.run())] if settings.outbox_relay_enabled else []
        if spec.on_started:
            await spec.on_started(app)
        tasks += [asyncio.create_task(loop(app)) for loop in spec.background]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await broker.stop()
            await client.close()

    app = FastAPI(title=spec.title, description=spec.description, version="0.1.0", lifespan=lifespan)
    # The prefix the gateway strips (/people, ...), so the docs pages load their schema through it. From the
    # service's settings rather than a uvicorn flag, so it holds however the process is started; a test
    # checks the docs behind the gateway.
    app.root_path = settings.root_path
    app.state.settings, app.state.db, app.state.broker, app.state.relay = settings, db, broker, relay
    app.state.token_verifier = TokenVerifier(
        settings.jwks_url, issuer=settings.token_issuer, audience=settings.token_audience, revocations=revocations
    )
    install_problem_handlers(app)

    @app.get("/healthz", tags=["operations"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", tags=["operations"], summary="Kafka and the database are reachable")
    async def readyz(request: Request) -> JSONResponse:
        database_ok, kafka_ok = await asyncio.gather(is_reachable(db), broker.ping(timeout=3))
        checks = {"database": "ok" if database_ok else "unreachable", "kafka": "ok" if kafka_ok else "unreachable"}
        if database_ok and kafka_ok:
            return JSONResponse({"status": "ready", "checks": checks})
        return problem_response(request, 503, "Not ready", kind="not-ready", extra={"checks": checks})

    asyncapi = AsyncAPI(broker, title=f"{spec.title} events", description=spec.description)

    @app.get("/asyncapi.json", tags=["operations"], summary="AsyncAPI 3.0 document of this service's topics")
    async def asyncapi_json() -> JSONResponse:
        return JSONResponse(asyncapi.to_specification().to_jsonable())

    @app.get("/docs/asyncapi", include_in_schema=False)
    async def asyncapi_page() -> HTMLResponse:
        # A route, not a mount: a mount's trailing-slash redirect would drop the gateway's path prefix.
        return HTMLResponse(get_asyncapi_html(asyncapi.to_specification(), try_it_out_path=None))

    for router in spec.routers:
        app.include_router(router)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=tracer_provider, excluded_urls="healthz,readyz")
    return app


def _message_schema(topic: Topic) -> Any:
    """The AsyncAPI message schema of a topic: its one event type, or any envelope when it carries several."""
    if len(topic.payloads) == 1:
        return CloudEvent[topic.payloads[0]]  # type: ignore[name-defined]
    return CloudEvent[Any]


def database(request: Request) -> AsyncDatabase[Document]:
    return request.app.state.db


def outbox_relay(request: Request) -> OutboxRelay:
    return request.app.state.relay


Database = Annotated[AsyncDatabase[Document], Depends(database)]
Relay = Annotated[OutboxRelay, Depends(outbox_relay)]
