"""Presence's HTTP edge: workplaces and presence registrations. Calls use cases only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import Database, location
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Limit, Offset, Page

from . import use_cases
from .domain import Address, Registration, Workplace

router = APIRouter()
CanRead = Annotated[Principal, Depends(require(Permission.PRESENCE_READ))]
CanWrite = Annotated[Principal, Depends(require(Permission.PRESENCE_WRITE))]
WorkplaceId = Annotated[str, Field(pattern=r"^[A-Z0-9]{13}$", description="Workplace id from the declaration of works")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AddressIn(Strict):
    street: str = Field(min_length=1, max_length=200)
    postal_code: str = Field(pattern=r"^\d{4}$")
    city: str = Field(min_length=1, max_length=100)


class WorkplaceCreate(Strict):
    workplace_id: WorkplaceId
    name: str = Field(min_length=1, max_length=200)
    address: AddressIn


class AddressOut(BaseModel):
    street: str
    postal_code: str
    city: str


class WorkplaceOut(BaseModel):
    workplace_id: str
    name: str
    address: AddressOut

    @classmethod
    def of(cls, w: Workplace) -> WorkplaceOut:
        return cls(workplace_id=w.workplace_id, name=w.name, address=AddressOut(**w.address.__dict__))


class RegistrationCreate(Strict):
    worker_id: str = Field(min_length=1)
    workplace_id: WorkplaceId
    date: date


class RegistrationOut(BaseModel):
    registration_id: str
    receipt_number: str
    worker_id: str
    workplace_id: str
    date: date
    registered_at: datetime

    @classmethod
    def of(cls, r: Registration) -> RegistrationOut:
        return cls(
            registration_id=r.registration_id,
            receipt_number=r.receipt_number,
            worker_id=r.worker_id,
            workplace_id=r.workplace_id,
            date=r.date,
            registered_at=r.registered_at,
        )


@router.post(
    "/workplaces",
    status_code=201,
    response_model=WorkplaceOut,
    responses=problems(409),
    tags=["workplaces"],
    summary="Declare a workplace of the employer",
)
async def declare_workplace(body: WorkplaceCreate, principal: CanWrite, db: Database) -> WorkplaceOut:
    workplace = Workplace(
        tenant=principal.tenant,
        workplace_id=body.workplace_id,
        name=body.name,
        address=Address(**body.address.model_dump()),
    )
    return WorkplaceOut.of(await use_cases.declare_workplace(db, workplace))


@router.get("/workplaces", response_model=Page[WorkplaceOut], tags=["workplaces"], summary="The employer's workplaces")
async def list_workplaces(
    principal: CanRead, db: Database, limit: Limit = 50, offset: Offset = 0
) -> Page[WorkplaceOut]:
    workplaces, total = await use_cases.list_workplaces(db, tenant=principal.tenant, limit=limit, offset=offset)
    return Page(items=[WorkplaceOut.of(w) for w in workplaces], total=total, limit=limit, offset=offset)


@router.post(
    "/registrations",
    status_code=201,
    response_model=RegistrationOut,
    responses=problems(409),
    tags=["registrations"],
    summary="Register a worker's presence at a workplace; the answer carries the receipt number",
)
async def register_presence(
    body: RegistrationCreate, principal: CanWrite, db: Database, request: Request, response: Response
) -> RegistrationOut:
    registration = await use_cases.register_presence(
        db,
        tenant=principal.tenant,
        worker_id=body.worker_id,
        workplace_id=body.workplace_id,
        day=body.date,
        now=datetime.now(UTC),
    )
    response.headers["Location"] = location(request, f"/registrations/{registration.registration_id}")
    return RegistrationOut.of(registration)


@router.get(
    "/registrations",
    response_model=Page[RegistrationOut],
    tags=["registrations"],
    summary="Consult registrations, by day and worker",
)
async def list_registrations(
    principal: CanRead,
    db: Database,
    limit: Limit = 50,
    offset: Offset = 0,
    date: Annotated[date | None, Query()] = None,
    worker_id: str | None = None,
) -> Page[RegistrationOut]:
    registrations, total = await use_cases.list_registrations(
        db, tenant=principal.tenant, day=date, worker_id=worker_id, limit=limit, offset=offset
    )
    return Page(items=[RegistrationOut.of(r) for r in registrations], total=total, limit=limit, offset=offset)


class WorkerInServiceOut(BaseModel):
    worker_id: str
    first_name: str
    last_name: str


@router.get(
    "/workers",
    response_model=Page[WorkerInServiceOut],
    tags=["registrations"],
    summary="The workers in service on a day (from the accepted Dimona periods): who may be registered",
)
async def workers_in_service(
    principal: CanRead,
    db: Database,
    on: Annotated[date | None, Query(description="The day; today in Brussels by default")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[WorkerInServiceOut]:
    day = on or use_cases.today_in_belgium(datetime.now(UTC))
    found, total = await use_cases.workers_in_service(db, tenant=principal.tenant, day=day, limit=limit, offset=offset)
    items = [WorkerInServiceOut(worker_id=w, first_name=f, last_name=n) for w, f, n in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get(
    "/registrations/{registration_id}",
    response_model=RegistrationOut,
    tags=["registrations"],
    summary="One registration",
)
async def get_registration(registration_id: str, principal: CanRead, db: Database) -> RegistrationOut:
    registration = await use_cases.get_registration(db, tenant=principal.tenant, registration_id=registration_id)
    return RegistrationOut.of(registration)
