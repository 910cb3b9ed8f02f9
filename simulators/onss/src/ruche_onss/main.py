"""The simulator's app: `uvicorn ruche_onss.main:app`."""

from __future__ import annotations

from fastapi import FastAPI

from .api import control, router
from .office import Office
from .settings import OnssSettings
from .tokens import TokenDesk


def create_app(settings: OnssSettings | None = None) -> FastAPI:
    settings = settings or OnssSettings()
    app = FastAPI(
        title="ONSS simulator (Dimona REST)",
        description="A stand-in for ONSS's Dimona web service, for development and tests. Not ONSS.",
    )
    app.state.office = Office(
        processing_seconds=settings.processing_seconds, identification_seconds=settings.identification_seconds
    )
    app.state.tokens = TokenDesk(
        keys_dir=settings.keys_dir, audience=settings.audience, token_seconds=settings.token_seconds
    )
    app.include_router(router)
    if settings.control_enabled:
        app.include_router(control)

    @app.get("/healthz", include_in_schema=False)
    @app.get("/readyz", include_in_schema=False)
    async def alive() -> dict[str, str]:
        return {"status": "ok"}

    return app


app = create_app()
