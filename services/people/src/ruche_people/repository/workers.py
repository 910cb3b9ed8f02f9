"""Workers in MongoDB: one document per worker with its personal data, the histories of address and civil status,
each field's origin, the onboarding state, a `version` guarding read-modify-write, and its pending events.

Dates are ISO strings (FerretDB stores no bare dates). `niss_key` is `{tenant}:{niss}` once registered and
`-:{worker id}` before, under a unique index: two registered workers of one employer never share a NISS, whatever
a database makes of missing fields in a unique index. `search` holds the names case- and accent-folded for the
list's prefix search. Every query filters by tenant.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError, OperationFailure
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.paging import find_page

from ..domain.errors import ConcurrentUpdate, WorkerAlreadyRegistered, WorkerNotFound
from ..domain.history import Dated, History
from ..domain.onboarding import Onboarding
from ..domain.personal_data import Address, PersonalData, address_fields
from ..domain.workers import Period, Status, Worker, search_key, status_on
from .names import CONTRACT_LEDGERS, WORKERS

NO_OUTBOX = {"_outbox": 0}
DATE_FIELDS = frozenset({"birth_date", "civil_status_date"})
SORTS = {
    "last_name": [("search.last_name", 1), ("search.first_name", 1)],
    "first_name": [("search.first_name", 1), ("search.last_name", 1)],
    "created": [("created_at", 1)],
}


async def create_indexes(db: Db) -> None:
    await db[WORKERS].create_index([("niss_key", ASCENDING)], unique=True, name="niss_key")
    await db[WORKERS].create_index([("tenant", ASCENDING), ("search.last_name", ASCENDING)], name="tenant_last_name")


# Writes ------------------------------------------------------------------------------------------------------
async def insert_worker(db: Db, worker: Worker, *, entries: list[dict[str, Any]]) -> None:
    doc = {"_id": worker.worker_id, **worker_document(worker), "version": 1, outbox.OUTBOX_FIELD: entries}
    try:
        await outbox.insert(db[WORKERS], doc)
    except DuplicateKeyError as exc:
        raise WorkerAlreadyRegistered("A worker with this NISS is already registered for this employer.") from exc


async def insert_workers(db: Db, batch: list[tuple[Worker, list[dict[str, Any]]]]) -> None:
    """New workers with their entries in one insert (a bulk hire); a worker whose id or NISS is taken fails it."""
    docs = [
        {"_id": worker.worker_id, **worker_document(worker), "version": 1, outbox.OUTBOX_FIELD: entries}
        for worker, entries in batch
    ]
    try:
        await outbox.insert_many(db[WORKERS], docs)
    except OperationFailure as exc:  # BulkWriteError; FerretDB 1.24 may answer code 1 for a unique index
        raise WorkerAlreadyRegistered("A worker of this batch is stored already.") from exc


async def stored_ids(db: Db, *, tenant: str, worker_ids: list[str]) -> set[str]:
    """Which of these workers exist (one query by `_id`)."""
    cursor = db[WORKERS].find({"_id": {"$in": worker_ids}, "tenant": tenant}, {"_id": 1})
    return {doc["_id"] async for doc in cursor}


async def save_worker(db: Db, worker: Worker, *, entries: list[dict[str, Any]]) -> None:
    """Store the worker's new state and its entries, only if nobody changed it since it was read (`version`)."""
    change: dict[str, Any] = {"$set": worker_document(worker), "$inc": {"version": 1}}
    if entries:
        change["$push"] = outbox.push_outbox(entries)
    try:
        result = await outbox.update(
            db[WORKERS], {"_id": worker.worker_id, "tenant": worker.tenant, "version": worker.version}, change
        )
    except OperationFailure as exc:  # DuplicateKeyError; FerretDB 1.24 answers an update's with code 1
        if isinstance(exc, DuplicateKeyError) or "UNIQUE constraint failed" in str(exc):
            raise WorkerAlreadyRegistered("A worker with this NISS is already registered for this employer.") from exc
        raise
    if result.matched_count == 0:
        raise ConcurrentUpdate(f"Worker {worker.worker_id} changed meanwhile.")


# Reads -------------------------------------------------------------------------------------------------------
async def get_worker(db: Db, *, tenant: str, worker_id: str) -> Worker:
    doc = await db[WORKERS].find_one({"_id": worker_id, "tenant": tenant}, NO_OUTBOX)
    if doc is None:
        raise WorkerNotFound(f"No worker {worker_id} for this employer.")
    return to_worker(doc)


async def niss_registered(db: Db, *, tenant: str, niss: str) -> bool:
    """Whether a worker of the employer is registered with this NISS."""
    return await db[WORKERS].find_one({"niss_key": f"{tenant}:{niss}"}, {"_id": 1}) is not None


@dataclass(frozen=True)
class WorkerQuery:
    q: str | None = None
    niss: str | None = None
    status: Status | None = None
    on: date | None = None
    sort: str = "last_name"
    limit: int = 50
    offset: int = 0


