"""Contracts: sign, amend, end early, cancel, read; readiness; and the hook the workers' use cases call when a
worker's personal data first count.

Writes are ordered so that a crash loses nothing without multi-document transactions: the worker's contract
ledger first (the overlap rule, one compare-and-set), then the Dimona queue's note when a declaration is due,
then the contract with its events. A ledger period whose contract never arrived (a crash in between) is
forgotten when it is in the way."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from ruche_servicekit.mongo import Db

from ..domain import contracts as rules
from ..domain import dimona as dimona_rules
from ..domain import readiness
from ..domain.contracts import Contract, Period, Terms
from ..domain.errors import ConcurrentUpdate, NothingToRetry, OverlappingContract
from ..domain.readiness import WorkerFacts
from ..repository import contract_ledgers as ledgers
from ..repository import contracts as store
from ..repository import dimona_queue as queue
from ..repository import workers as worker_store
from . import contract_events as events
from .common import today_in_belgium

MAX_WRITE_ATTEMPTS = 5
STALE_CLAIM_WAIT_SECONDS = 1.0  # a ledger period without its contract this long after a re-read is a crash's trace
Entries = list[dict[str, Any]]


async def worker_facts(db: Db, *, tenant: str, worker_id: str) -> WorkerFacts:
    """What the contract rules and the Dimona need of the worker (WorkerNotFound if none)."""
    worker = await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)
    data = worker.personal_data
    return WorkerFacts(
        registered=worker.registered,
        niss=data.niss if data is not None else None,
        birth_date=data.birth_date if data is not None else None,
    )


# Sign --------------------------------------------------------------------------------------------------------
async def sign_contract(
    db: Db, *, tenant: str, worker_id: str, contract_id: str, values: Mapping[str, Any] | Terms, now: datetime
) -> Contract:
    """Sign a contract (ContractSigned); its Dimona IN is queued when the worker's data allow it. Raises
    InvalidContract or OverlappingContract naming the field, WorkerNotFound."""
    facts = await worker_facts(db, tenant=tenant, worker_id=worker_id)
    contract = new_contract(
        tenant=tenant, worker_id=worker_id, contract_id=contract_id, values=values, facts=facts, now=now
    )
    return await store_signed(db, contract, now=now)


def new_contract(
    *,
    tenant: str,
    worker_id: str,
    contract_id: str,
    values: Mapping[str, Any] | Terms,
    facts: WorkerFacts,
    now: datetime,
) -> Contract:
    terms = values if isinstance(values, Terms) else rules.terms_of(values)
    return rules.sign(
        contract_id,
        tenant=tenant,
        worker_id=worker_id,
        terms=terms,
        birth_date=facts.birth_date,
        ready=readiness.is_ready(facts, terms),
        today=today_in_belgium(now),
        now=now,
    )


async def store_signed(db: Db, contract: Contract, *, now: datetime) -> Contract:
    await claim_period(db, tenant=contract.tenant, worker_id=contract.worker_id, period=rules.period_of(contract))
    if contract.dimona.state == "to_declare":
        await queue.note(
            db, contract_id=contract.contract_id, tenant=contract.tenant, worker_id=contract.worker_id, due_at=now
        )
    if not await store.insert_contract(db, contract, entries=[events.contract_signed(contract)]):
        # The same id again (a retried bulk hire): what was stored stands.
        return await store.get_contract(
            db, tenant=contract.tenant, worker_id=contract.worker_id, contract_id=contract.contract_id
        )
    return replace(contract, revision=1)


async def claim_period(db: Db, *, tenant: str, worker_id: str, period: Period) -> None:
    """Put the contract's period in the worker's ledger, refusing an overlap, with one compare-and-set."""
    stale: set[str] = set()
    waited = False
    for _ in range(MAX_WRITE_ATTEMPTS + 2):
        ledger = await ledgers.get_ledger(db, tenant=tenant, worker_id=worker_id)
        try:
            periods = rules.claim(ledger.periods, period, stale=stale)
        except OverlappingContract:
            clashing = set(rules.clashes(ledger.periods, period)) - stale
            if await store.existing_ids(db, clashing):
                raise
            if not waited:  # perhaps being signed right now: look again in a moment
                await asyncio.sleep(STALE_CLAIM_WAIT_SECONDS)
                waited = True
            else:
                stale |= clashing
            continue
        if await ledgers.put_ledger(db, ledger, periods):
            return
    raise ConcurrentUpdate("The worker's contracts kept changing; try again.")


# Changes -----------------------------------------------------------------------------------------------------
Change = Callable[[Contract, WorkerFacts], Contract]


async def change_contract(
    db: Db,
    *,
    tenant: str,
    worker_id: str,
    contract_id: str,
    now: datetime,
    change: Change,
    entries: Callable[[Contract], Entries],
) -> Contract:
    """Read, change, claim the new period if it moved, note the Dimona queue if a declaration is due, then store
    the contract with its events if nobody changed it meanwhile (else read again and retry)."""
    for _ in range(MAX_WRITE_ATTEMPTS):
        contract = await store.get_contract(db, tenant=tenant, worker_id=worker_id, contract_id=contract_id)
        facts = await worker_facts(db, tenant=tenant, worker_id=worker_id)
        changed = change(contract, facts)
        ready = readiness.is_ready(facts, changed.terms)
        changed = replace(changed, dimona=dimona_rules.idle_state(changed.dimona, ready=ready))
        if rules.period_of(changed) != rules.period_of(contract):
            await claim_period(db, tenant=tenant, worker_id=worker_id, period=rules.period_of(changed))
        if dimona_rules.next_declaration(changed.dimona, changed.wanted(), ready=ready) is not None:
            await queue.note(db, contract_id=contract_id, tenant=tenant, worker_id=worker_id, due_at=now)
        try:
            return await store.save_contract(db, changed, entries=entries(changed))
        except ConcurrentUpdate:
            continue
    raise ConcurrentUpdate("The contract kept changing; try again.")


async def amend_contract(
    db: Db,
    *,
    tenant: str,
    worker_id: str,
    contract_id: str,
    effective_date: date,
    values: Mapping[str, Any],
    now: datetime,
) -> Contract:
    """A new version from `effective_date`: the given terms replace the current ones, the others are kept."""

    def change(contract: Contract, facts: WorkerFacts) -> Contract:
        terms = rules.terms_of(contract.terms.as_fields() | dict(values))
        return rules.amend(
            contract,
            terms,
            effective_date=effective_date,
            birth_date=facts.birth_date,
            today=today_in_belgium(now),
            now=now,
        )

    return await change_contract(
        db,
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        now=now,
        change=change,
        entries=lambda c: [events.contract_amended(c)],
    )


async def end_contract(
    db: Db, *, tenant: str, worker_id: str, contract_id: str, end_date: date, reason: str, now: datetime
) -> Contract:
    return await change_contract(
        db,
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        now=now,
        change=lambda c, _: rules.end(c, end_date=end_date, reason=reason, now=now),
        entries=lambda c: [events.contract_ended(c)],
    )


async def cancel_contract(
    db: Db, *, tenant: str, worker_id: str, contract_id: str, reason: str | None, now: datetime
) -> Contract:
    return await change_contract(
        db,
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        now=now,
        change=lambda c, _: rules.cancel(c, reason=reason, today=today_in_belgium(now), now=now),
        entries=lambda c: [events.contract_cancelled(c)],
    )


async def retry_dimona(db: Db, *, tenant: str, worker_id: str, contract_id: str, now: datetime) -> Contract:
    """Send the refused declaration again as the contract now stands."""

    def change(contract: Contract, _: WorkerFacts) -> Contract:
        if not contract.dimona.hold:
            raise NothingToRetry("The contract's last Dimona declaration was not refused.")
        return replace(contract, dimona=contract.dimona.released())

    return await change_contract(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, now=now, change=change, entries=lambda c: []
    )


async def on_worker_registered(db: Db, *, tenant: str, worker_id: str, now: datetime) -> int:
    """The worker's personal data now count: their contracts waiting for data are to be declared (Dimona IN).
    Returns how many contracts were queued."""
    queued = 0
    for contract in await store.worker_contracts(db, tenant=tenant, worker_id=worker_id):
        if contract.dimona.state != "waiting_for_data":
            continue
        changed = await change_contract(
            db,
            tenant=tenant,
            worker_id=worker_id,
            contract_id=contract.contract_id,
            now=now,
            change=lambda c, _: c,
            entries=lambda c: [],
        )
        queued += changed.dimona.state == "to_declare"
    return queued


# Reads -------------------------------------------------------------------------------------------------------
async def get_contract(db: Db, *, tenant: str, worker_id: str, contract_id: str) -> Contract:
    return await store.get_contract(db, tenant=tenant, worker_id=worker_id, contract_id=contract_id)


async def list_contracts(db: Db, *, tenant: str, worker_id: str) -> list[Contract]:
    await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)  # another employer's worker: 404
    return await store.worker_contracts(db, tenant=tenant, worker_id=worker_id)


async def missing_for_dimona(db: Db, *, tenant: str, worker_id: str, contract_id: str) -> list[str]:
    """The fields missing before the contract's Dimona can be declared (readiness)."""
    contract = await store.get_contract(db, tenant=tenant, worker_id=worker_id, contract_id=contract_id)
    facts = await worker_facts(db, tenant=tenant, worker_id=worker_id)
    return readiness.missing(facts, contract.terms)
