"""One-off salary elements and the message to the payroll provider of a worker's month: added and removed one by
one, added in bulk (one code, a value per worker) under an Idempotency-Key, and read. Each change is stored with
its event (SalaryElementAdded, SalaryElementRemoved, PayrollMessageChanged) in the same single-document write.

The worker must have a contract covering the month (the month grid's knowledge: `get_month`), the code must be
one of the employer's active salary-element codes (`active_code`), and a locked month (sent to the payroll
provider) refuses every change (409 `month-locked`)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from ruche_contracts import new_event, topics
from ruche_contracts.payroll_calendar import PayrollMessageChanged, SalaryElementAdded, SalaryElementRemoved
from ruche_servicekit.errors import DomainError
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry
from ruche_servicekit.problems import PROBLEM_BASE

from ..domain import MonthLocked, MonthNotCovered
from ..domain.salary_elements import PayrollInputs, SalaryElement, ensure_salary_element, new_element
from ..repository import calendars as calendar_store
from ..repository import salary_elements as store
from . import codes
from .calendars import get_month

ATTEMPTS = 5  # writes retried after a concurrent writer changed the month
NAMESPACE = uuid.UUID("3b8f3c1e-2f4d-4e0a-8a7b-5d1c9e6f2a47")  # ids of the elements of a bulk


class WorkerNotInService(DomainError):
    kind, title, field = "worker-not-in-service", "No contract of this worker covers the month", "worker_id"


class WorkerTwiceInBulk(DomainError):
    kind, title, field = "worker-twice-in-bulk", "This worker is already in the bulk", "worker_id"


async def _open_inputs(db: Db, *, tenant: str, worker_id: str, month: str) -> PayrollInputs:
    """The worker's month to change: MonthNotCovered (404) when no contract covers it, MonthLocked (409) when
    its calendar was sent."""
    covered = await get_month(db, tenant=tenant, worker_id=worker_id, month=month)
    if covered.locked:
        raise MonthLocked(f"{month} is locked: it was sent to the payroll provider.")
    return covered.inputs or await store.get_inputs(db, tenant=tenant, worker_id=worker_id, month=month)


async def read_inputs(db: Db, *, tenant: str, worker_id: str, month: str) -> PayrollInputs:
    """The worker's salary elements and message of a month a contract covers (404 `month-not-found` otherwise)."""
    covered = await get_month(db, tenant=tenant, worker_id=worker_id, month=month)
    return covered.inputs or await store.get_inputs(db, tenant=tenant, worker_id=worker_id, month=month)


async def add_salary_element(
    db: Db,
    *,
    tenant: str,
    worker_id: str,
    month: str,
    code: str,
    amount: Decimal | None = None,
    unit_amount: Decimal | None = None,
    days: int | None = None,
    comment: str | None = None,
    by: str,
    now: datetime,
    element_id: str | None = None,
) -> SalaryElement:
    """Add a salary element to the worker's month, with SalaryElementAdded in the same write."""
    active = await codes.active_code(db, tenant=tenant, code=code)
    element = new_element(
        active,
        month=month,
        element_id=element_id or str(uuid.uuid4()),
        amount=amount,
        unit_amount=unit_amount,
        days=days,
        comment=comment,
        by=by,
        at=now,
    )
    await _add(db, tenant=tenant, worker_id=worker_id, month=month, element=element)
    return element


async def _add(db: Db, *, tenant: str, worker_id: str, month: str, element: SalaryElement) -> None:
    for _ in range(ATTEMPTS):
        inputs = await _open_inputs(db, tenant=tenant, worker_id=worker_id, month=month)
        changed = inputs.with_element(element)
        if changed is inputs:  # added before (a retry with the same id)
            return
        try:
            await store.save_inputs(db, changed, events=[_added(changed, element)])
            return
        except store.Conflict:
            continue
    raise store.Conflict(f"{worker_id}:{month}")


