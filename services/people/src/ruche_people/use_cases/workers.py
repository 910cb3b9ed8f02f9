"""Workers: add (step one), fill in personal data (HR), new address or civil status from a date, and the reads.

Each change is one write of the worker document with its events. The first time a worker's personal data count
(HR filled them in, or validated the new hire's), WorkerRegistered leaves and the contracts waiting for those
data move on (`contracts.on_worker_registered`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from ruche_servicekit.mongo import Db

from ..domain import personal_data as rules
from ..domain import workers as domain
from ..domain.errors import InvalidPersonalData, NoHistoryOnDate, WorkerAlreadyRegistered
from ..domain.history import Dated
from ..domain.personal_data import Address, CivilStatus, PersonalData
from ..domain.workers import Filled, Origin, Worker
from ..repository import workers as worker_store
from ..repository.workers import WorkerQuery
from . import contracts, events
from .common import Entries, today_in_belgium, update_worker

__all__ = ["WorkerQuery"]


async def add_worker(
    db: Db, *, tenant: str, worker_id: str, first_name: str, last_name: str, work_email: str, now: datetime
) -> Worker:
    """Step one of "add a worker": names and work e-mail (WorkerAdded). Refuses bad input naming the field."""
    worker = domain.new_worker(
        worker_id=worker_id,
        tenant=tenant,
        first_name=first_name,
        last_name=last_name,
        work_email=work_email,
        now=now,
    )
    await worker_store.insert_worker(db, worker, entries=[events.worker_added(worker)])
    return replace(worker, version=1)


async def add_registered_worker(
    db: Db,
    *,
    tenant: str,
    worker_id: str,
    first_name: str,
    last_name: str,
    work_email: str,
    data: PersonalData | Mapping[str, Any],
    actor: str,
    now: datetime,
) -> Worker:
    """Both steps at once (HR fills the personal data in while adding the worker). The personal data are checked
    first, so a refusal adds nothing; it names the field under `personal_data.` (`personal_data.iban`)."""
    today = today_in_belgium(now)
    with _under("personal_data"):
        checked = rules.complete(data.as_fields() if isinstance(data, PersonalData) else data, today=today)
        if await worker_store.niss_registered(db, tenant=tenant, niss=checked.niss):
            raise WorkerAlreadyRegistered("A worker with this NISS is already registered for this employer.")
    await add_worker(
        db,
        tenant=tenant,
        worker_id=worker_id,
        first_name=first_name,
        last_name=last_name,
        work_email=work_email,
        now=now,
    )
    with _under("personal_data"):
        return await register(db, tenant=tenant, worker_id=worker_id, data=checked, origins={}, now=now)


@dataclass(frozen=True)
class NewHire:
    tenant: str
    worker_id: str
    first_name: str
    last_name: str
    work_email: str
    data: PersonalData  # checked (personal_data.complete), its NISS free at this employer


async def add_registered_workers(db: Db, hires: Sequence[NewHire], *, now: datetime) -> set[str]:
    """Many workers with their personal data at once (a bulk hire): each stored complete, with the events the two
    steps raise, in one insert for the whole batch. None has a contract yet, so none waits for its registration.
    Returns the ids stored by an earlier try (left as they are, for the caller to finish one by one); when the
    insert fails (a NISS taken meanwhile), every hire not stored goes the one-by-one way, which names the refusal."""
    if not hires:
        return set()
    today = today_in_belgium(now)
    stored = await worker_store.stored_ids(db, tenant=hires[0].tenant, worker_ids=[h.worker_id for h in hires])
    batch = []
    for hire in hires:
        if hire.worker_id in stored:
            continue
        worker = domain.new_worker(
            worker_id=hire.worker_id,
            tenant=hire.tenant,
            first_name=hire.first_name,
            last_name=hire.last_name,
            work_email=hire.work_email,
            now=now,
        )
        filled = domain.fill(worker, hire.data, origins={}, today=today)
        batch.append((filled.worker, [events.worker_added(worker), *filled_entries(filled)]))
    try:
        await worker_store.insert_workers(db, batch)
    except WorkerAlreadyRegistered:
        return {h.worker_id for h in hires}  # see above: each goes the one-by-one way
    return stored


@contextmanager
def _under(prefix: str) -> Iterator[None]:
    """Refusals of personal data name their field under `prefix`."""
    try:
        yield
    except (InvalidPersonalData, WorkerAlreadyRegistered) as exc:
        raise type(exc)(str(exc), field=f"{prefix}.{exc.field}" if exc.field else prefix) from exc


async def fill_personal_data(
    db: Db, *, tenant: str, worker_id: str, data: PersonalData | Mapping[str, Any], actor: str, now: datetime
) -> Worker:
    """HR fills in or corrects the personal data (origin `hr`): checked, then they count. The first complete set
    registers the worker (WorkerRegistered). Raises InvalidPersonalData naming the field, WorkerNotFound, or
    WorkerAlreadyRegistered when another worker of the employer has this NISS."""
    today = today_in_belgium(now)
    checked = rules.complete(data.as_fields() if isinstance(data, PersonalData) else data, today=today)
    return await register(db, tenant=tenant, worker_id=worker_id, data=checked, origins={}, now=now)


async def register(
    db: Db, *, tenant: str, worker_id: str, data: PersonalData, origins: Mapping[str, Origin], now: datetime
) -> Worker:
    """Checked personal data count from now, stored with their events."""
    today = today_in_belgium(now)

    def change(worker: Worker) -> tuple[Worker, Entries, Filled]:
        filled = domain.fill(worker, data, origins=origins, today=today)
        return filled.worker, filled_entries(filled), filled

    worker, filled = await update_worker(db, tenant=tenant, worker_id=worker_id, change=change)
    await after_filling(db, filled, now=now)
    return worker


async def after_filling(db: Db, filled: Filled, *, now: datetime) -> None:
    """Once stored: the first registration moves the worker's contracts that waited for these data on."""
    if filled.registered_now:
        worker = filled.worker
        await contracts.on_worker_registered(db, tenant=worker.tenant, worker_id=worker.worker_id, now=now)


