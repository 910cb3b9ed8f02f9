"""Presence follows people's events: who the workers are and when they are in service (accepted Dimona periods;
the contract's own dates for contracts whose Dimona Ruche does not declare). Each event becomes a use-case call,
applied once per event id. The topic's other types (WorkerAdded, onboarding, DimonaDeclared, DimonaRefused) are
not for presence: servicekit skips them."""

from __future__ import annotations

import logging
from typing import Any

from ruche_contracts import CloudEvent, topics
from ruche_contracts.people import (
    ContractAmended,
    ContractCancelled,
    ContractEnded,
    ContractSigned,
    DimonaAccepted,
    WorkerRegistered,
)
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

    async def dimona_accepted(event: CloudEvent[DimonaAccepted]) -> None:
        d = event.data
        applied = await use_cases.learn_dimona(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=d.worker_id,
            contract_id=d.contract_id,
            start_date=d.start_date,
            end_date=d.end_date,
            cancelled=d.cancelled or d.declaration_type == "CANCEL",
        )
        _note(event, applied)

    async def contract_signed_or_amended(event: CloudEvent[ContractSigned] | CloudEvent[ContractAmended]) -> None:
        c = event.data
        applied = await use_cases.learn_contract(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=c.worker_id,
            contract_id=c.contract_id,
            start_date=c.start_date,
            end_date=c.end_date,
            payroll_provider=c.payroll_provider,
        )
        _note(event, applied)

    async def contract_ended(event: CloudEvent[ContractEnded]) -> None:
        c = event.data
        applied = await use_cases.end_contract(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=c.worker_id,
            contract_id=c.contract_id,
            end_date=c.end_date,
            payroll_provider=c.payroll_provider,
        )
        _note(event, applied)

    async def contract_cancelled(event: CloudEvent[ContractCancelled]) -> None:
        c = event.data
        applied = await use_cases.cancel_contract(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=c.worker_id,
            contract_id=c.contract_id,
            payroll_provider=c.payroll_provider,
        )
        _note(event, applied)

    sub.subscribe(
        topics.PEOPLE_WORKERS,
        {
            WorkerRegistered: worker_registered,
            DimonaAccepted: dimona_accepted,
            ContractSigned: contract_signed_or_amended,
            ContractAmended: contract_signed_or_amended,
            ContractEnded: contract_ended,
            ContractCancelled: contract_cancelled,
        },
    )


def _note(event: CloudEvent[Any], applied: bool) -> None:
    if not applied:
        log.info(
            "event changed nothing (applied before, or not presence's to apply)",
            extra={"event_id": event.id, "event_type": event.type},
        )
