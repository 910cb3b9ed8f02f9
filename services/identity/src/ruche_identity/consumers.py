"""What identity consumes: its own user events for the audit trail, vault openings for employee accounts, and
worker registrations to recognise an employee who lost their identifier."""

from __future__ import annotations

from typing import Any

from ruche_contracts import CloudEvent, topics
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.app import Subscriber

from .use_cases import audit, employees, lost_identifier


def register(sub: Subscriber) -> None:
    db = sub.db

    async def user_event(event: CloudEvent[Any]) -> None:
        await audit.record(db, event)

    async def vault_opened(event: CloudEvent[VaultOpened]) -> None:
        await employees.open_account(db, event)

    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        await lost_identifier.learn_identity(db, event)

    sub.subscribe(topics.IDENTITY_USERS, dict.fromkeys(topics.IDENTITY_USERS.payloads, user_event))
    sub.subscribe(topics.VAULT_VAULTS, {VaultOpened: vault_opened})
    sub.subscribe(topics.PEOPLE_WORKERS, {WorkerRegistered: worker_registered})