async def remove_salary_element(
    db: Db, *, tenant: str, worker_id: str, month: str, element_id: str, by: str, now: datetime
) -> SalaryElement:
    """Remove a salary element from the worker's month (404 `salary-element-not-found`), with
    SalaryElementRemoved in the same write."""
    for _ in range(ATTEMPTS):
        inputs = await _open_inputs(db, tenant=tenant, worker_id=worker_id, month=month)
        changed, removed = inputs.without_element(element_id)
        event = SalaryElementRemoved(
            worker_id=worker_id,
            month=month,
            element_id=element_id,
            code=removed.code,
            amount=removed.amount,
            removed_by=by,
        )
        try:
            await store.save_inputs(db, changed, events=[_entry(changed, event, now)])
            return removed
        except store.Conflict:
            continue
    raise store.Conflict(f"{worker_id}:{month}")


async def set_message(
    db: Db, *, tenant: str, worker_id: str, month: str, text: str, by: str, now: datetime
) -> PayrollInputs:
    """Write the month's message to the payroll provider (blank: remove it), with PayrollMessageChanged in the
    same write; the same text again changes nothing."""
    for _ in range(ATTEMPTS):
        inputs = await _open_inputs(db, tenant=tenant, worker_id=worker_id, month=month)
        changed = inputs.with_message(text, by=by, at=now)
        if (changed.message and changed.message.text) == (inputs.message and inputs.message.text):
            return inputs
        event = PayrollMessageChanged(
            worker_id=worker_id, month=month, text=changed.message.text if changed.message else "", changed_by=by
        )
        try:
            return await store.save_inputs(db, changed, events=[_entry(changed, event, now)])
        except store.Conflict:
            continue
    raise store.Conflict(f"{worker_id}:{month}")


def _added(inputs: PayrollInputs, e: SalaryElement) -> dict[str, Any]:
    event = SalaryElementAdded(
        worker_id=inputs.worker_id,
        month=inputs.month,
        element_id=e.element_id,
        code=e.code,
        unit=e.unit.value,
        amount=e.amount,
        unit_amount=e.unit_amount,
        days=e.days,
        comment=e.comment,
        added_by=e.added_by,
    )
    return _entry(inputs, event, e.added_at)


def _entry(inputs: PayrollInputs, payload: Any, at: datetime) -> dict[str, Any]:
    return event_entry(
        topics.CALENDAR_CALENDARS, new_event(payload, tenant=inputs.tenant, subject=inputs.worker_id, time=at)
    )


# Bulk ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BulkItem:
    index: int
    worker_id: str
    amount: Decimal | None = None
    unit_amount: Decimal | None = None
    days: int | None = None
    comment: str | None = None


@dataclass(frozen=True)
class Refused:
    """An item refused at the edge (its schema), with its problem details."""

    index: int
    worker_id: str | None
    problem: dict[str, Any]


def problem_of(error: DomainError, prefix: str = "", *, field: str | None = None) -> dict[str, Any]:
    """The problem details of one item, as the API answers them (the field as a path: `items.3.amount`)."""
    problem: dict[str, Any] = {
        "type": f"{PROBLEM_BASE}{error.kind}",
        "title": error.title,
        "status": error.status,
        "detail": str(error),
    }
    named = field or error.field
    if named:
        problem["errors"] = [
            {"field": f"{prefix}{named}", "location": "body", "message": str(error), "type": error.kind}
        ]
    return problem


def bulk_element_id(tenant: str, key: str, index: int) -> str:
    """The id of item `index` of the bulk `key`: the same on a retry, so a retry after a crash adds nothing twice."""
    return str(uuid.uuid5(NAMESPACE, f"{tenant}:{key}:{index}"))


