"""Contract ledgers: one document per worker, `{_id: worker id, tenant, version, periods: [{contract_id, start,
end, cancelled}]}` (dates as ISO strings, `end` null when open). The overlap rule is checked against it and a new
period claimed with one compare-and-set on `version`. The worker list reads it for its status filter."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from pymongo.errors import DuplicateKeyError
from ruche_servicekit.mongo import Db

from ..domain.contracts import Period
from .names import CONTRACT_LEDGERS


@dataclass(frozen=True)
class Ledger:
    worker_id: str
    tenant: str
    periods: tuple[Period, ...] = ()
    version: int = 0  # 0: not stored yet


async def get_ledger(db: Db, *, tenant: str, worker_id: str) -> Ledger:
    doc = await db[CONTRACT_LEDGERS].find_one({"_id": worker_id, "tenant": tenant})
    if doc is None:
        return Ledger(worker_id, tenant)
    return Ledger(worker_id, tenant, tuple(_period(p) for p in doc.get("periods", [])), doc["version"])


async def put_ledger(db: Db, ledger: Ledger, periods: Iterable[Period]) -> bool:
    """Store the periods if the ledger is still at the version read; False when another write came first."""
    listed = [_document(p) for p in periods]
    if ledger.version == 0:
        try:
            await db[CONTRACT_LEDGERS].insert_one(
                {"_id": ledger.worker_id, "tenant": ledger.tenant, "version": 1, "periods": listed}
            )
        except DuplicateKeyError:
            return False
        return True
    result = await db[CONTRACT_LEDGERS].update_one(
        {"_id": ledger.worker_id, "tenant": ledger.tenant, "version": ledger.version},
        {"$set": {"periods": listed}, "$inc": {"version": 1}},
    )
    return result.matched_count == 1


async def insert_new_ledgers(db: Db, ledgers: list[tuple[str, str, Period]]) -> set[str]:
    """First ledgers of new workers (tenant, worker id, period) in one write; the worker ids that had one
    already (left for the one-by-one path)."""
    if not ledgers:
        return set()
    ids = [worker_id for _, worker_id, _ in ledgers]
    existing = {d["_id"] async for d in db[CONTRACT_LEDGERS].find({"_id": {"$in": ids}}, {"_id": 1})}
    docs = [
        {"_id": worker_id, "tenant": tenant, "version": 1, "periods": [_document(period)]}
        for tenant, worker_id, period in ledgers
        if worker_id not in existing
    ]
    if docs:
        await db[CONTRACT_LEDGERS].insert_many(docs, ordered=False)
    return existing


def _document(period: Period) -> dict[str, Any]:
    return {
        "contract_id": period.contract_id,
        "start": period.start.isoformat(),
        "end": None if period.end is None else period.end.isoformat(),
        "cancelled": period.cancelled,
    }


def _period(doc: dict[str, Any]) -> Period:
    end = doc.get("end")
    return Period(
        doc["contract_id"],
        date.fromisoformat(doc["start"]),
        None if end is None else date.fromisoformat(end),
        cancelled=bool(doc.get("cancelled")),
    )
