"""Composition root of the presence service: `uvicorn ruche_presence.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service

from . import api, consumers, repository
from .settings import PresenceSettings


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
