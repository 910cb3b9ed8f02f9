"""Presence registrations (Checkin@work style): who is present at which workplace on which day.

A worker is in service on the days of a period per contract: the Dimona period ONSS accepted, or, for a contract
whose payroll is done elsewhere (no Dimona from Ruche), the contract's own dates.

Plain Python: today, the worker's employment periods and random draws come in as arguments.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import date, datetime

from ruche_servicekit.errors import DomainError

REGISTRATION_IDS = uuid.UUID("3d0f6b1e-9c52-4e7a-b8f4-21a7c5d9e0b3")  # namespace of registration ids


class UnknownWorker(DomainError):
    status, kind, title, field = 422, "unknown-worker", "Unknown worker", "worker_id"


class UnknownWorkplace(DomainError):
    status, kind, title, field = 422, "unknown-workplace", "Unknown workplace", "workplace_id"


class RegistrationRefused(DomainError):
    """The day cannot be registered: already past, or outside every contract of the worker."""

    status, kind, title, field = 422, "registration-refused", "Registration refused", "date"


class AlreadyRegistered(DomainError):
    status, kind, title, field = 409, "already-registered", "Already registered", "date"


class WorkplaceExists(DomainError):
    status, kind, title, field = 409, "workplace-exists", "Workplace already declared", "workplace_id"


class RegistrationNotFound(DomainError):
    status, kind, title = 404, "registration-not-found", "Registration not found"


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class Workplace:
    tenant: str
    workplace_id: str  # from the declaration of works; several employers may work at one site
    name: str
    address: Address


@dataclass(frozen=True)
class Period:
    start_date: date
    end_date: date | None

    def covers(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


def declared_by_ruche(payroll_provider: str) -> bool:
    """Ruche declares the Dimona of its own payroll's contracts: for those, the accepted Dimona period says when
    the worker is in service, not the contract's events."""
    return payroll_provider == "ruche"


def dimona_period(*, start_date: date, end_date: date | None, cancelled: bool) -> Period | None:
    """The period an accepted declaration leaves: its new bounds (IN, UPDATE, OUT), or none after a CANCEL."""
    return None if cancelled else Period(start_date, end_date)


@dataclass(frozen=True)
class Registration:
    registration_id: str
    tenant: str
    worker_id: str
    workplace_id: str
    date: date
    receipt_number: str
    registered_at: datetime


def check_registration(*, day: date, today: date, periods: list[Period]) -> None:
    """A presence is registered before work starts (today or in advance), inside a period in service."""
    if day < today:
        raise RegistrationRefused("A presence is registered before work starts: today or later.")
    if not any(p.covers(day) for p in periods):
        raise RegistrationRefused("The worker has no contract with this employer on that day.")


def registration_id(*, tenant: str, worker_id: str, workplace_id: str, day: date) -> str:
    """One registration per worker, workplace and day: its id is derived from them, so a second one collides."""
    return str(uuid.uuid5(REGISTRATION_IDS, f"{tenant}/{worker_id}/{workplace_id}/{day.isoformat()}"))


def new_receipt_number(day: date) -> str:
    """The receipt that proves a registration was accepted: the day and 10 random digits."""
    return f"{day:%Y%m%d}{secrets.randbelow(10**10):010d}"
