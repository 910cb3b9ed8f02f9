"""Calendar's use cases, one module per noun: month calendars (planned from people's events, and read)."""

from __future__ import annotations

from .calendars import (
    EVENT_IDS,
    amend_contract,
    answer_id,
    cancel_contract,
    end_contract,
    get_calendar,
    learn_worker,
    list_calendars,
    open_first_calendar,
)

__all__ = [
    "EVENT_IDS",
    "amend_contract",
    "answer_id",
    "cancel_contract",
    "end_contract",
    "get_calendar",
    "learn_worker",
    "list_calendars",
    "open_first_calendar",
]
