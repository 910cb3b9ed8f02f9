"""Composition root of the calendar service: `uvicorn ruche_calendar.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service

from . import api, consumers, repository
from .settings import CalendarSettings


def create_app(settings: CalendarSettings | None = None) -> FastAPI:
    return create_service(
        ServiceSpec(
            title="Ruche calendar",
            description="Monthly worker calendars with planned hours, built from people's contract events.",
            routers=api.ROUTERS,
            produces=[topics.CALENDAR_CALENDARS, topics.CALENDAR_CODES],
            outbox_collections=[
                repository.CALENDARS,
                repository.code_settings.CODE_SETTINGS,
                repository.salary_elements.PAYROLL_INPUTS,
            ],
            setup_database=repository.create_indexes,
            subscribe=consumers.register,
        ),
        settings or CalendarSettings(),
    )


app = create_app()
