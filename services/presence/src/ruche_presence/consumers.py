"""Presence follows people's events: who the workers are and when they are employed. Each event becomes a
use-case call, applied once per event id."""

from __future__ import annotations

import logging
from typing import Any

from ruche_contracts import CloudEvent, topics
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_servicekit.app import Subscriber

from . import use_cases

log = logging.getLogger(__name__)


def register(sub: Subscriber) -> None:
    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        w = event.data
        applied = await use_cases.learn_worker(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=w.worker_id,
            first_name=w.first_name,
            last_name=w.last_name,
            niss=w.niss,
        )
        _note(event, applied)

    async def contract_signed(event: CloudEvent[ContractSigned]) -> None:
        c = event.data
        applied = await use_cases.learn_contract(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=c.worker_id,
            contract_id=c.contract_id,
            start_date=c.start_date,
            end_date=c.end_date,
        )
        _note(event, applied)

    sub.subscribe(topics.PEOPLE_WORKERS, {WorkerRegistered: worker_registered, ContractSigned: contract_signed})


def _note(event: CloudEvent[Any], applied: bool) -> None:
    if not applied:
        log.info("event applied before; nothing changed", extra={"event_id": event.id, "event_type": event.type})
