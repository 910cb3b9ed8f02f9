"""Calendar's rules on plain objects, split by noun: month calendars (planning, public holidays)."""

from __future__ import annotations

from .calendars import (
    PUBLIC_HOLIDAY,
    WEEKDAYS,
    WORK,
    WORKING_DAYS_PER_WEEK,
    Calendar,
    CalendarNotFound,
    Day,
    MonthCalendar,
    Terms,
    belgian_public_holidays,
    calendar_id,
    daily_minutes,
    month_of,
    open_calendar,
    open_first_calendar,
    plan_day,
    plan_month,
)

__all__ = [
    "PUBLIC_HOLIDAY",
    "WEEKDAYS",
    "WORK",
    "WORKING_DAYS_PER_WEEK",
    "Calendar",
    "CalendarNotFound",
    "Day",
    "MonthCalendar",
    "Terms",
    "belgian_public_holidays",
    "calendar_id",
    "daily_minutes",
    "month_of",
    "open_calendar",
    "open_first_calendar",
    "plan_day",
    "plan_month",
]
