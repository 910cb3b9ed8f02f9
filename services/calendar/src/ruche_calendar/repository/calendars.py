"""Calendars in MongoDB, one document per contract and month (`_id` = `<contract_id>:<YYYY-MM>`), with the
contract's terms they were planned from and pending events in `_outbox`; and the names of workers as learnt from
people's events. Every query filters by tenant; what the consumers write goes by `_id`, once per consumed event
(`apply_once`). A contract's calendars are found by contract id (amendments, ends and cancellations: rare)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pymongo import ASCENDING
from ruche_servicekit.inbox import apply_once
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.outbox import push_outbox
from ruche_servicekit.paging import find_page

from ..domain import Calendar, CalendarNotFound, Day, Terms

CALENDARS = "calendars"
WORKERS = "workers"  # names of workers, as learnt from people's events


async def create_indexes(db: Db) -> None:
    await db[CALENDARS].create_index([("tenant", ASCENDING), ("worker_id", ASCENDING), ("month", ASCENDING)])
    await db[CALENDARS].create_index([("tenant", ASCENDING), ("month", ASCENDING)])
    await db[CALENDARS].create_index([("tenant", ASCENDING), ("contract_id", ASCENDING)])


async def record_worker_name(
    db: Db, *, tenant: str, worker_id: str, first_name: str, last_name: str, event_id: str
) -> bool:
    """True when stored; False when this event was applied before."""
    return await apply_once(
        db[WORKERS],
        {"_id": worker_id, "tenant": tenant},
        {"$set": {"first_name": first_name, "last_name": last_name}},
        event_id=event_id,
        upsert=True,
    )


async def store_calendar(
    db: Db, calendar: Calendar, *, events: list[dict[str, Any]] | None = None, event_id: str
) -> bool:
    """Store the calendar (a new one, or a new plan of one) with its events, unless the event `event_id` stored it
    before (then False)."""
    change: dict[str, Any] = {"$set": _calendar_doc(calendar)}
    if events:
        change["$push"] = push_outbox(events)
    return await apply_once(
        db[CALENDARS], {"_id": calendar.calendar_id, "tenant": calendar.tenant}, change, event_id=event_id, upsert=True
    )


async def contract_calendars(db: Db, *, tenant: str, contract_id: str) -> list[Calendar]:
    """The contract's calendars, by month."""
    cursor = db[CALENDARS].find({"tenant": tenant, "contract_id": contract_id}, {"_outbox": 0, "_inbox": 0})
    return sorted([_calendar(d) async for d in cursor], key=lambda c: c.month)


async def find_calendars(
    db: Db, *, tenant: str, worker_id: str | None, month: str | None, limit: int, offset: int
) -> tuple[list[Calendar], int]:
    query: dict[str, Any] = {"tenant": tenant}
    if worker_id:
        query["worker_id"] = worker_id
    if month:
        query["month"] = month
    docs, total = await find_page(
        db[CALENDARS], query, sort=[("month", 1), ("worker_id", 1)], limit=limit, offset=offset
    )
    return [_calendar(d) for d in docs], total


async def get_calendar(db: Db, *, tenant: str, calendar_id: str) -> Calendar:
    doc = await db[CALENDARS].find_one({"_id": calendar_id, "tenant": tenant}, {"_outbox": 0, "_inbox": 0})
    if doc is None:
        raise CalendarNotFound("No such calendar for this employer.")
    return _calendar(doc)


def _calendar_doc(calendar: Calendar) -> Document:
    return {
        "worker_id": calendar.worker_id,
        "contract_id": calendar.contract_id,
        "month": calendar.month,
        "weekly_hours": str(calendar.weekly_hours),  # exact; FerretDB v1 has no Decimal128
        "start_date": calendar.terms.start_date.isoformat(),
        "end_date": calendar.terms.end_date.isoformat() if calendar.terms.end_date else None,
        "minutes_by_weekday": dict(calendar.terms.minutes_by_weekday) if calendar.terms.minutes_by_weekday else None,
        "cancelled": calendar.cancelled,
        "planned_minutes": calendar.planned_minutes,
        "days": [
            {"date": d.date.isoformat(), "code": d.code, "planned_minutes": d.planned_minutes} for d in calendar.days
        ],
    }


def _calendar(doc: Document) -> Calendar:
    days = tuple(Day(date.fromisoformat(d["date"]), d["code"], d["planned_minutes"]) for d in doc["days"])
    # Calendars stored before they kept their terms: the first planned day stands for the start.
    start = doc.get("start_date") or next((d.date.isoformat() for d in days if d.code), f"{doc['month']}-01")
    terms = Terms(
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(doc["end_date"]) if doc.get("end_date") else None,
        weekly_hours=Decimal(doc["weekly_hours"]),
        minutes_by_weekday=doc.get("minutes_by_weekday"),
    )
    return Calendar(
        calendar_id=doc["_id"],
        tenant=doc["tenant"],
        worker_id=doc["worker_id"],
        contract_id=doc["contract_id"],
        month=doc["month"],
        terms=terms,
        days=days,
        cancelled=bool(doc.get("cancelled", False)),
    )
