"""People's use cases: load, apply the domain rules, store the new state with its events in one write.

The only writers of the service, and the reads its API needs. Ids and time are arguments, so a test passes
its own.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from ruche_contracts import new_event, topics
from ruche_contracts.identifiers import niss_birth_date, niss_sex
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry

from . import domain, repository
from .domain import ConcurrentUpdate, Contract, Worker

MAX_WRITE_ATTEMPTS = 3
BRUSSELS = ZoneInfo("Europe/Brussels")


def new_id() -> str:
    return str(uuid.uuid4())


def today_in_belgium(now: datetime) -> date:
    return now.astimezone(BRUSSELS).date()


async def register_worker(db: Db, worker: Worker) -> Worker:
    worker = domain.register_worker(
        worker, niss_birth_date=niss_birth_date(worker.niss), niss_sex=niss_sex(worker.niss)
    )
    event = new_event(
        WorkerRegistered(
            worker_id=worker.worker_id,
            first_name=worker.first_name,
            last_name=worker.last_name,
            niss=worker.niss,
            birth_date=worker.birth_date,
            sex=worker.sex,
            nationality=worker.nationality,
            work_email=worker.work_email,
            birth_place=worker.birth_place,
            mobile_phone=worker.mobile_phone,
        ),
        tenant=worker.tenant,
        subject=worker.worker_id,
    )
    await repository.insert_worker(db, worker, events=[event_entry(topics.PEOPLE_WORKERS, event)])
    return worker


async def sign_contract(db: Db, *, tenant: str, worker_id: str, contract: Contract, today: date) -> Contract:
    """Add a contract to the worker. The write is guarded by the worker's version: when another write came
    in between, read again and retry (the overlap rule must see every contract)."""
    for attempt in range(1, MAX_WRITE_ATTEMPTS + 1):
        worker = await repository.get_worker(db, tenant=tenant, worker_id=worker_id)
        domain.sign_contract(worker, contract, today=today)
        event = new_event(
            ContractSigned(
                worker_id=worker_id,
                contract_id=contract.contract_id,
                start_date=contract.start_date,
                end_date=contract.end_date,
                contract_type=contract.contract_type,
                weekly_hours=contract.weekly_hours,
                gross_monthly_salary=contract.gross_monthly_salary,
                joint_committee=contract.joint_committee,
                worker_type=contract.worker_type,
            ),
            tenant=tenant,
            subject=worker_id,
        )
        try:
            await repository.add_contract(db, worker, contract, events=[event_entry(topics.PEOPLE_WORKERS, event)])
            return contract
        except ConcurrentUpdate:
            if attempt == MAX_WRITE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


# Reads ------------------------------------------------------------------------------------------------------
async def get_worker(db: Db, *, tenant: str, worker_id: str) -> Worker:
    return await repository.get_worker(db, tenant=tenant, worker_id=worker_id)


async def list_workers(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[Worker], int]:
    return await repository.list_workers(db, tenant=tenant, limit=limit, offset=offset)


async def get_contract(db: Db, *, tenant: str, worker_id: str, contract_id: str) -> Contract:
    worker = await repository.get_worker(db, tenant=tenant, worker_id=worker_id)
    return worker.contract(contract_id)


async def list_contracts(db: Db, *, tenant: str, worker_id: str, limit: int, offset: int) -> tuple[list[Contract], int]:
    """A page of the worker's contracts, by start date, and how many it has."""
    worker = await repository.get_worker(db, tenant=tenant, worker_id=worker_id)
    contracts = sorted(worker.contracts, key=lambda c: (c.start_date, c.contract_id))
    return contracts[offset : offset + limit], len(contracts)
