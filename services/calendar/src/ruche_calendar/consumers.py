"""Calendar learns workers and contracts from people's events; each effect is applied once per event."""

from __future__ import annotations

from typing import Any

from faststream.kafka import KafkaBroker
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import CloudEvent, new_event, topics
from ruche_contracts.payroll_calendar import CalendarOpened
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_servicekit.consumers import subscribe
from ruche_servicekit.inbox import apply_once
from ruche_servicekit.outbox import outbox_entry, push_outbox
from ruche_servicekit.settings import ServiceSettings

from . import domain, repository


def register(broker: KafkaBroker, db: AsyncDatabase[Any], settings: ServiceSettings) -> None:
    async def worker_registered(event: CloudEvent[WorkerRegistered]) -> None:
        w = event.data
        await apply_once(
            db[repository.WORKERS],
            {"_id": w.worker_id, "tenant": event.tenant},
            {"$set": {"first_name": w.first_name, "last_name": w.last_name}},
            event_id=event.id,
            upsert=True,
        )

    async def contract_signed(event: CloudEvent[ContractSigned]) -> None:
        c = event.data
        month = domain.first_month_calendar(
            start_date=c.start_date,
            end_date=c.end_date,
            weekly_hours=c.weekly_hours,
            public_holidays=domain.belgian_public_holidays(c.start_date.year),
        )
        cal_id = repository.calendar_id(c.contract_id, month.month)
        opened = new_event(
            CalendarOpened(
                calendar_id=cal_id,
                worker_id=c.worker_id,
                contract_id=c.contract_id,
                month=month.month,
                planned_minutes=month.planned_minutes,
            ),
            tenant=event.tenant,
            subject=c.worker_id,
        )
        await apply_once(
            db[repository.CALENDARS],
            {"_id": cal_id, "tenant": event.tenant},
            {
                "$set": {
                    "worker_id": c.worker_id,
                    "contract_id": c.contract_id,
                    "month": month.month,
                    "weekly_hours": str(c.weekly_hours),
                    "planned_minutes": month.planned_minutes,
                    "days": [
                        {"date": d.date.isoformat(), "code": d.code, "planned_minutes": d.planned_minutes}
                        for d in month.days
                    ],
                },
                "$push": push_outbox([outbox_entry(topics.CALENDAR_CALENDARS, opened)]),
            },
            event_id=event.id,
            upsert=True,
        )

    subscribe(
        broker,
        topics.PEOPLE_WORKERS,
        {WorkerRegistered: worker_registered, ContractSigned: contract_signed},
        settings=settings,
    )
