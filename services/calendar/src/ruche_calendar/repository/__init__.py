"""Calendar's storage in MongoDB, one module per collection family: calendars and the workers' names, and the
employers' settings of the calendar codes."""

from __future__ import annotations

from ruche_servicekit.mongo import Db

from . import calendars, code_settings, salary_elements
from .calendars import (
    CALENDARS,
    WORKERS,
    contract_calendars,
    find_calendars,
    get_calendar,
    record_worker_name,
    store_calendar,
)

__all__ = [
    "CALENDARS",
    "WORKERS",
    "code_settings",
    "contract_calendars",
    "create_indexes",
    "find_calendars",
    "get_calendar",
    "record_worker_name",
    "salary_elements",
    "store_calendar",
]


async def create_indexes(db: Db) -> None:
    await calendars.create_indexes(db)
    await code_settings.create_indexes(db)
    await salary_elements.create_indexes(db)
