"""Calendars in MongoDB, one document per contract and month (`_id` = `<contract_id>:<YYYY-MM>`), with the
contract's terms they were planned from and pending events in `_outbox`; and the names of workers as learnt from
people's events. Every query filters by tenant; what the consumers write goes by `_id`, once per consumed event
(`apply_once`). A contract's calendars are found by contract id (amendments, ends and cancellations: rare)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.inbox import apply_once
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.outbox import push_outbox
from ruche_servicekit.paging import find_page

from ..domain import Calendar, CalendarNotFound, Day, Entry, MonthLocked, Terms, Version

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


async def replan_calendar(db: Db, calendar: Calendar, *, event_id: str) -> bool:
    """Store a stored calendar planned again (an amendment, an early end, a cancellation), unless the event
    `event_id` did before (then False): the contract's terms and versions, and the plan of each day (`code`,
    `planned_minutes`, `replacement_for`; the entries of days now outside the contract cleared, the others left as
    the edits wrote them). A locked month (sent, maybe since it was read) learns the terms and versions only."""
    where = {"_id": calendar.calendar_id, "tenant": calendar.tenant}
    contract = {**_terms_doc(calendar.terms), "history": _history_doc(calendar), "cancelled": calendar.cancelled}
    if not calendar.locked:
        plan: Document = {"planned_minutes": calendar.planned_minutes}
        for i, day in enumerate(calendar.days):
            plan[f"days.{i}.code"] = day.code
            plan[f"days.{i}.planned_minutes"] = day.planned_minutes
            plan[f"days.{i}.replacement_for"] = day.replacement_for.isoformat() if day.replacement_for else None
            if not calendar.covers(day.date):
                plan[f"days.{i}.entries"] = []
        unlocked = {**where, "locked": {"$ne": True}}
        if await apply_once(db[CALENDARS], unlocked, {"$set": contract | plan}, event_id=event_id):
            return True
    return await apply_once(db[CALENDARS], where, {"$set": contract}, event_id=event_id)


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


async def worker_contracts(db: Db, *, tenant: str, worker_id: str) -> list[Calendar]:
    """One calendar of each of the worker's contracts (the latest month stored): enough to know the contract's
    versions, to plan any month it covers. Days are not read."""
    cursor = db[CALENDARS].find({"tenant": tenant, "worker_id": worker_id}, {"_outbox": 0, "_inbox": 0, "days": 0})
    latest: dict[str, Document] = {}
    async for doc in cursor:
        known = latest.get(doc["contract_id"])
        if known is None or doc["month"] > known["month"]:
            latest[doc["contract_id"]] = doc
    return [_calendar(d | {"days": []}) for d in latest.values()]


async def workers_calendars(db: Db, *, tenant: str, worker_ids: list[str]) -> dict[str, list[Calendar]]:
    """Every stored calendar of these workers, by worker, days not read: one query for a batch (a bulk of salary
    elements learns from it which workers a contract covers in a month and whose month is locked)."""
    found: dict[str, list[Calendar]] = {w: [] for w in worker_ids}
    if not worker_ids:
        return found
    cursor = db[CALENDARS].find(
        {"tenant": tenant, "worker_id": {"$in": worker_ids}}, {"_outbox": 0, "_inbox": 0, "days": 0}
    )
    async for doc in cursor:
        found.setdefault(doc["worker_id"], []).append(_calendar(doc | {"days": []}))
    return found


async def worker_month(db: Db, *, tenant: str, worker_id: str, month: str) -> list[Calendar]:
    """The worker's stored calendars of `month` (one per contract covering it)."""
    cursor = db[CALENDARS].find({"tenant": tenant, "worker_id": worker_id, "month": month}, {"_outbox": 0, "_inbox": 0})
    return [_calendar(d) async for d in cursor]


