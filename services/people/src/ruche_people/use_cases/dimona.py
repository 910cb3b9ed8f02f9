"""The Dimona dispatcher: one step (`process_due`) of the leased loop main.py runs. It takes the due entries of
the Dimona queue and, for each contract, reads the answer of the declaration in flight (polled with a growing
pause while ONSS processes it, and while it waits for the worker's identification, S), or sends the next
declaration the contract calls for (IN, UPDATE, OUT, CANCEL), then stores what was sent or answered with the
contract and its event. An entry with nothing left to do is dropped.

ONSS unreachable, a 5xx or 503, an expired token: the entry comes back later with a growing pause, the contract
unchanged, so no declaration is lost. Logs name contracts and declarations, never a NISS."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from ruche_servicekit.mongo import Db

from ..adapters.onss import OnssAnswer, OnssClient, OnssRejected, OnssUnavailable
from ..domain import dimona as rules
from ..domain import readiness
from ..domain.contracts import Contract
from ..domain.errors import ConcurrentUpdate, WorkerNotFound
from ..repository import contracts as store
from ..repository import dimona_queue as queue
from . import contract_events as events
from .common import today_in_belgium
from .contracts import MAX_WRITE_ATTEMPTS, Entries, worker_facts

# Entries handled together (each its own contract). Finding the due entries reads the whole queue on FerretDB (it
# answers from the `_id` index only): with thousands queued (a bulk hire), fewer, larger passes cost far less.
BATCH = 250
LONGEST_POLL_SECONDS = 60.0
LONGEST_RETRY_SECONDS = 300.0
log = logging.getLogger(__name__)


async def process_due(db: Db, now: datetime, *, onss: OnssClient, poll_seconds: float) -> int:
    """One pass over the due entries; returns how many were handled (the loop runs again at once while > 0)."""
    entries = await queue.due(db, now, limit=BATCH)
    await asyncio.gather(*(process_entry(db, e, now=now, onss=onss, poll_seconds=poll_seconds) for e in entries))
    return len(entries)


async def process_entry(db: Db, entry: queue.Entry, *, now: datetime, onss: OnssClient, poll_seconds: float) -> None:
    contract = await store.find_contract(db, entry.contract_id)
    if contract is None:
        await queue.drop(db, entry)
        return
    try:
        if contract.dimona.in_flight is not None:
            await _poll(db, entry, contract, now=now, onss=onss, poll_seconds=poll_seconds)
        else:
            await _send_next(db, entry, contract, now=now, onss=onss, poll_seconds=poll_seconds)
    except OnssUnavailable as error:
        wait = min(poll_seconds * 2 ** (entry.attempts + 1), LONGEST_RETRY_SECONDS)
        log.warning(
            "dimona: onss unavailable; retrying",
            extra={"contract_id": entry.contract_id, "error": str(error), "retry_in_seconds": wait},
        )
        await queue.reschedule(db, entry, due_at=now + timedelta(seconds=wait), attempts=entry.attempts + 1)
    except WorkerNotFound:
        await queue.drop(db, entry)
    except Exception as error:  # one contract's trouble does not hold the others up; its type only (personal data)
        wait = min(poll_seconds * 2 ** (entry.attempts + 1), LONGEST_RETRY_SECONDS)
        log.warning(
            "dimona: entry failed; retrying",
            extra={"contract_id": entry.contract_id, "error_type": type(error).__name__, "retry_in_seconds": wait},
        )
        await queue.reschedule(db, entry, due_at=now + timedelta(seconds=wait), attempts=entry.attempts + 1)


async def _send_next(
    db: Db, entry: queue.Entry, contract: Contract, *, now: datetime, onss: OnssClient, poll_seconds: float
) -> None:
    facts = await worker_facts(db, tenant=contract.tenant, worker_id=contract.worker_id)
    terms, wanted = contract.terms, contract.wanted()
    ready = readiness.is_ready(facts, terms)
    kind = rules.next_declaration(contract.dimona, wanted, ready=ready)
    if kind is None:
        idle = rules.idle_state(contract.dimona, ready=ready)
        if idle != contract.dimona:
            await _record(db, contract, lambda c: replace(c, dimona=rules.idle_state(c.dimona, ready=ready)))
        await queue.drop(db, entry)
        return
    body = rules.declaration_body(
        kind,
        employer=contract.tenant,
        niss=facts.niss,
        wanted=wanted,
        period_id=contract.dimona.period_id,
        joint_committee=terms.joint_committee,
        worker_type=terms.worker_type,
        planned_hours=terms.planned_hours(wanted.start, wanted.end),
    )
    try:
        declaration_id = await onss.declare(body)
    except OnssRejected as rejected:
        log.warning("dimona: declaration not taken", extra={"contract_id": contract.contract_id, "type": kind})
        anomalies = rejected.anomalies

        def refused(c: Contract) -> Contract:
            dimona = rules.record_refused_at_once(
                c.dimona, kind, body=body, wanted=wanted, anomalies=anomalies, now=now
            )
            return replace(c, dimona=dimona)

        await _record(db, contract, refused, lambda c: events.dimona_answered(c, c.dimona.declarations[-1]))
        await queue.drop(db, entry)
        return
    today = today_in_belgium(now)

    def sent(c: Contract) -> Contract:
        dimona = rules.record_sent(
            c.dimona, kind, declaration_id=declaration_id, body=body, wanted=wanted, today=today, now=now
        )
        return replace(c, dimona=dimona)

    stored = await _record(db, contract, sent, lambda c: [events.dimona_declared(c, c.dimona.declarations[-1])])
    log.info(
        "dimona: declared",
        extra={
            "contract_id": contract.contract_id,
            "declaration_id": declaration_id,
            "type": kind,
            "late": stored.dimona.declarations[-1].late,
        },
    )
    await queue.reschedule(db, entry, due_at=now + timedelta(seconds=poll_seconds), attempts=0)


async def _poll(
    db: Db, entry: queue.Entry, contract: Contract, *, now: datetime, onss: OnssClient, poll_seconds: float
) -> None:
    in_flight = contract.dimona.in_flight
    assert in_flight is not None
    answer = await onss.answer(in_flight.declaration_id)
    if answer is not None and not (answer.result == "S" and in_flight.result == "S"):
        contract = await _store_answer(db, contract, answer, now=now)
    if contract.dimona.in_flight is not None:  # still processed, or waiting for the worker's identification
        wait = min(poll_seconds * 1.5**entry.attempts, LONGEST_POLL_SECONDS)
        await queue.reschedule(db, entry, due_at=now + timedelta(seconds=wait), attempts=entry.attempts + 1)
        return
    facts = await worker_facts(db, tenant=contract.tenant, worker_id=contract.worker_id)
    ready = readiness.is_ready(facts, contract.terms)
    if rules.next_declaration(contract.dimona, contract.wanted(), ready=ready) is not None:
        await queue.reschedule(db, entry, due_at=now, attempts=0)  # a change came meanwhile: declare it next
    else:
        await queue.drop(db, entry)


async def _store_answer(db: Db, contract: Contract, answer: OnssAnswer, *, now: datetime) -> Contract:
    def answered(c: Contract) -> Contract:
        dimona = rules.record_answer(
            c.dimona, result=answer.result, anomalies=answer.anomalies, period_id=answer.period_id, now=now
        )
        return replace(c, dimona=dimona)

    stored = await _record(db, contract, answered, lambda c: events.dimona_answered(c, c.dimona.declarations[-1]))
    last = stored.dimona.declarations[-1]
    log.info(
        "dimona: answered",
        extra={"contract_id": contract.contract_id, "declaration_id": last.declaration_id, "result": answer.result},
    )
    return stored


async def _record(
    db: Db,
    contract: Contract,
    change: Callable[[Contract], Contract],
    entries: Callable[[Contract], Entries] = lambda c: [],
) -> Contract:
    """Store what was sent or answered with the contract, applied again to a fresh read when the contract changed
    meanwhile (an amendment): what ONSS knows is never dropped."""
    for _ in range(MAX_WRITE_ATTEMPTS * 2):
        changed = change(contract)
        try:
            return await store.save_contract(db, changed, entries=entries(changed))
        except ConcurrentUpdate:
            fresh = await store.find_contract(db, contract.contract_id)
            assert fresh is not None, "contracts are never deleted"
            contract = fresh
    raise ConcurrentUpdate(f"Contract {contract.contract_id} kept changing while its Dimona was recorded.")