async def list_workers(db: Db, *, tenant: str, query: WorkerQuery) -> tuple[list[Worker], int]:
    """A page of the employer's workers matching the query, and how many match."""
    filter: dict[str, Any] = {"tenant": tenant}
    if query.q:
        prefix = {"$regex": f"^{re.escape(search_key(query.q))}"}
        filter["$or"] = [{f"search.{name}": prefix} for name in ("first_name", "last_name", "full", "reverse")]
    if query.niss:
        filter["personal_data.niss"] = query.niss
    if query.status is not None:
        ids = await worker_ids_with_status(db, tenant=tenant, status=query.status, on=query.on or date.today())
        filter["_id"] = {"$in": sorted(ids)}
    descending = query.sort.startswith("-")
    sort = [(key, -1 if descending else 1) for key, _ in SORTS[query.sort.removeprefix("-")]]
    docs, total = await find_page(db[WORKERS], filter, sort=sort, limit=query.limit, offset=query.offset)
    return [to_worker(d) for d in docs], total


async def worker_ids_with_status(db: Db, *, tenant: str, status: Status, on: date) -> set[str]:
    """The workers whose contract periods (in the contract ledgers) give them `status` on `on`."""
    found = set()
    async for ledger in db[CONTRACT_LEDGERS].find({"tenant": tenant}, {"periods": 1}):
        if status_on(_periods(ledger), on) == status:
            found.add(ledger["_id"])
    return found


async def statuses(db: Db, *, tenant: str, worker_ids: list[str], on: date) -> dict[str, Status | None]:
    """Each worker's status on `on` (None without a contract), from their ledgers read by `_id`."""
    found: dict[str, Status | None] = dict.fromkeys(worker_ids)
    async for ledger in db[CONTRACT_LEDGERS].find({"_id": {"$in": worker_ids}, "tenant": tenant}, {"periods": 1}):
        found[ledger["_id"]] = status_on(_periods(ledger), on)
    return found


def _periods(ledger: Document) -> list[Period]:
    return [
        Period(
            start=date.fromisoformat(p["start"]),
            end=date.fromisoformat(p["end"]) if p.get("end") else None,
            cancelled=bool(p.get("cancelled")),
        )
        for p in ledger.get("periods", [])
    ]


# Documents ---------------------------------------------------------------------------------------------------
def worker_document(worker: Worker) -> Document:
    """Every field of the worker but `_id` and `version`."""
    data = worker.personal_data
    return {
        "tenant": worker.tenant,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "work_email": worker.work_email,
        "search": {
            "first_name": search_key(worker.first_name),
            "last_name": search_key(worker.last_name),
            "full": search_key(f"{worker.first_name} {worker.last_name}"),
            "reverse": search_key(f"{worker.last_name} {worker.first_name}"),
        },
        "created_at": worker.created_at,
        "registered": worker.registered,
        "niss_key": f"{worker.tenant}:{data.niss}" if worker.registered and data else f"-:{worker.worker_id}",
        "personal_data": None if data is None else encode_fields(data.as_fields()),
        "origins": dict(worker.origins),
        "addresses": [
            {"effective_date": e.effective_date.isoformat(), "value": address_fields(e.value)}
            for e in worker.addresses.entries
        ],
        "civil_statuses": [
            {"effective_date": e.effective_date.isoformat(), "value": e.value} for e in worker.civil_statuses.entries
        ],
        "onboarding": None if worker.onboarding is None else _onboarding_document(worker.onboarding),
    }


def to_worker(doc: Mapping[str, Any]) -> Worker:
    data = doc.get("personal_data")
    return Worker(
        worker_id=doc["_id"],
        tenant=doc["tenant"],
        first_name=doc["first_name"],
        last_name=doc["last_name"],
        work_email=doc["work_email"],
        registered=bool(doc.get("registered")),
        personal_data=None if data is None else PersonalData(**decode_fields(data)),
        version=doc.get("version", 0),
        created_at=doc.get("created_at"),
        origins=doc.get("origins") or {},
        addresses=History(
            tuple(
                Dated(date.fromisoformat(e["effective_date"]), Address(**e["value"])) for e in doc.get("addresses", [])
            )
        ),
        civil_statuses=History(
            tuple(Dated(date.fromisoformat(e["effective_date"]), e["value"]) for e in doc.get("civil_statuses", []))
        ),
        onboarding=None if doc.get("onboarding") is None else _to_onboarding(doc["onboarding"]),
    )


def encode_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _encode(value) for name, value in values.items()}


def decode_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _decode(name, value) for name, value in values.items()}


def _encode(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Address):
        return address_fields(value)
    return value


def _decode(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in DATE_FIELDS:
        return date.fromisoformat(value)
    if name == "address":
        return Address(**value)
    return value


def _onboarding_document(onboarding: Onboarding) -> Document:
    return {
        "state": onboarding.state,
        "email": onboarding.email,
        "language": onboarding.language,
        "link": onboarding.link,
        "sent_at": onboarding.sent_at,
        "expires_at": onboarding.expires_at,
        "draft": encode_fields(onboarding.draft),
        "corrected": list(onboarding.corrected),
        "submitted_at": onboarding.submitted_at,
        "validated_at": onboarding.validated_at,
        "validated_by": onboarding.validated_by,
    }


def _to_onboarding(doc: Mapping[str, Any]) -> Onboarding:
    return Onboarding(
        state=doc["state"],
        email=doc["email"],
        language=doc["language"],
        link=doc["link"],
        sent_at=doc["sent_at"],
        expires_at=doc["expires_at"],
        draft=decode_fields(doc.get("draft") or {}),
        corrected=tuple(doc.get("corrected") or ()),
        submitted_at=doc.get("submitted_at"),
        validated_at=doc.get("validated_at"),
        validated_by=doc.get("validated_by"),
    )
