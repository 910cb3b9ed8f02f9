"""People's use cases: load, apply the domain rules, store the new state with its events in one write."""

from __future__ import annotations

import uuid
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import new_event, topic_for
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_servicekit.identifiers import niss_birth_date, niss_sex
from ruche_servicekit.outbox import outbox_entry

from . import domain, repository
from .domain import Contract, Worker

MAX_WRITE_ATTEMPTS = 3


async def register_worker(db: AsyncDatabase[Any], worker: Worker) -> Worker:
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
    await repository.insert_worker(db, worker, outbox=[outbox_entry(topic_for(WorkerRegistered), event)])
    return worker


async def sign_contract(db: AsyncDatabase[Any], *, tenant: str, worker_id: str, contract: Contract) -> Contract:
    for attempt in range(1, MAX_WRITE_ATTEMPTS + 1):
        worker = await repository.get_worker(db, tenant=tenant, worker_id=worker_id)
        domain.sign_contract(worker, contract)
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
            await repository.add_contract(db, worker, contract, outbox=[outbox_entry(topic_for(ContractSigned), event)])
            return contract
        except repository.ConcurrentUpdate:
            if attempt == MAX_WRITE_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def new_id() -> str:
    return str(uuid.uuid4())
