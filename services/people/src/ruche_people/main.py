"""Composition root of the people service: `uvicorn ruche_people.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service
from ruche_servicekit.smtp import SmtpSender

from . import repository
from .api import ROUTERS
from .settings import PeopleSettings


def create_app(settings: PeopleSettings | None = None) -> FastAPI:
    settings = settings or PeopleSettings()
    return create_service(
        ServiceSpec(
            title="Ruche people",
            description="Workers, their personal data, onboarding, contracts and their Dimona declarations.",
            routers=ROUTERS,
            produces=[topics.PEOPLE_WORKERS, topics.PEOPLE_PERSONAL_DATA],
            outbox_collections=repository.OUTBOX_COLLECTIONS,
            setup_database=repository.create_indexes,
            send_mail=SmtpSender.of(settings),
            housekeeping=repository.HOUSEKEEPING,
        ),
        settings,
    )


app = create_app()
