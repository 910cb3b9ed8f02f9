"""Presence's use cases: declare a workplace, register a presence and hand out its receipt."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import new_event, topics
from ruche_contracts.presence import PresenceRegistered, WorkplaceDeclared
from ruche_servicekit.outbox import outbox_entry

from . import domain, repository

BRUSSELS = ZoneInfo("Europe/Brussels")
RECEIPT_ATTEMPTS = 5


def today_in_belgium(now: datetime) -> date:
    return now.astimezone(BRUSSELS).date()


async def declare_workplace(
    db: AsyncDatabase[Any], *, tenant: str, workplace_id: str, name: str, address: dict[str, str]
) -> dict[str, Any]:
    event = new_event(WorkplaceDeclared(workplace_id=workplace_id, name=name), tenant=tenant, subject=workplace_id)
    doc = {
        "_id": str(uuid.uuid4()),
        "tenant": tenant,
        "workplace_id": workplace_id,
        "name": name,
        "address": address,
        "_outbox": [outbox_entry(topics.PRESENCE_WORKPLACES, event)],
    }
    await repository.insert_workplace(db, doc)
    return doc


async def register_presence(
    db: AsyncDatabase[Any], *, tenant: str, worker_id: str, workplace_id: str, day: date, now: datetime
) -> dict[str, Any]:
    periods = await repository.employment_periods(db, tenant=tenant, worker_id=worker_id)
    if periods is None:
        raise domain.RegistrationRefused("No such worker for this employer.", field="worker_id")
    if not await repository.workplace_exists(db, tenant=tenant, workplace_id=workplace_id):
        raise domain.RegistrationRefused("No such workplace for this employer.", field="workplace_id")
    domain.check_registration(day=day, today=today_in_belgium(now), periods=periods)
    registration_id = str(uuid.uuid4())
    for _ in range(RECEIPT_ATTEMPTS):
        receipt = domain.new_receipt_number(day)
        event = new_event(
            PresenceRegistered(
                registration_id=registration_id,
                receipt_number=receipt,
                worker_id=worker_id,
                workplace_id=workplace_id,
                date=day,
            ),
            tenant=tenant,
            subject=worker_id,
        )
        doc = {
            "_id": registration_id,
            "tenant": tenant,
            "worker_id": worker_id,
            "workplace_id": workplace_id,
            "date": day.isoformat(),
            "receipt_number": receipt,
            "registered_at": now.astimezone(UTC),
            "_outbox": [outbox_entry(topics.PRESENCE_REGISTRATIONS, event)],
        }
        if await repository.insert_registration(db, doc):
            return doc
    raise RuntimeError("could not draw a free receipt number")
