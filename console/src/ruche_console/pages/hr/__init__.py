"""The HR pages, on the APIs of people, calendar, presence and identity's employee accounts: workers (list, adding
one in two steps, personal data, self-service onboarding), contracts with their Dimona, a worker's month
calendar with its days, salary elements and message, the leave types, presence registrations and workplaces."""

from __future__ import annotations

from fastapi import APIRouter

from . import (
    calendars,
    contracts,
    leave_types,
    onboarding,
    personal_data,
    presences,
    salary_elements,
    workers,
)

router = APIRouter()
for _module in (workers, personal_data, onboarding, contracts, calendars, salary_elements, leave_types, presences):
    router.include_router(_module.router)
