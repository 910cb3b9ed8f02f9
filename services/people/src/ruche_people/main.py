"""Composition root of the people service: `uvicorn ruche_people.main:app`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service
from ruche_servicekit.loops import LeasedLoop
from ruche_servicekit.mongo import Db
from ruche_servicekit.smtp import SmtpSender

from . import repository
from .adapters.onss import OnssClient
from .api import ROUTERS
from .settings import PeopleSettings
from .use_cases import dimona


def dimona_dispatcher(settings: PeopleSettings) -> Callable[[Db], LeasedLoop]:
    """The Dimona dispatcher: one per deployment (under the lease "dimona"), woken after every write request."""

    def make(db: Db) -> LeasedLoop:
        onss = OnssClient(
            token_url=settings.dimona_token_url,
            api_url=settings.dimona_api_url,
            audience=settings.dimona_audience,
            expeditor=settings.dimona_expeditor,
            private_key_file=settings.dimona_private_key_file,
        )

        async def step(db: Db, now: datetime) -> int:
            return await dimona.process_due(db, now, onss=onss, poll_seconds=settings.dimona_poll_seconds)

        return LeasedLoop("dimona", db, step, every_seconds=settings.dimona_poll_seconds)

    return make


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
            leased_loops=[dimona_dispatcher(settings)] if settings.dimona_enabled else [],
        ),
        settings,
    )


app = create_app()
