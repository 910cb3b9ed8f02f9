"""Contracts in MongoDB: one document per contract with its versions, its end or cancellation, its Dimona (state,
period, every declaration sent and the answer received), a `revision` every write compares and sets, and its
pending events (`_outbox`). Dates are ISO strings and amounts decimal strings (FerretDB stores neither bare
dates nor, portably, decimals). Every query filters by tenant, except the dispatcher's read by id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db, Document

from ..domain.contracts import WEEKDAYS, Cancellation, Contract, Ending, Terms, Version
from ..domain.dimona import Anomaly, Declaration, Declared, Dimona
from ..domain.errors import ConcurrentUpdate, ContractNotFound
from .names import CONTRACTS

NO_OUTBOX = {"_outbox": 0}
DECIMALS = ("weekly_hours", "full_time_weekly_hours", "gross_monthly_salary", "hourly_wage")


async def create_indexes(db: Db) -> None:
    await db[CONTRACTS].create_index(
        [("tenant", ASCENDING), ("worker_id", ASCENDING), ("start_date", ASCENDING)], name="tenant_worker_start"
    )


# Writes ------------------------------------------------------------------------------------------------------
async def insert_contract(db: Db, contract: Contract, *, entries: list[dict[str, Any]]) -> bool:
    """Store a new contract with its events; False when a contract with this id exists already (a retried
    bulk hire)."""
    doc = {"_id": contract.contract_id, **contract_document(contract), "revision": 1, outbox.OUTBOX_FIELD: entries}
    try:
        await outbox.insert(db[CONTRACTS], doc)
    except DuplicateKeyError:
        return False
    return True


async def insert_contracts(db: Db, contracts: list[tuple[Contract, list[dict[str, Any]]]]) -> None:
    """Many new contracts at once (a bulk hire), each noted for the relay; ids already stored are skipped."""
    docs = [
        {"_id": c.contract_id, **contract_document(c), "revision": 1, outbox.OUTBOX_FIELD: entries}
        for c, entries in contracts
    ]
    if not docs:
        return
    existing = await existing_ids(db, [d["_id"] for d in docs])
    fresh = [d for d in docs if d["_id"] not in existing]
    if fresh:
        await db[CONTRACTS].insert_many(fresh, ordered=False)
    notes = [
        UpdateOne(
            {"_id": f"{CONTRACTS}/{doc['_id']}"},
            {
                "$setOnInsert": {"collection": CONTRACTS, "doc_id": doc["_id"]},
                "$push": {"entries": {"$each": doc[outbox.OUTBOX_FIELD]}},
            },
            upsert=True,
        )
        for doc in fresh
    ]
    for start in range(0, len(notes), outbox.BULK_STATEMENTS):  # the relay's notes, as outbox.mark_pending writes them
        await db[outbox.PENDING].bulk_write(notes[start : start + outbox.BULK_STATEMENTS], ordered=False)


async def save_contract(db: Db, contract: Contract, *, entries: list[dict[str, Any]]) -> Contract:
    """Store the contract's new state with its events, only if nobody changed it since it was read."""
    change: dict[str, Any] = {"$set": contract_document(contract), "$inc": {"revision": 1}}
    if entries:
        change["$push"] = outbox.push_outbox(entries)
    filter = {"_id": contract.contract_id, "tenant": contract.tenant, "revision": contract.revision}
    result = await outbox.update(db[CONTRACTS], filter, change)
    if result.matched_count == 0:
        raise ConcurrentUpdate(f"Contract {contract.contract_id} changed meanwhile.")
    return Contract(**{**contract.__dict__, "revision": contract.revision + 1})


# Reads -------------------------------------------------------------------------------------------------------
async def get_contract(db: Db, *, tenant: str, worker_id: str, contract_id: str) -> Contract:
    doc = await db[CONTRACTS].find_one({"_id": contract_id, "tenant": tenant, "worker_id": worker_id}, NO_OUTBOX)
    if doc is None:
        raise ContractNotFound(f"No contract {contract_id} for this worker.")
    return to_contract(doc)


async def find_contract(db: Db, contract_id: str) -> Contract | None:
    doc = await db[CONTRACTS].find_one({"_id": contract_id}, NO_OUTBOX)
    return None if doc is None else to_contract(doc)


async def worker_contracts(db: Db, *, tenant: str, worker_id: str) -> list[Contract]:
    cursor = (
        db[CONTRACTS].find({"tenant": tenant, "worker_id": worker_id}, NO_OUTBOX).sort([("start_date", 1), ("_id", 1)])
    )
    return [to_contract(d) async for d in cursor]


