"""Calendar's storage in MongoDB, one module per collection family: calendars and the workers' names."""

from __future__ import annotations

from .calendars import (
    CALENDARS,
    WORKERS,
    contract_calendars,
    create_indexes,
    find_calendars,
    get_calendar,
    record_worker_name,
    store_calendar,
)

__all__ = [
    "CALENDARS",
    "WORKERS",
    "contract_calendars",
    "create_indexes",
    "find_calendars",
    "get_calendar",
    "record_worker_name",
    "store_calendar",
]
