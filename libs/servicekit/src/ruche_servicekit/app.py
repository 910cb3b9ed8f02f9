"""The composition of one Ruche service: FastAPI and FastStream in one process, around one database.

`create_service` builds the broker (with tracing), the Mongo client, the token verifier and the outbox
relay, installs problem+json errors (and declares them in the OpenAPI document), `/healthz`, `/readyz`, the
AsyncAPI document, creates the service's Kafka topics, and starts and stops everything in FastAPI's lifespan.
A service passes its routers, the collections that hold an outbox, its index setup, its subscriptions, its
housekeeping chores and, if it sends mail, its mail sender.

The relay is woken after every request that may have written (any method but GET, HEAD and OPTIONS) and after
every handled event, so what a change stored leaves at once; the poll only catches what another replica or a
killed process left.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from faststream.kafka import KafkaBroker
from faststream.kafka.opentelemetry import KafkaTelemetryMiddleware
from faststream.specification import AsyncAPI
from faststream.specification.asyncapi.site import get_asyncapi_html
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, Payload, Topic
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import consumers
from .auth import TokenVerifier
from .logs import setup_logging
from .loops import Chore, LeasedLoop, housekeeping
from .mongo import Document, connect, is_reachable
from .openapi import install_problem_openapi
from .outbox import MailSender, OutboxRelay
from .problems import install_problem_handlers, problem_response
from .revocations import RevocationList, follow_revocations
from .settings import ServiceSettings
from .telemetry import setup_tracing
from .topics import ensure_topics

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
access_log = logging.getLogger("ruche.access")


@dataclass
class Subscriber:
    """What a service's `consumers.register` gets: subscribe handlers to a topic in the service's consumer
    group (each handled event wakes the relay), and the database the handlers pass to their use cases."""

    broker: KafkaBroker
    db: AsyncDatabase[Document]
    settings: ServiceSettings
    on_handled: Callable[[], None]
    topics: set[str] = field(default_factory=set)

    def subscribe(self, topic: Topic, handlers: Mapping[type[Payload], consumers.Handler]) -> None:
        self.topics |= {topic.name, topic.dlq}
        consumers.subscribe(self.broker, topic, handlers, settings=self.settings, on_handled=self.on_handled)


@dataclass
class ServiceSpec:
    title: str
    description: str
    routers: Sequence[APIRouter] = ()
    produces: Sequence[Topic] = ()  # declared for AsyncAPI; the relay publishes through these publishers
    outbox_collections: Iterable[str] = ()
    setup_database: Callable[[AsyncDatabase[Document]], Awaitable[None]] | None = None
    subscribe: Callable[[Subscriber], None] | None = None
    on_started: Callable[[FastAPI], Awaitable[None]] | None = None
    send_mail: MailSender | None = None  # the SMTP adapter of a service whose use cases store mails
    housekeeping: Sequence[Chore] = ()
    # Long-running loops of the service's own, cancelled at shutdown.
    background: Sequence[Callable[[FastAPI], Coroutine[Any, Any, None]]] = ()
    # Single-worker loops under a lease (e.g. a dispatcher to an outside system), built on the service's
    # database and woken with the relay (after every write request and handled event); in `app.state.loops`.
    leased_loops: Sequence[Callable[[AsyncDatabase[Document]], LeasedLoop]] = ()


class WakeRelay:
    """ASGI middleware: after a request that may have written, wake the relay and the leased loops (plain ASGI,
    not Starlette's BaseHTTPMiddleware, which would add a task and a copy of the body to every request)."""

    def __init__(self, app: ASGIApp, wake: Callable[[], None]) -> None:
        self.app, self.wake = app, wake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
                self.wake()


class AccessLog:
    """ASGI middleware: one log line per request with the route's template (`/employees/password-reset/{token}`),
    never the path as sent nor its query: those carry tokens, tickets and NISS numbers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def tracked(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        finally:
            route = scope.get("route")
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": getattr(route, "path", "(no route)"),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )


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
        log_level=logging.DEBUG,  # FastStream's line per received and per processed record: noise at INFO
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
        db,
        spec.outbox_collections,
        broker,
        publishers=publishers,
        send_mail=spec.send_mail,
        poll_seconds=settings.outbox_poll_seconds,
        sweep_seconds=settings.outbox_sweep_seconds,
        lease_seconds=settings.outbox_lease_seconds,
    )
    loops = [make(db) for make in spec.leased_loops]

    def wake() -> None:
        relay.wake()
        for loop in loops:
            loop.wake()

    subscriber = Subscriber(broker, db, settings, on_handled=wake)
    if spec.subscribe:
        spec.subscribe(subscriber)
    revocations = RevocationList(db)
    subscriber.topics |= follow_revocations(broker, revocations, settings)
    topics = subscriber.topics | set(publishers)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if spec.setup_database:
            await spec.setup_database(db)
        await revocations.load()
        await ensure_topics(settings.kafka_bootstrap_servers, topics, partitions=settings.kafka_topic_partitions)
        await broker.start()
        tasks = [asyncio.create_task(relay.run())] if settings.outbox_relay_enabled else []
        if spec.housekeeping:
            chores = housekeeping(db, spec.housekeeping, every_seconds=settings.housekeeping_seconds)
            tasks.append(asyncio.create_task(chores))
        if spec.on_started:
            await spec.on_started(app)
        tasks += [asyncio.create_task(loop(app)) for loop in spec.background]
        tasks += [asyncio.create_task(loop.run()) for loop in loops]
        try:
            yield
        finally:
            for task in tasks:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            with contextlib.suppress(Exception):
                await relay.lease.release()  # another replica relays at once rather than after the lease lapses
            await broker.stop()
            await client.close()

    app = FastAPI(title=spec.title, description=spec.description, version="0.1.0", lifespan=lifespan)
    # The prefix the gateway strips (/people, ...), so the docs pages load their schema through it. From the
    # service's settings rather than a uvicorn flag, so it holds however the process is started; a test
    # checks the docs behind the gateway.
    app.root_path = settings.root_path
    app.state.settings, app.state.db, app.state.broker, app.state.relay = settings, db, broker, relay
    app.state.loops = loops
    app.state.token_verifier = TokenVerifier(
        settings.jwks_url, issuer=settings.issuer, audience=settings.token_audience, revocations=revocations
    )
    install_problem_handlers(app)
    install_problem_openapi(app)

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
    app.add_middleware(WakeRelay, wake=wake)
    app.add_middleware(AccessLog)
    FastAPIInstrumentor.instrument_app(
        app, tracer_provider=tracer_provider, excluded_urls="healthz,readyz", exclude_spans=["send", "receive"]
    )
    return app


def _message_schema(topic: Topic) -> Any:
    """The AsyncAPI message schema of a topic: its one event type, or any envelope when it carries several."""
    if len(topic.payloads) == 1:
        return CloudEvent[topic.payloads[0]]  # type: ignore[name-defined]
    return CloudEvent[Any]


def database(request: Request) -> AsyncDatabase[Document]:
    return request.app.state.db


def settings_of(request: Request) -> ServiceSettings:
    return request.app.state.settings


def location(request: Request, path: str) -> str:
    """An absolute path for a `Location` header, with the prefix the gateway strips (`/people/workers/1`)."""
    return f"{request.scope.get('root_path', '')}{path}"


Database = Annotated[AsyncDatabase[Document], Depends(database)]
Settings = Annotated[ServiceSettings, Depends(settings_of)]
