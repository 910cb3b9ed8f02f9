"""Bulk hire: up to 500 workers with their personal data and a contract in one call, under an Idempotency-Key.

Every item is checked first, on its own and without writing (names, personal data, contract, a NISS not already
registered nor twice in the batch), so a refused item creates nothing. The good ones are then written through
the workers' use cases, several at a time, and their contracts in a few bulk writes (ledgers, then the Dimona
queue's notes, then the contracts: the order of the one-by-one path). Ids come from (tenant, key, index) (UUID 5),
so a retry after a crash mid-batch finds what was written and creates no duplicate. The answer is stored under
(tenant, key) before it is returned; the same key again returns it and creates nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ruche_servicekit.errors import DomainError
from ruche_servicekit.mongo import Db
from ruche_servicekit.problems import PROBLEM_BASE

from ..domain import contracts as contract_rules
from ..domain import personal_data as personal_rules
from ..domain import workers as worker_rules
from ..domain.contracts import Contract
from ..domain.errors import WorkerAlreadyRegistered
from ..domain.personal_data import PersonalData
from ..domain.readiness import WorkerFacts
from ..repository import bulk_hires, contract_ledgers, dimona_queue
from ..repository import contracts as contract_store
from . import contract_events, contracts, workers
from .common import today_in_belgium

CONCURRENCY = 16  # items written at the same time
NAMESPACE = uuid.UUID("6f1c1a52-8d0e-4a47-9c55-6c1f4e0b7a11")


@dataclass(frozen=True)
class Item:
    index: int
    first_name: str
    last_name: str
    work_email: str
    personal_data: Mapping[str, Any]
    contract: Mapping[str, Any]


@dataclass(frozen=True)
class Refused:
    """An item refused at the edge (its schema), with its problem details."""

    index: int
    problem: dict[str, Any]


@dataclass(frozen=True)
class Checked:
    index: int
    item: Item
    worker_id: str
    data: PersonalData
    contract: Contract


def problem_of(error: DomainError, prefix: str = "") -> dict[str, Any]:
    """The problem details of one item, as the API answers them (the field as a path in the item)."""
    problem: dict[str, Any] = {
        "type": f"{PROBLEM_BASE}{error.kind}",
        "title": error.title,
        "status": error.status,
        "detail": str(error),
    }
    if error.field:
        field = f"{prefix}{error.field}"
        problem["errors"] = [{"field": field, "location": "body", "message": str(error), "type": error.kind}]
    return problem


def _ids(tenant: str, key: str, index: int) -> tuple[str, str]:
    return (
        str(uuid.uuid5(NAMESPACE, f"{tenant}:{key}:{index}:worker")),
        str(uuid.uuid5(NAMESPACE, f"{tenant}:{key}:{index}:contract")),
    )


async def hire(
    db: Db, *, tenant: str, key: str, items: Sequence[Item | Refused], actor: str, now: datetime
) -> dict[str, Any]:
    stored = await bulk_hires.stored_answer(db, tenant=tenant, key=key)
    if stored is not None:
        return stored
    results: dict[int, dict[str, Any]] = {}
    good: list[Checked] = []
    for item in items:
        if isinstance(item, Refused):
            results[item.index] = {"index": item.index, "status": "refused", "problem": item.problem}
            continue
        checked = _check(tenant, key, item, now=now)
        if isinstance(checked, Checked):
            good.append(checked)
        else:
            results[item.index] = {"index": item.index, "status": "refused", "problem": checked}
    for checked, problem in await _niss_clashes(db, tenant, good):
        results[checked.index] = {"index": checked.index, "status": "refused", "problem": problem}
    good = [c for c in good if c.index not in results]
    results |= await _write(db, good, actor=actor, now=now)
    answer = {"results": [results[i] for i in sorted(results)]}
    return await bulk_hires.store_answer(db, tenant=tenant, key=key, answer=answer, now=now)


def _check(tenant: str, key: str, item: Item, *, now: datetime) -> Checked | dict[str, Any]:
    worker_id, contract_id = _ids(tenant, key, item.index)
    try:
        worker_rules.new_worker(
            worker_id=worker_id,
            tenant=tenant,
            first_name=item.first_name,
            last_name=item.last_name,
            work_email=item.work_email,
            now=now,
        )
    except DomainError as error:
        return problem_of(error)
    try:
        data = personal_rules.complete(item.personal_data, today=today_in_belgium(now))
    except DomainError as error:
        return problem_of(error, "personal_data.")
    facts = WorkerFacts(registered=True, niss=data.niss, birth_date=data.birth_date)
    try:
        contract = contracts.new_contract(
            tenant=tenant, worker_id=worker_id, contract_id=contract_id, values=item.contract, facts=facts, now=now
        )
    except DomainError as error:
        return problem_of(error, "contract.")
    return Checked(item.index, item, worker_id, data, contract)


async def _niss_clashes(db: Db, tenant: str, good: list[Checked]) -> list[tuple[Checked, dict[str, Any]]]:
    """Items whose NISS another worker of the employer has (or an earlier item of the batch)."""
    taken = await bulk_hires.registered_niss(db, tenant=tenant, niss=[c.data.niss for c in good])
    clashes, seen = [], set()
    for checked in good:
        owner = taken.get(checked.data.niss)
        if (owner is not None and owner != checked.worker_id) or checked.data.niss in seen:
            error = WorkerAlreadyRegistered("A worker with this NISS is already registered for this employer.")
            clashes.append((checked, problem_of(error, "personal_data.")))
        seen.add(checked.data.niss)
    return clashes


async def _write(db: Db, good: list[Checked], *, actor: str, now: datetime) -> dict[int, dict[str, Any]]:
    """The workers in one insert (those an earlier try stored, or a failed insert left, one by one), then the
    contracts in a few bulk writes."""
    results: dict[int, dict[str, Any]] = {}
    hires = [
        workers.NewHire(
            tenant=c.contract.tenant,
            worker_id=c.worker_id,
            first_name=c.item.first_name,
            last_name=c.item.last_name,
            work_email=c.item.work_email,
            data=c.data,
        )
        for c in good
    ]
    again = await workers.add_registered_workers(db, hires, now=now)
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(checked: Checked) -> None:
        async with gate:
            try:
                await _worker(db, checked, actor=actor, now=now)
            except DomainError as error:
                results[checked.index] = {"index": checked.index, "status": "refused", "problem": problem_of(error)}

    await asyncio.gather(*(one(c) for c in good if c.worker_id in again))
    signed = [c for c in good if c.index not in results]
    await _contracts(db, [c.contract for c in signed], now=now)
    for checked in signed:
        results[checked.index] = {
            "index": checked.index,
            "status": "created",
            "worker_id": checked.worker_id,
            "contract_id": checked.contract.contract_id,
        }
    return results


async def _worker(db: Db, checked: Checked, *, actor: str, now: datetime) -> None:
    """One worker the one-by-one way: added unless an earlier try did, then registered unless it was."""
    item, tenant = checked.item, checked.contract.tenant
    try:
        await workers.add_worker(
            db,
            tenant=tenant,
            worker_id=checked.worker_id,
            first_name=item.first_name,
            last_name=item.last_name,
            work_email=item.work_email,
            now=now,
        )
        registered = False
    except WorkerAlreadyRegistered:  # this id exists: written by an earlier try of the same key
        registered = (await workers.get_worker(db, tenant=tenant, worker_id=checked.worker_id)).registered
    if not registered:
        await workers.fill_personal_data(
            db, tenant=tenant, worker_id=checked.worker_id, data=checked.data, actor=actor, now=now
        )


async def _contracts(db: Db, signed: list[Contract], *, now: datetime) -> None:
    """The ledgers of the new workers in one write, then the Dimona queue's notes, then the contracts; a worker
    whose ledger exists already (an earlier try) goes the one-by-one way."""
    had_ledger = await contract_ledgers.insert_new_ledgers(
        db, [(c.tenant, c.worker_id, contract_rules.period_of(c)) for c in signed]
    )
    fresh = [c for c in signed if c.worker_id not in had_ledger]
    notes = [
        dimona_queue.Entry(c.contract_id, c.tenant, c.worker_id, now) for c in fresh if c.dimona.state == "to_declare"
    ]
    await dimona_queue.note_many(db, notes)
    await contract_store.insert_contracts(db, [(c, [contract_events.contract_signed(c)]) for c in fresh])
    for contract in signed:
        if contract.worker_id in had_ledger:
            await contracts.store_signed(db, contract, now=now)
