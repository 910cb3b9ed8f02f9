"""Presence registrations (Checkin@work style): who is present at which workplace on which day."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from ruche_servicekit.errors import DomainError


class RegistrationRefused(DomainError):
    status, kind, title = 422, "registration-refused", "Registration refused"


class AlreadyRegistered(DomainError):
    status, kind, title, field = 409, "already-registered", "Already registered", "date"


class WorkplaceExists(DomainError):
    status, kind, title, field = 409, "workplace-exists", "Workplace already declared", "workplace_id"


class NotFound(DomainError):
    status, kind, title = 404, "not-found", "Not found"


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
