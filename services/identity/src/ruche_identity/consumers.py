"""What identity consumes: its own user events for the audit trail, vault openings for employee accounts, and
worker registrations to recognise an employee who lost their identifier."""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, topics
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.consumers import subscribe
from ruche_servicekit.settings import ServiceSettings

from . import audit, employees


def register(broker: KafkaBroker, db: AsyncDatabase[Any], settings: ServiceSettings) -> None:
    audit.register(broker, db, settings)

    async def vault_opened(event: CloudEvent[VaultOpened]) -> None:
        await employees.open_account(db, event)

    subscribe(broker, topics.VAULT_VAULTS, {VaultOpened: vault_opened}, settings=settings)

    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        await employees.learn_identity(db, event)

    subscribe(broker, topics.PEOPLE_WORKERS, {WorkerRegistered: worker_registered}, settings=settings)
