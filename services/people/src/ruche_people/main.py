"""Composition root of the people service: `uvicorn ruche_people.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service

from . import api, repository
from .settings import PeopleSettings


def create_app(settings: PeopleSettings | None = None) -> FastAPI:
    return create_service(
        ServiceSpec(
            title="Ruche people",
            description="Workers, their personal data and employment contracts.",
            routers=[api.router],
            produces=[topics.PEOPLE_WORKERS],
            outbox_collections=[repository.WORKERS],
            setup_database=repository.create_indexes,
        ),
        settings or PeopleSettings(),
    )


app = create_app()
