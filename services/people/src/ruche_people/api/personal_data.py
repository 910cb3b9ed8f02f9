"""A worker's personal data: HR fills them in or corrects them; addresses and civil statuses by effective date."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from ruche_servicekit.app import Database
from ruche_servicekit.openapi import problems

from ..domain.personal_data import address_fields
from ..use_cases import workers
from ..use_cases.common import today_in_belgium
from .deps import CanRead, CanWrite, Now
from .schemas import (
    AddressChange,
    AddressHistory,
    AddressOut,
    CivilStatusChange,
    CivilStatusHistory,
    CivilStatusOut,
    PersonalDataIn,
    WorkerOut,
)

router = APIRouter(tags=["personal data"])
OnDate = Annotated[date | None, Query(description="The entry in force on this day")]


@router.put(
    "/workers/{worker_id}/personal-data",
    response_model=WorkerOut,
    responses=problems(404, 409, 422),
    summary="HR fills in or corrects the personal data (the first complete set registers the worker)",
)
async def put_personal_data(
    worker_id: str, body: PersonalDataIn, principal: CanWrite, db: Database, now: Now
) -> WorkerOut:
    worker = await workers.fill_personal_data(
        db, tenant=principal.tenant, worker_id=worker_id, data=body.model_dump(), actor=principal.subject, now=now
    )
    return WorkerOut.of(worker, today=today_in_belgium(now))


@router.post(
    "/workers/{worker_id}/addresses",
    status_code=201,
    response_model=AddressOut,
    responses=problems(404, 409, 422),
    summary="A new address from a date (the history is kept)",
)
async def add_address(worker_id: str, body: AddressChange, principal: CanWrite, db: Database, now: Now) -> AddressOut:
    await workers.change_address(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        address=body.address.model_dump(),
        effective_date=body.effective_date,
        now=now,
    )
    [entry] = await workers.addresses(db, tenant=principal.tenant, worker_id=worker_id, on=body.effective_date)
    return AddressOut(effective_date=entry.effective_date, address=address_fields(entry.value))


@router.get(
    "/workers/{worker_id}/addresses",
    response_model=AddressHistory | AddressOut,
    responses=problems(404),
    summary="The address history, oldest first; with `on`, the address on that day",
)
async def get_addresses(
    worker_id: str, principal: CanRead, db: Database, on: OnDate = None
) -> AddressHistory | AddressOut:
    found = await workers.addresses(db, tenant=principal.tenant, worker_id=worker_id, on=on)
    shown = [AddressOut(effective_date=e.effective_date, address=address_fields(e.value)) for e in found]
    return shown[0] if on else AddressHistory(items=shown)


@router.post(
    "/workers/{worker_id}/civil-status",
    status_code=201,
    response_model=CivilStatusOut,
    responses=problems(404, 409, 422),
    summary="A new civil status from a date (the history is kept)",
)
async def add_civil_status(
    worker_id: str, body: CivilStatusChange, principal: CanWrite, db: Database, now: Now
) -> CivilStatusOut:
    await workers.change_civil_status(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        civil_status=body.civil_status,
        effective_date=body.effective_date,
        now=now,
    )
    return CivilStatusOut(effective_date=body.effective_date, civil_status=body.civil_status)


@router.get(
    "/workers/{worker_id}/civil-status",
    response_model=CivilStatusHistory | CivilStatusOut,
    responses=problems(404),
    summary="The civil status history, oldest first; with `on`, the civil status on that day",
)
async def get_civil_statuses(
    worker_id: str, principal: CanRead, db: Database, on: OnDate = None
) -> CivilStatusHistory | CivilStatusOut:
    found = await workers.civil_statuses(db, tenant=principal.tenant, worker_id=worker_id, on=on)
    shown = [CivilStatusOut(effective_date=e.effective_date, civil_status=e.value) for e in found]
    return shown[0] if on else CivilStatusHistory(items=shown)
