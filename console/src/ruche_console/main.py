"""Composition root of the console: `uvicorn ruche_console.main:app`. It owns no domain data: every page reads
and writes through the services' public APIs, via the gateway, with the signed-in person's token."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import logs
from .gateway import ApiError, Gateway, SessionEnded
from .middleware import Csrf, CsrfFailed, Sessions
from .pages import ROUTERS
from .sessions import SessionStore, utcnow
from .settings import ConsoleSettings
from .web import _, flash, render, session_of

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
HOUSEKEEPING_SECONDS = 600


async def require_csrf(request: Request) -> None:
    """Every route: a form post the Csrf middleware found without the session's token is refused."""
    if getattr(request.state, "csrf_failed", False):
        raise CsrfFailed()


def create_app(settings: ConsoleSettings | None = None) -> FastAPI:
    settings = settings or ConsoleSettings()
    logs.setup(settings.service_name, settings.log_level)
    store, client = SessionStore.connect(
        settings.mongodb_url,
        settings.mongodb_database,
        idle=timedelta(minutes=settings.session_idle_minutes),
        max_age=timedelta(hours=settings.session_max_hours),
    )
    gateway = Gateway(settings.gateway_url)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        cleaner = asyncio.create_task(_remove_expired_sessions(store))
        try:
            yield
        finally:
            cleaner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await cleaner
            await gateway.close()
            await client.close()

    app = FastAPI(
        title="Ruche console",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(require_csrf)],
    )
    app.root_path = settings.root_path
    app.state.settings, app.state.gateway, app.state.sessions = settings, gateway, store
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        ready = await store.ping()
        return JSONResponse({"status": "ready" if ready else "not ready"}, status_code=200 if ready else 503)

    for router in ROUTERS:
        app.include_router(router)
    _install_error_pages(app)
    app.add_middleware(Csrf)
    app.add_middleware(Sessions, store=store, secure=settings.secure_cookies)
    app.add_middleware(logs.AccessLog)
    return app


def _install_error_pages(app: FastAPI) -> None:
    @app.exception_handler(SessionEnded)
    async def session_ended(request: Request, exc: SessionEnded) -> Response:
        session = session_of(request)
        session.signed = None
        session.changed = True
        flash(request, _("Your session has ended: sign in again."), "info")
        return _to_sign_in(request)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> HTMLResponse:
        return render(request, "errors/error.html", status=403, problem="csrf")

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> HTMLResponse:
        if exc.status in (403, 404):
            return render(request, "errors/error.html", status=exc.status, problem=str(exc.status))
        log.warning("service answered an error", extra={"status": exc.status, "kind": exc.kind})
        return render(request, "errors/error.html", status=502 if exc.status >= 500 else exc.status, problem="500")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not _wants_html(request):  # an API client lost at a console path: answer in its own language
            return JSONResponse(
                {
                    "type": "about:blank",
                    "title": "Not found" if exc.status_code == 404 else str(exc.detail),
                    "status": exc.status_code,
                    "detail": "No page or service answers at this path: the APIs are under /identity/, /people/, "
                    "/calendar/, /presence/ and /vault/.",
                },
                status_code=exc.status_code,
                media_type="application/problem+json",
            )
        if not hasattr(request.state, "session"):
            return HTMLResponse("Not found", status_code=exc.status_code)
        return render(request, "errors/error.html", status=exc.status_code, problem=str(exc.status_code))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> HTMLResponse:
        return render(request, "errors/error.html", status=400, problem="400")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> HTMLResponse:
        log.exception("unexpected error", extra={"path": request.url.path})
        if not hasattr(request.state, "session"):
            return HTMLResponse("Internal error", status_code=500)
        return render(request, "errors/error.html", status=500, problem="500")


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _to_sign_in(request: Request) -> Response:
    target = request.url.path if request.method == "GET" else "/"
    return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)


async def _remove_expired_sessions(store: SessionStore) -> None:
    while True:
        try:
            removed = await store.remove_expired(utcnow())
            if removed:
                log.info("expired sessions removed", extra={"removed": removed})
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("session housekeeping failed", extra={"error_type": type(exc).__name__})
        await asyncio.sleep(HOUSEKEEPING_SECONDS)


app = create_app()