async def add_in_bulk(
    db: Db,
    *,
    tenant: str,
    key: str,
    month: str,
    code: str,
    items: Sequence[BulkItem | Refused],
    by: str,
    now: datetime,
) -> dict[str, Any]:
    """One salary element of `code` for each item's worker in `month`, each with its own value; a result per item
    (created with its element id, or refused with a problem naming `items.<i>.<field>`). The code itself must be
    an active salary-element code (else the whole bulk is refused, naming `code`). The answer is stored under
    (tenant, key) before it is returned; the same key again returns it and adds nothing."""
    stored = await store.stored_answer(db, tenant=tenant, key=key)
    if stored is not None:
        return stored
    active = ensure_salary_element(await codes.active_code(db, tenant=tenant, code=code))
    results: list[dict[str, Any]] = []
    checked: list[tuple[BulkItem, SalaryElement]] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Refused):
            results.append(_refused(item.index, item.worker_id, item.problem))
            continue
        try:
            if item.worker_id in seen:
                raise WorkerTwiceInBulk("An earlier item of this bulk has this worker.")
            seen.add(item.worker_id)
            element = new_element(
                active,
                month=month,
                element_id=bulk_element_id(tenant, key, item.index),
                amount=item.amount,
                unit_amount=item.unit_amount,
                days=item.days,
                comment=item.comment,
                by=by,
                at=now,
            )
        except DomainError as error:
            results.append(_refused(item.index, item.worker_id, problem_of(error, f"items.{item.index}.")))
            continue
        checked.append((item, element))
    results += await _write_bulk(db, tenant=tenant, month=month, checked=checked)
    answer = {"month": month, "code": active.code, "results": sorted(results, key=lambda r: r["index"])}
    return await store.store_answer(db, tenant=tenant, key=key, answer=answer, now=now)


async def _write_bulk(
    db: Db, *, tenant: str, month: str, checked: list[tuple[BulkItem, SalaryElement]]
) -> list[dict[str, Any]]:
    """Two reads for the whole batch (the workers' calendars: who is covered, whose month is locked; their
    months already stored), the months not stored yet in one insert, the others one by one (as a retry or a
    concurrent writer needs: by id, so nothing is added twice)."""
    worker_ids = [item.worker_id for item, _ in checked]
    calendars = await calendar_store.workers_calendars(db, tenant=tenant, worker_ids=worker_ids)
    stored = await store.many_inputs(db, tenant=tenant, worker_ids=worker_ids, month=month)
    results: list[dict[str, Any]] = []
    fresh: list[tuple[BulkItem, SalaryElement]] = []
    again: list[tuple[BulkItem, SalaryElement]] = []
    for item, element in checked:
        covering = [c for c in calendars.get(item.worker_id, []) if not c.cancelled and c.terms.covers_month(month)]
        if not covering:
            error: DomainError = WorkerNotInService(f"No contract of this worker covers {month}.")
        elif any(c.month == month and c.locked for c in covering):
            error = MonthLocked(f"{month} is locked: it was sent to the payroll provider.")
        else:
            (fresh if item.worker_id not in stored else again).append((item, element))
            continue
        results.append(
            _refused(item.index, item.worker_id, problem_of(error, f"items.{item.index}.", field="worker_id"))
        )
    new = [PayrollInputs(tenant, item.worker_id, month).with_element(element) for item, element in fresh]
    try:
        await store.insert_new(db, [(inputs, [_added(inputs, inputs.elements[0])]) for inputs in new])
    except store.Conflict:
        again = fresh + again  # one was stored meanwhile: each the one-by-one way (by id: none added twice)
    else:
        results += [_created(item, element) for item, element in fresh]
    for item, element in again:
        try:
            try:
                await _add(db, tenant=tenant, worker_id=item.worker_id, month=month, element=element)
            except MonthNotCovered:
                raise WorkerNotInService(f"No contract of this worker covers {month}.") from None
        except DomainError as error:
            field = "worker_id" if isinstance(error, MonthLocked) else None
            results.append(_refused(item.index, item.worker_id, problem_of(error, f"items.{item.index}.", field=field)))
            continue
        results.append(_created(item, element))
    return results


def _created(item: BulkItem, element: SalaryElement) -> dict[str, Any]:
    return {"index": item.index, "worker_id": item.worker_id, "status": "created", "element_id": element.element_id}


def _refused(index: int, worker_id: str | None, problem: dict[str, Any]) -> dict[str, Any]:
    return {"index": index, "worker_id": worker_id, "status": "refused", "problem": problem}
