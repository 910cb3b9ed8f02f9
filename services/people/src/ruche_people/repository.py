"""Workers in MongoDB: one document per worker, its contracts embedded, its pending events in `_outbox`.

Keeping contracts inside the worker document makes the worker the unit of consistency: a contract and its
event are one single-document write, and all of a worker's events leave in the order they were raised.
Every query filters by tenant; every lookup and update of one worker goes by `_id` (the only index FerretDB
uses), the list alone scans.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.paging import find_page

from .domain import ConcurrentUpdate, Contract, Worker, WorkerAlreadyRegistered, WorkerNotFound

WORKERS = "workers"


async def create_indexes(db: Db) -> None:
    # Unique NISS per employer: a second registration fails the insert itself (no lookup needed).
    await db[WORKERS].create_index([("tenant", ASCENDING), ("niss", ASCENDING)], unique=True, name="tenant_niss")
    await db[WORKERS].create_index([("tenant", ASCENDING), ("last_name", ASCENDING)], name="tenant_last_name")


async def insert_worker(db: Db, worker: Worker, *, events: list[dict[str, Any]]) -> None:
    doc = {**_worker_doc(worker), "contracts": [], "version": 1, outbox.OUTBOX_FIELD: events}
    try:
        await outbox.insert(db[WORKERS], doc)
    except DuplicateKeyError as exc:
        raise WorkerAlreadyRegistered("A worker with this NISS is already registered for this employer.") from exc


async def get_worker(db: Db, *, tenant: str, worker_id: str) -> Worker:
    doc = await db[WORKERS].find_one({"_id": worker_id, "tenant": tenant}, {"_outbox": 0})
    if doc is None:
        raise WorkerNotFound(f"No worker {worker_id} for this employer.")
    return _worker(doc)


async def list_workers(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[Worker], int]:
    sort = [("last_name", 1), ("first_name", 1)]
    docs, total = await find_page(db[WORKERS], {"tenant": tenant}, sort=sort, limit=limit, offset=offset)
    return [_worker(d) for d in docs], total


async def add_contract(db: Db, worker: Worker, contract: Contract, *, events: list[dict[str, Any]]) -> None:
    """Append the contract and its events, only if nobody changed the worker since it was read."""
    result = await outbox.update(
        db[WORKERS],
        {"_id": worker.worker_id, "tenant": worker.tenant, "version": worker.version},
        {"$push": {"contracts": _contract_doc(contract), **outbox.push_outbox(events)}, "$inc": {"version": 1}},
    )
    if result.matched_count == 0:
        raise ConcurrentUpdate(f"Worker {worker.worker_id} changed while the contract was being signed.")


def _worker_doc(worker: Worker) -> Document:
    return {
        "_id": worker.worker_id,
        "tenant": worker.tenant,
        "first_name": worker.first_name,
        "last_name": worker.last_name,
        "niss": worker.niss,
        "birth_date": worker.birth_date.isoformat(),
        "sex": worker.sex,
        "nationality": worker.nationality,
        "work_email": worker.work_email,
        "birth_place": worker.birth_place,
        "mobile_phone": worker.mobile_phone,
    }


def _worker(doc: Document) -> Worker:
    return Worker(
        worker_id=doc["_id"],
        tenant=doc["tenant"],
        first_name=doc["first_name"],
        last_name=doc["last_name"],
        niss=doc["niss"],
        birth_date=date.fromisoformat(doc["birth_date"]),
        sex=doc["sex"],
        nationality=doc["nationality"],
        work_email=doc["work_email"],
        birth_place=doc.get("birth_place"),
        mobile_phone=doc.get("mobile_phone"),
        contracts=tuple(_contract(c) for c in doc.get("contracts", [])),
        version=doc.get("version", 0),
    )


def _contract_doc(contract: Contract) -> Document:
    return {
        "contract_id": contract.contract_id,
        "start_date": contract.start_date.isoformat(),
        "end_date": contract.end_date.isoformat() if contract.end_date else None,
        "contract_type": contract.contract_type,
        # Decimals as strings: exact, and FerretDB v1 has no Decimal128.
        "weekly_hours": str(contract.weekly_hours),
        "gross_monthly_salary": str(contract.gross_monthly_salary),
        "joint_committee": contract.joint_committee,
        "worker_type": contract.worker_type,
    }


def _contract(doc: Document) -> Contract:
    return Contract(
        contract_id=doc["contract_id"],
        start_date=date.fromisoformat(doc["start_date"]),
        end_date=date.fromisoformat(doc["end_date"]) if doc.get("end_date") else None,
        contract_type=doc["contract_type"],
        weekly_hours=Decimal(doc["weekly_hours"]),
        gross_monthly_salary=Decimal(doc["gross_monthly_salary"]),
        joint_committee=doc["joint_committee"],
        worker_type=doc["worker_type"],
    )
