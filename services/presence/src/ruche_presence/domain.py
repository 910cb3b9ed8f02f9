"""Presence registrations (Checkin@work style): who is present at which workplace on which day."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date


class DomainError(Exception):
    kind = "domain-error"
    title = "Request refused"
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        if field:
            self.field = field


class RegistrationRefused(DomainError):
    kind, title = "registration-refused", "Registration refused"


class AlreadyRegistered(DomainError):
    kind, title, field = "already-registered", "Already registered", "date"


class WorkplaceExists(DomainError):
    kind, title, field = "workplace-exists", "Workplace already declared", "workplace_id"


class NotFound(DomainError):
    kind, title = "not-found", "Not found"


@dataclass(frozen=True)
class Period:
    start_date: date
    end_date: date | None

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


def check_registration(*, day: date, today: date, periods: list[Period]) -> None:
    """A presence is registered before work starts (today or in advance), inside an employment period."""
    if day < today:
        raise RegistrationRefused("A presence is registered before work starts: today or later.", field="date")
    if not any(p.covers(day) for p in periods):
        raise RegistrationRefused("The worker has no contract with this employer on that day.", field="date")


def new_receipt_number(day: date) -> str:
    """The receipt that proves a registration was accepted: the day and 10 random digits."""
    return f"{day:%Y%m%d}{secrets.randbelow(10**10):010d}"