async def save_day(db: Db, calendar: Calendar, on: date, *, events: list[dict[str, Any]]) -> None:
    """Store one edited day of `calendar` (and who changed it, when) with its events, in one write; a calendar
    planned on read is stored whole first. MonthLocked when the stored month is locked."""
    if not calendar.stored:
        try:
            await outbox.insert(
                db[CALENDARS],
                {"_id": calendar.calendar_id, "tenant": calendar.tenant, **_calendar_doc(calendar), "_outbox": events},
            )
            return
        except DuplicateKeyError:
            pass  # stored meanwhile: write the day into it
    # Only the day's entries: its plan stays as the latest re-plan wrote it.
    entries = [{"code": e.code, "minutes": e.minutes} for e in calendar.day(on).entries]
    change = {
        "$set": {
            f"days.{on.day - 1}.entries": entries,
            "modified_by": calendar.modified_by,
            "modified_at": calendar.modified_at,
        },
        "$push": push_outbox(events),
    }
    result = await outbox.update(
        db[CALENDARS], {"_id": calendar.calendar_id, "tenant": calendar.tenant, "locked": {"$ne": True}}, change
    )
    if result.matched_count == 0:
        raise MonthLocked(f"{calendar.month} is locked: it was sent to the payroll provider.")


async def set_locked(db: Db, *, tenant: str, calendar_id: str, locked: bool = True) -> bool:
    """Lock a month (it was sent to the payroll provider) or unlock it; True when it changed."""
    result = await db[CALENDARS].update_one({"_id": calendar_id, "tenant": tenant}, {"$set": {"locked": locked}})
    return result.modified_count > 0


def _terms_doc(terms: Terms) -> Document:
    return {
        "weekly_hours": str(terms.weekly_hours),  # exact; FerretDB v1 has no Decimal128
        "start_date": terms.start_date.isoformat(),
        "end_date": terms.end_date.isoformat() if terms.end_date else None,
        "minutes_by_weekday": dict(terms.minutes_by_weekday) if terms.minutes_by_weekday else None,
    }


def _terms(doc: Document) -> Terms:
    return Terms(
        start_date=date.fromisoformat(doc["start_date"]),
        end_date=date.fromisoformat(doc["end_date"]) if doc.get("end_date") else None,
        weekly_hours=Decimal(doc["weekly_hours"]),
        minutes_by_weekday=doc.get("minutes_by_weekday"),
    )


def _history_doc(calendar: Calendar) -> list[Document]:
    return [
        {"effective_date": v.effective_date.isoformat() if v.effective_date else None, **_terms_doc(v.terms)}
        for v in calendar.history
    ]


def _day_doc(day: Day) -> Document:
    doc: Document = {"date": day.date.isoformat(), "code": day.code, "planned_minutes": day.planned_minutes}
    if day.replacement_for:
        doc["replacement_for"] = day.replacement_for.isoformat()
    if day.entries:
        doc["entries"] = [{"code": e.code, "minutes": e.minutes} for e in day.entries]
    return doc


def _day(doc: Document) -> Day:
    return Day(
        date.fromisoformat(doc["date"]),
        doc["code"],
        doc["planned_minutes"],
        replacement_for=date.fromisoformat(doc["replacement_for"]) if doc.get("replacement_for") else None,
        entries=tuple(Entry(e["code"], e["minutes"]) for e in doc.get("entries") or ()),
    )


def _calendar_doc(calendar: Calendar) -> Document:
    return {
        "worker_id": calendar.worker_id,
        "contract_id": calendar.contract_id,
        "month": calendar.month,
        **_terms_doc(calendar.terms),
        "history": _history_doc(calendar),
        "cancelled": calendar.cancelled,
        "locked": calendar.locked,
        "modified_by": calendar.modified_by,
        "modified_at": calendar.modified_at,
        "planned_minutes": calendar.planned_minutes,
        "days": [_day_doc(d) for d in calendar.days],
    }


def _calendar(doc: Document) -> Calendar:
    days = tuple(_day(d) for d in doc["days"])
    # Calendars stored before they kept their terms: the first planned day stands for the start.
    start = doc.get("start_date") or next((d.date.isoformat() for d in days if d.code), f"{doc['month']}-01")
    history = tuple(
        Version(date.fromisoformat(v["effective_date"]) if v.get("effective_date") else None, _terms(v))
        for v in doc.get("history") or ()
    )
    modified_at: datetime | None = doc.get("modified_at")
    return Calendar(
        calendar_id=doc["_id"],
        tenant=doc["tenant"],
        worker_id=doc["worker_id"],
        contract_id=doc["contract_id"],
        month=doc["month"],
        terms=_terms(doc | {"start_date": start}),
        days=days,
        cancelled=bool(doc.get("cancelled", False)),
        history=history,
        locked=bool(doc.get("locked", False)),
        modified_by=doc.get("modified_by"),
        modified_at=modified_at,
    )
