"""Calendar follows people's events: each one becomes a use-case call (applied once per event id). The other
event types of the topic (WorkerAdded, onboarding, Dimona) are not for the calendar: servicekit skips them."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from ruche_contracts import CloudEvent, topics
from ruche_contracts.people import (
    ContractAmended,
    ContractCancelled,
    ContractEnded,
    ContractSigned,
    Weekday,
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
        )
        _note(event, applied)

    async def contract_signed(event: CloudEvent[ContractSigned]) -> None:
        c = event.data
        applied = await use_cases.open_first_calendar(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=c.worker_id,
            contract_id=c.contract_id,
            start_date=c.start_date,
            end_date=c.end_date,
            weekly_hours=c.weekly_hours,
            minutes_by_weekday=_schedule(c.minutes_by_weekday),
        )
        _note(event, applied)

    async def contract_amended(event: CloudEvent[ContractAmended]) -> None:
        c = event.data
        applied = await use_cases.amend_contract(
            sub.db,
            tenant=event.tenant,
            event_id=event.id,
            worker_id=c.worker_id,
            contract_id=c.contract_id,
            effective_date=c.effective_date,
            start_date=c.start_date,
            end_date=c.end_date,
            weekly_hours=c.weekly_hours,
            minutes_by_weekday=_schedule(c.minutes_by_weekday),
        )
        _note(event, applied)

    async def contract_ended(event: CloudEvent[ContractEnded]) -> None:
        c = event.data
        applied = await use_cases.end_contract(
            sub.db, tenant=event.tenant, event_id=event.id, contract_id=c.contract_id, end_date=c.end_date
        )
        _note(event, applied)

    async def contract_cancelled(event: CloudEvent[ContractCancelled]) -> None:
        applied = await use_cases.cancel_contract(
            sub.db, tenant=event.tenant, event_id=event.id, contract_id=event.data.contract_id
        )
        _note(event, applied)

    sub.subscribe(
        topics.PEOPLE_WORKERS,
        {
            WorkerRegistered: worker_registered,
            ContractSigned: contract_signed,
            ContractAmended: contract_amended,
            ContractEnded: contract_ended,
            ContractCancelled: contract_cancelled,
        },
    )


def _schedule(minutes_by_weekday: Mapping[Weekday, int] | None) -> dict[str, int] | None:
    return None if minutes_by_weekday is None else {str(day): minutes for day, minutes in minutes_by_weekday.items()}


def _note(event: CloudEvent[Any], applied: bool) -> None:
    if not applied:
        log.info(
            "event changed nothing (applied before, or nothing to plan)",
            extra={"event_id": event.id, "event_type": event.type},
        )
