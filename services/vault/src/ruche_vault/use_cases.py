"""Vault's use cases: open a registered worker's vault (once per worker), and the reads the API needs. The only
writers of the service.

VaultOpened takes an id derived from the WorkerRegistered it answers (uuid5), so however often that event is
delivered, only one distinct VaultOpened leaves.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime

from ruche_contracts import new_event, topics
from ruche_contracts.document_vault import VaultOpened
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry

from . import domain, repository
from .domain import Vault
from .repository import Stored

IDENTIFIER_ATTEMPTS = 5
EVENT_IDS = uuid.UUID("0b9d7c3e-2f61-4a55-8e0d-6c1a9f4b2e77")  # namespace of the ids of raised events


def answer_id(consumed_event_id: str, what: str) -> str:
    """The id of the event raised in answer to a consumed one: the same for every delivery of that event."""
    return str(uuid.uuid5(EVENT_IDS, f"{what}/{consumed_event_id}"))


async def open_vault(
    db: Db,
    *,
    tenant: str,
    event_id: str,
    worker_id: str,
    now: datetime,
    new_identifier: Callable[[], str] = domain.new_identifier,
) -> bool:
    """Open the worker's vault with a fresh identifier and raise VaultOpened. False when it was open already."""
    for _ in range(IDENTIFIER_ATTEMPTS):  # a redelivery collides with the open vault: nothing changes
        vault = domain.open_vault(tenant=tenant, worker_id=worker_id, identifier=new_identifier(), opened_at=now)
        opened = new_event(
            VaultOpened(vault_id=vault.vault_id, worker_id=worker_id, identifier=vault.identifier),
            tenant=tenant,
            subject=worker_id,
            event_id=answer_id(event_id, "vault-opened"),
        )
        events = [event_entry(topics.VAULT_VAULTS, opened)]
        stored = await repository.insert_vault(db, vault, event_id=event_id, events=events)
        if stored is not Stored.IDENTIFIER_TAKEN:
            return stored is Stored.OPENED
    raise RuntimeError("could not draw a free vault identifier")


# Reads ------------------------------------------------------------------------------------------------------
async def list_vaults(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[Vault], int]:
    return await repository.list_vaults(db, tenant=tenant, limit=limit, offset=offset)


async def get_vault(db: Db, *, tenant: str, worker_id: str) -> Vault:
    return await repository.get_vault(db, tenant=tenant, worker_id=worker_id)
