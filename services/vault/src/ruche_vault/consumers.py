"""The vault follows people's events: every registered worker gets a vault (ContractSigned is not needed)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from ruche_contracts import CloudEvent, topics
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.app import Subscriber

from . import use_cases

log = logging.getLogger(__name__)


def register(sub: Subscriber) -> None:
    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        opened = await use_cases.open_vault(
            sub.db, tenant=event.tenant, event_id=event.id, worker_id=event.data.worker_id, now=datetime.now(UTC)
        )
        if not opened:
            log.info("vault open already; nothing changed", extra={"event_id": event.id, "event_type": event.type})

    sub.subscribe(topics.PEOPLE_WORKERS, {WorkerRegistered: worker_registered})
