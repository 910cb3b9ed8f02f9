"""A worker: names and work e-mail first (step one of "add a worker"), then personal data, filled in by HR or by
the new hire through a self-service link and validated by HR. The first complete set registers the worker.

Address and civil status are effective-dated (see history.py): `personal_data_on(day)` gives the values in force
on a day. Each personal-data field remembers its origin: `hr` or `new_hire`.

A worker's list status on a day (future, in service, left) comes from the periods of their contracts.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, Literal

from .errors import InvalidPersonalData, InvalidWorker, NotRegistered
from .history import History
from .onboarding import Onboarding
from .personal_data import (
    FIELDS,
    FIRST_DATE,
    LAST_DATE,
    Address,
    CivilStatus,
    PersonalData,
    check_field,
    civil_status_since,
)

Origin = Literal["hr", "new_hire"]
Status = Literal["future", "in_service", "left"]
STATUSES: tuple[Status, ...] = ("future", "in_service", "left")
NAME_LIMIT = 100


@dataclass(frozen=True)
class Worker:
    worker_id: str
    tenant: str
    first_name: str
    last_name: str
    work_email: str
    registered: bool = False
    personal_data: PersonalData | None = None
    version: int = 0
    created_at: datetime | None = None
    origins: Mapping[str, Origin] = field(default_factory=dict)
    addresses: History[Address] = field(default_factory=History)
    civil_statuses: History[CivilStatus] = field(default_factory=History)
    onboarding: Onboarding | None = None

    def personal_data_on(self, day: date) -> PersonalData | None:
        """The personal data with the address and civil status in force on `day` (the stored ones when the
        histories say nothing of that day)."""
        data = self.personal_data
        if data is None:
            return None
        address = self.addresses.on(day) or data.address
        civil = self.civil_statuses.since(day)
        if civil is None:
            return replace(data, address=address)
        since = None if civil.value == "single" and civil.effective_date == data.birth_date else civil.effective_date
        return replace(data, address=address, civil_status=civil.value, civil_status_date=since)


@dataclass(frozen=True)
class Filled:
    """What filling in personal data did: the new worker, the fields that changed (civil status with its date),
    the date of a new address, and whether this registered the worker."""

    worker: Worker
    changed: dict[str, Any]
    address_from: date | None
    registered_now: bool


def search_key(text: str) -> str:
    """Case- and accent-insensitive form of a name, so 'elodie' finds 'Élodie'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def new_worker(
    *, worker_id: str, tenant: str, first_name: str, last_name: str, work_email: str, now: datetime
) -> Worker:
    """Step one of "add a worker": names and a work e-mail, checked."""
    return Worker(
        worker_id=worker_id,
        tenant=tenant,
        first_name=_name("first_name", first_name),
        last_name=_name("last_name", last_name),
        work_email=_work_email(work_email),
        created_at=now,
    )


def _name(field_name: str, value: str) -> str:
    name = " ".join(value.split()) if isinstance(value, str) else ""
    if not name or len(name) > NAME_LIMIT:
        raise InvalidWorker(f"Required, at most {NAME_LIMIT} characters.", field=field_name)
    return name


def _work_email(value: str) -> str:
    try:
        email: str = check_field("private_email", value, today=LAST_DATE)
    except InvalidPersonalData as exc:
        raise InvalidWorker(str(exc), field="work_email") from exc
    return email


def fill(worker: Worker, data: PersonalData, *, origins: Mapping[str, Origin], today: date) -> Filled:
    """Personal data that count from now: the values, the histories of address (from today) and civil status
    (from its date), and each changed field's origin. `data` is checked already (personal_data.complete)."""
    before = worker.personal_data
    changed = {
        name: value
        for name, value in data.as_fields().items()
        if name != "address" and (before is None or getattr(before, name) != value)
    }
    if "civil_status" in changed or "civil_status_date" in changed:
        changed |= {"civil_status": data.civil_status, "civil_status_date": data.civil_status_date}
    addresses, address_from = worker.addresses, None
    if addresses.on(today) != data.address:
        addresses, address_from = addresses.with_value(today, data.address), today
    civil_statuses = worker.civil_statuses
    since = civil_status_since(data)
    if civil_statuses.changes(since, data.civil_status):
        civil_statuses = civil_statuses.with_value(since, data.civil_status)
    touched = set(changed) | ({"address"} if address_from else set())
    new_origins = {**worker.origins, **{name: origins.get(name, "hr") for name in FIELDS if name in touched}}
    new_origins |= {name: origins.get(name, "hr") for name in FIELDS if name not in new_origins}
    filled = replace(
        worker,
        registered=True,
        personal_data=data,
        origins=new_origins,
        addresses=addresses,
        civil_statuses=civil_statuses,
    )
    return Filled(filled, changed, address_from, registered_now=not worker.registered)


def move(worker: Worker, address: Address, *, effective_date: date, today: date) -> Worker:
    """A new address from `effective_date` (`address` checked already); the history keeps the old ones."""
    data = _registered(worker)
    _effective("effective_date", effective_date, born=data.birth_date)
    moved = replace(
        worker,
        addresses=worker.addresses.with_value(effective_date, address),
        origins={**worker.origins, "address": "hr"},
    )
    return replace(moved, personal_data=moved.personal_data_on(today))


def change_civil_status(worker: Worker, status: CivilStatus, *, effective_date: date, today: date) -> Worker:
    """A new civil status from `effective_date`; the history keeps the old ones."""
    data = _registered(worker)
    _effective("effective_date", effective_date, born=data.birth_date)
    changed = replace(
        worker,
        civil_statuses=worker.civil_statuses.with_value(effective_date, status),
        origins={**worker.origins, "civil_status": "hr", "civil_status_date": "hr"},
    )
    return replace(changed, personal_data=changed.personal_data_on(today))


def _registered(worker: Worker) -> PersonalData:
    if worker.personal_data is None:
        raise NotRegistered("Fill in the worker's personal data first.")
    return worker.personal_data


def _effective(field_name: str, day: date, *, born: date) -> None:
    if not FIRST_DATE <= day <= LAST_DATE:
        raise InvalidPersonalData(f"Between {FIRST_DATE.year} and {LAST_DATE.year}.", field=field_name)
    if day < born:
        raise InvalidPersonalData("Before the worker's birth date.", field=field_name)


# List status -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """One contract's period as the contract ledger holds it."""

    start: date
    end: date | None
    cancelled: bool = False


def status_on(periods: Iterable[Period], day: date) -> Status | None:
    """In service when a period holds `day`; else future when one starts later; else left; None without any."""
    kept = [p for p in periods if not p.cancelled]
    if not kept:
        return None
    if any(p.start <= day and (p.end is None or day <= p.end) for p in kept):
        return "in_service"
    if any(p.start > day for p in kept):
        return "future"
    return "left"
