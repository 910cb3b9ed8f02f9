"""Presence learns workers and their employment periods from people's events, once per event."""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, topics
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_servicekit.consumers import subscribe
from ruche_servicekit.inbox import apply_once
from ruche_servicekit.settings import ServiceSettings

from . import repository


def register(broker: KafkaBroker, db: AsyncDatabase[Any], settings: ServiceSettings) -> None:
    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        w = event.data
        await apply_once(
            db[repository.WORKERS],
            {"_id": w.worker_id, "tenant": event.tenant},
            {"$set": {"first_name": w.first_name, "last_name": w.last_name, "niss": w.niss}},
            event_id=event.id,
            upsert=True,
        )

    async def contract_signed(event: CloudEvent[ContractSigned]) -> None:
        c = event.data
        period = {
            "contract_id": c.contract_id,
            "start_date": c.start_date.isoformat(),
            "end_date": c.end_date.isoformat() if c.end_date else None,
        }
        await apply_once(
            db[repository.WORKERS],
            {"_id": c.worker_id, "tenant": event.tenant},
            {"$push": {"periods": period}},
            event_id=event.id,
            upsert=True,
        )

    subscribe(
        broker,
        topics.PEOPLE_WORKERS,
        {WorkerRegistered: worker_registered, ContractSigned: contract_signed},
        settings=settings,
    )
