"""Composition root of the presence service: `uvicorn ruche_presence.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service
from ruche_servicekit.settings import ServiceSettings

from . import api, consumers, repository


class PresenceSettings(ServiceSettings):
    service_name: str = "presence"


def create_app(settings: PresenceSettings | None = None) -> FastAPI:
    return create_service(
        ServiceSpec(
            title="Ruche presence",
            description="Presence registrations at workplaces (Checkin@work style) and their receipts.",
            routers=[api.router],
            produces=[topics.PRESENCE_WORKPLACES, topics.PRESENCE_REGISTRATIONS],
            outbox_collections=[repository.WORKPLACES, repository.REGISTRATIONS],
            setup_database=repository.create_indexes,
            subscribe=consumers.register,
        ),
        settings or PresenceSettings(),
    )


app = create_app()
