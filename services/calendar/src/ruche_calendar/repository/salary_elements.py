"""What a worker's month sends to the payroll provider besides its days, in MongoDB: one document per worker and
month in `payroll_inputs` (`_id` = `<tenant>:<worker_id>:<YYYY-MM>`) with the salary elements (amounts as decimal
strings: FerretDB v1 has no Decimal128), the message, `locked`, a `version` and the pending events in `_outbox`,
all written by one single-document write guarded by the version (and `locked` ≠ true). And the answers given to
each bulk's `Idempotency-Key` in `salary_element_bulks` (`_id` = `<tenant>:<key>`)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from pymongo import ASCENDING
from pymongo.errors import BulkWriteError, DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.outbox import push_outbox

from ..domain.codes import Unit
from ..domain.salary_elements import Message, PayrollInputs, SalaryElement

PAYROLL_INPUTS = "payroll_inputs"
BULKS = "salary_element_bulks"


class Conflict(Exception):
    """Another writer changed the month since it was read (or locked it): read again."""


async def create_indexes(db: Db) -> None:
    await db[PAYROLL_INPUTS].create_index([("tenant", ASCENDING), ("month", ASCENDING), ("worker_id", ASCENDING)])


def inputs_id(tenant: str, worker_id: str, month: str) -> str:
    return f"{tenant}:{worker_id}:{month}"


async def get_inputs(db: Db, *, tenant: str, worker_id: str, month: str) -> PayrollInputs:
    """The worker's month as stored, or an empty one (version 0)."""
    doc = await db[PAYROLL_INPUTS].find_one(
        {"_id": inputs_id(tenant, worker_id, month), "tenant": tenant}, {"_outbox": 0}
    )
    if doc is None:
        return PayrollInputs(tenant=tenant, worker_id=worker_id, month=month)
    return _inputs(doc)


async def many_inputs(db: Db, *, tenant: str, worker_ids: list[str], month: str) -> dict[str, PayrollInputs]:
    """The stored months of these workers (one query for a batch), by worker; those not stored are left out."""
    ids = [inputs_id(tenant, w, month) for w in worker_ids]
    if not ids:
        return {}
    cursor = db[PAYROLL_INPUTS].find({"_id": {"$in": ids}, "tenant": tenant}, {"_outbox": 0})
    return {doc["worker_id"]: _inputs(doc) async for doc in cursor}


async def insert_new(db: Db, new: list[tuple[PayrollInputs, list[dict[str, Any]]]]) -> None:
    """Store months not stored yet, each with its events, in one insert (a bulk); DuplicateKeyError (or a
    BulkWriteError) when one was stored meanwhile: the caller goes one by one."""
    try:
        await outbox.insert_many(db[PAYROLL_INPUTS], [_new_doc(inputs, events) for inputs, events in new])
    except (DuplicateKeyError, BulkWriteError):
        raise Conflict("stored meanwhile") from None


def _new_doc(inputs: PayrollInputs, events: list[dict[str, Any]]) -> Document:
    return {
        "_id": inputs_id(inputs.tenant, inputs.worker_id, inputs.month),
        "tenant": inputs.tenant,
        "worker_id": inputs.worker_id,
        "month": inputs.month,
        "locked": False,
        "version": 1,
        **_state_doc(inputs),
        "_outbox": events,
    }


async def save_inputs(db: Db, inputs: PayrollInputs, *, events: list[dict[str, Any]]) -> PayrollInputs:
    """Store the month's elements and message with their events in one write, if nobody wrote it since it was read
    (its version) and it is not locked; Conflict otherwise. The stored month (the next version) is returned."""
    doc_id = inputs_id(inputs.tenant, inputs.worker_id, inputs.month)
    state = _state_doc(inputs)
    if inputs.version == 0:
        try:
            await outbox.insert(db[PAYROLL_INPUTS], _new_doc(inputs, events))
        except DuplicateKeyError:
            raise Conflict(doc_id) from None
    else:
        result = await outbox.update(
            db[PAYROLL_INPUTS],
            {"_id": doc_id, "tenant": inputs.tenant, "version": inputs.version, "locked": {"$ne": True}},
            {"$set": {**state, "version": inputs.version + 1}, "$push": push_outbox(events)},
        )
        if result.matched_count == 0:
            raise Conflict(doc_id)
    return PayrollInputs(
        inputs.tenant,
        inputs.worker_id,
        inputs.month,
        inputs.elements,
        inputs.message,
        inputs.locked,
        inputs.version + 1,
    )


async def set_locked(db: Db, *, tenant: str, worker_id: str, month: str, locked: bool = True) -> None:
    """Lock the worker's month (sent to the payroll provider) or unlock it; the send job locks this with the
    month's calendars."""
    await db[PAYROLL_INPUTS].update_one(
        {"_id": inputs_id(tenant, worker_id, month)},
        {
            "$set": {"locked": locked},
            "$setOnInsert": {
                "tenant": tenant,
                "worker_id": worker_id,
                "month": month,
                "version": 1,
                "elements": [],
                "message": None,
            },
        },
        upsert=True,
    )


# Bulk answers --------------------------------------------------------------------------------------------------
async def stored_answer(db: Db, *, tenant: str, key: str) -> dict[str, Any] | None:
    doc = await db[BULKS].find_one({"_id": f"{tenant}:{key}", "tenant": tenant})
    return None if doc is None else dict(doc["answer"])


async def store_answer(db: Db, *, tenant: str, key: str, answer: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Keep the answer; when the same key was answered meanwhile, that first answer stands and is returned."""
    try:
        await db[BULKS].insert_one(
            {"_id": f"{tenant}:{key}", "tenant": tenant, "key": key, "answer": answer, "created_at": now}
        )
    except DuplicateKeyError:
        first = await stored_answer(db, tenant=tenant, key=key)
        assert first is not None
        return first
    return answer


# Documents ⇄ domain ------------------------------------------------------------------------------------------
def _state_doc(inputs: PayrollInputs) -> Document:
    message = inputs.message
    return {
        "elements": [_element_doc(e) for e in inputs.elements],
        "message": {"text": message.text, "by": message.by, "at": message.at} if message else None,
    }


def _element_doc(e: SalaryElement) -> Document:
    return {
        "element_id": e.element_id,
        "code": e.code,
        "unit": e.unit.value,
        "amount": str(e.amount),
        "unit_amount": str(e.unit_amount) if e.unit_amount is not None else None,
        "days": e.days,
        "comment": e.comment,
        "added_by": e.added_by,
        "added_at": e.added_at,
    }


def _element(doc: Document) -> SalaryElement:
    return SalaryElement(
        element_id=doc["element_id"],
        code=doc["code"],
        unit=Unit(doc["unit"]),
        amount=Decimal(doc["amount"]),
        unit_amount=Decimal(doc["unit_amount"]) if doc.get("unit_amount") is not None else None,
        days=doc.get("days"),
        comment=doc.get("comment"),
        added_by=doc["added_by"],
        added_at=doc["added_at"],
    )


def _inputs(doc: Document) -> PayrollInputs:
    message = doc.get("message")
    return PayrollInputs(
        tenant=doc["tenant"],
        worker_id=doc["worker_id"],
        month=doc["month"],
        elements=tuple(_element(e) for e in doc.get("elements") or ()),
        message=Message(message["text"], message["by"], message["at"]) if message else None,
        locked=bool(doc.get("locked", False)),
        version=int(doc.get("version", 1)),
    )
