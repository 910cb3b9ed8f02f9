"""The HR pages, on today's APIs of people, calendar, presence and identity's employee accounts: workers and their
contracts, a worker's month calendar, presence registrations and workplaces."""

from __future__ import annotations

from fastapi import APIRouter

from . import calendars, presences, workers

router = APIRouter()
router.include_router(workers.router)
router.include_router(calendars.router)
router.include_router(presences.router)
