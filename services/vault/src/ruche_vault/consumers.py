"""The vault opens a vault for every registered worker, exactly once per worker."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, new_event, topics
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.consumers import subscribe
from ruche_servicekit.outbox import outbox_entry
from ruche_servicekit.settings import ServiceSettings

from . import domain, repository

IDENTIFIER_ATTEMPTS = 5


async def open_vault(db: AsyncDatabase[Any], event: CloudEvent[WorkerRegistered]) -> None:
    worker_id = event.data.worker_id
    if await repository.exists(db, worker_id):
        return  # redelivery: the vault is open and its event stored with it
    for _ in range(IDENTIFIER_ATTEMPTS):
        identifier = domain.new_identifier()
        opened = new_event(
            VaultOpened(vault_id=worker_id, worker_id=worker_id, identifier=identifier),
            tenant=event.tenant,
            subject=worker_id,
        )
        doc = {
            "_id": worker_id,
            "tenant": event.tenant,
            "worker_id": worker_id,
            "identifier": identifier,
            "opened_at": datetime.now(UTC),
            "opened_by_event": event.id,
            "_outbox": [outbox_entry(topics.VAULT_VAULTS, opened)],
        }
        if await repository.insert_vault(db, doc):
            return
    raise RuntimeError("could not draw a free vault identifier")


def register(broker: KafkaBroker, db: AsyncDatabase[Any], settings: ServiceSettings) -> None:
    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        await open_vault(db, event)

    subscribe(broker, topics.PEOPLE_WORKERS, {WorkerRegistered: worker_registered}, settings=settings)