def filled_entries(filled: Filled) -> Entries:
    worker, data = filled.worker, filled.worker.personal_data
    assert data is not None
    entries: Entries = []
    if filled.registered_now:
        entries.append(events.worker_registered(worker))
    if filled.changed:
        entries.append(events.personal_data_changed(worker, filled.changed))
    if filled.address_from is not None:
        entries.append(events.address_changed(worker, data.address, filled.address_from))
    return entries


async def change_address(
    db: Db, *, tenant: str, worker_id: str, address: Address | Mapping[str, Any], effective_date: date, now: datetime
) -> Worker:
    """A new address from `effective_date` (AddressChanged); the old ones stay in the history."""
    checked = rules.check_address(address)
    today = today_in_belgium(now)

    def change(worker: Worker) -> tuple[Worker, Entries, None]:
        moved = domain.move(worker, checked, effective_date=effective_date, today=today)
        return moved, [events.address_changed(moved, checked, effective_date)], None

    worker, _ = await update_worker(db, tenant=tenant, worker_id=worker_id, change=change)
    return worker


async def change_civil_status(
    db: Db, *, tenant: str, worker_id: str, civil_status: str, effective_date: date, now: datetime
) -> Worker:
    """A new civil status from `effective_date` (PersonalDataChanged); the old ones stay in the history."""
    status: CivilStatus = rules.check_civil_status(civil_status)
    today = today_in_belgium(now)

    def change(worker: Worker) -> tuple[Worker, Entries, None]:
        changed = domain.change_civil_status(worker, status, effective_date=effective_date, today=today)
        news = {"civil_status": status, "civil_status_date": effective_date}
        return changed, [events.personal_data_changed(changed, news)], None

    worker, _ = await update_worker(db, tenant=tenant, worker_id=worker_id, change=change)
    return worker


# Reads -------------------------------------------------------------------------------------------------------
async def get_worker(db: Db, *, tenant: str, worker_id: str) -> Worker:
    """The worker as stored (raises WorkerNotFound for another employer's worker too)."""
    return await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)


async def list_workers(
    db: Db, *, tenant: str, query: WorkerQuery, now: datetime
) -> tuple[list[tuple[Worker, domain.Status | None]], int]:
    """A page of the employer's workers, each with its status on `query.on` (today in Belgium by default; None
    without a contract), and how many match."""
    if query.on is None:
        query = replace(query, on=today_in_belgium(now))
    found, total = await worker_store.list_workers(db, tenant=tenant, query=query)
    assert query.on is not None
    status = await worker_store.statuses(db, tenant=tenant, worker_ids=[w.worker_id for w in found], on=query.on)
    return [(w, status[w.worker_id]) for w in found], total


async def addresses(db: Db, *, tenant: str, worker_id: str, on: date | None = None) -> list[Dated[Address]]:
    """The address history, oldest first; with `on`, the one entry in force that day (NoHistoryOnDate if none)."""
    worker = await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)
    return _history_on(list(worker.addresses.entries), worker.addresses.since(on) if on else None, on)


async def civil_statuses(db: Db, *, tenant: str, worker_id: str, on: date | None = None) -> list[Dated[CivilStatus]]:
    worker = await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)
    return _history_on(list(worker.civil_statuses.entries), worker.civil_statuses.since(on) if on else None, on)


def _history_on(entries: list[Any], in_force: Any, on: date | None) -> list[Any]:
    if on is None:
        return entries
    if in_force is None:
        raise NoHistoryOnDate(f"Nothing known on {on.isoformat()}.")
    return [in_force]
