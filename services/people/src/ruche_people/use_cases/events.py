"""Outbox entries of the workers' events. Personal data travel on their own topic (people.personal-data.v1);
the workers topic carries only what WorkerRegistered names."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from ruche_contracts import new_event, topics
from ruche_contracts.people import (
    Address as AddressPayload,
)
from ruche_contracts.people import (
    AddressChanged,
    OnboardingSubmitted,
    OnboardingValidated,
    PersonalDataChanged,
    WorkerAdded,
    WorkerRegistered,
)
from ruche_servicekit.outbox import event_entry

from ..domain.personal_data import Address, address_fields
from ..domain.workers import Worker


def _entry(topic: Any, payload: Any, worker: Worker) -> dict[str, Any]:
    return event_entry(topic, new_event(payload, tenant=worker.tenant, subject=worker.worker_id))


def worker_added(worker: Worker) -> dict[str, Any]:
    payload = WorkerAdded(
        worker_id=worker.worker_id,
        first_name=worker.first_name,
        last_name=worker.last_name,
        work_email=worker.work_email,
    )
    return _entry(topics.PEOPLE_WORKERS, payload, worker)


def worker_registered(worker: Worker) -> dict[str, Any]:
    data = worker.personal_data
    assert data is not None, "a registered worker has personal data"
    payload = WorkerRegistered(
        worker_id=worker.worker_id,
        first_name=worker.first_name,
        last_name=worker.last_name,
        niss=data.niss,
        birth_date=data.birth_date,
        sex=data.sex,
        nationality=data.nationality,
        work_email=worker.work_email,
        birth_place=data.birth_place,
        mobile_phone=data.mobile_phone,
    )
    return _entry(topics.PEOPLE_WORKERS, payload, worker)


def personal_data_changed(worker: Worker, changes: Mapping[str, Any]) -> dict[str, Any]:
    shown = {name: None if value is None else _text(value) for name, value in changes.items()}
    return _entry(topics.PEOPLE_PERSONAL_DATA, PersonalDataChanged(worker_id=worker.worker_id, changes=shown), worker)


def address_changed(worker: Worker, address: Address, effective_date: date) -> dict[str, Any]:
    payload = AddressChanged(
        worker_id=worker.worker_id, effective_date=effective_date, address=AddressPayload(**address_fields(address))
    )
    return _entry(topics.PEOPLE_PERSONAL_DATA, payload, worker)


def onboarding_submitted(worker: Worker, submitted_at: datetime) -> dict[str, Any]:
    payload = OnboardingSubmitted(worker_id=worker.worker_id, submitted_at=submitted_at)
    return _entry(topics.PEOPLE_WORKERS, payload, worker)


def onboarding_validated(worker: Worker, *, actor: str, corrected: list[str]) -> dict[str, Any]:
    payload = OnboardingValidated(worker_id=worker.worker_id, validated_by=actor, corrected_fields=corrected)
    return _entry(topics.PEOPLE_WORKERS, payload, worker)


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)