async def existing_ids(db: Db, contract_ids: Iterable[str]) -> set[str]:
    ids = list(contract_ids)
    return {d["_id"] async for d in db[CONTRACTS].find({"_id": {"$in": ids}}, {"_id": 1})} if ids else set()


# Documents ---------------------------------------------------------------------------------------------------
def contract_document(contract: Contract) -> Document:
    """Every field of the contract but `_id` and `revision`."""
    return {
        "tenant": contract.tenant,
        "worker_id": contract.worker_id,
        "created_at": contract.created_at,
        "start_date": contract.start_date.isoformat(),
        "versions": [
            {
                "version": v.version,
                "effective_date": v.effective_date.isoformat(),
                "recorded_at": v.recorded_at,
                "terms": terms_document(v.terms),
            }
            for v in contract.versions
        ],
        "ended": None
        if contract.ended is None
        else {
            "end_date": contract.ended.end_date.isoformat(),
            "reason": contract.ended.reason,
            "recorded_at": contract.ended.recorded_at,
        },
        "cancelled": None
        if contract.cancelled is None
        else {"reason": contract.cancelled.reason, "recorded_at": contract.cancelled.recorded_at},
        "dimona": dimona_document(contract.dimona),
    }


def terms_document(terms: Terms) -> Document:
    doc = terms.as_fields()
    for name in DECIMALS:
        doc[name] = None if doc[name] is None else str(doc[name])
    doc["start_date"] = terms.start_date.isoformat()
    doc["end_date"] = _iso(terms.end_date)
    doc["schedule"] = {day: str(terms.schedule.get(day, Decimal(0))) for day in WEEKDAYS}
    return doc


def dimona_document(dimona: Dimona) -> Document:
    declared = dimona.declared
    return {
        "state": dimona.state,
        "period_id": dimona.period_id,
        "declared": None
        if declared is None
        else {"start": declared.start.isoformat(), "end": _iso(declared.end), "cancelled": declared.cancelled},
        "hold": dimona.hold,
        "declarations": [
            {
                "declaration_id": d.declaration_id,
                "type": d.type,
                "body": dict(d.body),
                "sent_at": d.sent_at,
                "start": d.start.isoformat(),
                "end": _iso(d.end),
                "late": d.late,
                "result": d.result,
                "anomalies": [{"code": a.code, "severity": a.severity, "label": dict(a.label)} for a in d.anomalies],
                "answered_at": d.answered_at,
            }
            for d in dimona.declarations
        ],
    }


def to_contract(doc: Mapping[str, Any]) -> Contract:
    ended, cancelled = doc.get("ended"), doc.get("cancelled")
    return Contract(
        contract_id=doc["_id"],
        tenant=doc["tenant"],
        worker_id=doc["worker_id"],
        created_at=doc["created_at"],
        versions=tuple(
            Version(v["version"], date.fromisoformat(v["effective_date"]), to_terms(v["terms"]), v["recorded_at"])
            for v in doc["versions"]
        ),
        ended=None
        if not ended
        else Ending(date.fromisoformat(ended["end_date"]), ended["reason"], ended["recorded_at"]),
        cancelled=None if not cancelled else Cancellation(cancelled.get("reason"), cancelled["recorded_at"]),
        dimona=to_dimona(doc["dimona"]),
        revision=doc.get("revision", 0),
    )


def to_terms(doc: Mapping[str, Any]) -> Terms:
    values = dict(doc)
    for name in DECIMALS:
        values[name] = None if values.get(name) is None else Decimal(values[name])
    values["start_date"] = date.fromisoformat(doc["start_date"])
    values["end_date"] = _date(doc.get("end_date"))
    values["schedule"] = {day: Decimal(doc["schedule"].get(day, "0")) for day in WEEKDAYS}
    return Terms(**values)


def to_dimona(doc: Mapping[str, Any]) -> Dimona:
    declared = doc.get("declared")
    return Dimona(
        state=doc["state"],
        period_id=doc.get("period_id"),
        declared=None
        if not declared
        else Declared(date.fromisoformat(declared["start"]), _date(declared.get("end")), bool(declared["cancelled"])),
        hold=bool(doc.get("hold")),
        declarations=tuple(
            Declaration(
                declaration_id=d["declaration_id"],
                type=d["type"],
                body=d["body"],
                sent_at=d["sent_at"],
                start=date.fromisoformat(d["start"]),
                end=_date(d.get("end")),
                late=bool(d.get("late")),
                result=d.get("result"),
                anomalies=tuple(Anomaly(a["code"], a.get("severity"), a.get("label", {})) for a in d["anomalies"]),
                answered_at=d.get("answered_at"),
            )
            for d in doc.get("declarations", [])
        ),
    )


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)
