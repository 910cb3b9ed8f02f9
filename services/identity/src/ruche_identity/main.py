"""Composition root of the identity service: `uvicorn ruche_identity.main:app`."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service
from ruche_servicekit.smtp import SmtpSender

from . import consumers, repository
from .api import ROUTERS
from .settings import IdentitySettings
from .use_cases import designations, keys


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()

    async def started(app: FastAPI) -> None:
        now = datetime.now(UTC)
        app.state.signing_key = await keys.ensure_signing_key(app.state.db, now=now)
        if settings.operator_username and settings.operator_password:
            await designations.ensure_operator(
                app.state.db,
                username=settings.operator_username,
                password=settings.operator_password.get_secret_value(),
                now=now,
            )

    return create_service(
        ServiceSpec(
            title="Ruche identity",
            description="Enterprises, access managers, users, credentials and access tokens.",
            routers=ROUTERS,
            produces=[topics.IDENTITY_ENTERPRISES, topics.IDENTITY_USERS],
            outbox_collections=repository.OUTBOX_COLLECTIONS,
            setup_database=repository.create_indexes,
            subscribe=consumers.register,
            on_started=started,
            send_mail=SmtpSender.of(settings),
            housekeeping=repository.HOUSEKEEPING,
        ),
        settings,
    )


app = create_app()
