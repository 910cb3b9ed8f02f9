"""Composition root of the identity service: `uvicorn ruche_identity.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service
from ruche_servicekit.settings import ServiceSettings

from . import api, audit, keys, repository, users_api


class IdentitySettings(ServiceSettings):
    service_name: str = "identity"


async def _load_signing_key(app: FastAPI) -> None:
    app.state.signing_key = await keys.ensure_signing_key(app.state.db)


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    return create_service(
        ServiceSpec(
            title="Ruche identity",
            description="Enterprises, access managers, users, credentials and access tokens.",
            routers=[api.router, users_api.router],
            produces=[topics.IDENTITY_ENTERPRISES, topics.IDENTITY_USERS],
            outbox_collections=[repository.ENTERPRISES, repository.USERS],
            subscribe=audit.register,
            setup_database=repository.create_indexes,
            on_started=_load_signing_key,
        ),
        settings or IdentitySettings(),
    )


app = create_app()
