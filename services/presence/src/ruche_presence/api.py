"""Presence's HTTP edge: workplaces and presence registrations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from ruche_servicekit.app import Database, Relay
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.paging import Limit, Offset, Page
from ruche_servicekit.problems import Problem

from . import repository, use_cases

router = APIRouter()
CanRead = Annotated[Principal, Depends(require("presence:read"))]
CanWrite = Annotated[Principal, Depends(require("presence:write"))]
WorkplaceId = Annotated[str, Field(pattern=r"^[A-Z0-9]{13}$", description="Workplace id from the declaration of works")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Address(Strict):
    street: str = Field(min_length=1, max_length=200)
    postal_code: str = Field(pattern=r"^\d{4}$")
    city: str = Field(min_length=1, max_length=100)


class WorkplaceCreate(Strict):
    workplace_id: WorkplaceId
    name: str = Field(min_length=1, max_length=200)
    address: Address


class WorkplaceOut(BaseModel):
    workplace_id: str
    name: str
    address: Address


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
    def of(cls, doc: dict[str, Any]) -> RegistrationOut:
        return cls(
            registration_id=doc["_id"],
            receipt_number=doc["receipt_number"],
            worker_id=doc["worker_id"],
            workplace_id=doc["workplace_id"],
            date=doc["date"],
            registered_at=doc["registered_at"],
        )


@router.post(
    "/workplaces",
    status_code=201,
    response_model=WorkplaceOut,
    tags=["workplaces"],
    summary="Declare a workplace of the employer",
)
async def declare_workplace(body: WorkplaceCreate, principal: CanWrite, db: Database, relay: Relay):
    await use_cases.declare_workplace(
        db, tenant=principal.tenant, workplace_id=body.workplace_id, name=body.name, address=body.address.model_dump()
    )
    relay.wake()
    return body


@router.get("/workplaces", response_model=Page[WorkplaceOut], tags=["workplaces"], summary="The employer's workplaces")
async def list_workplaces(principal: CanRead, db: Database, limit: Limit = 50, offset: Offset = 0):
    docs, total = await repository.list_workplaces(db, tenant=principal.tenant, limit=limit, offset=offset)
    return Page(items=[WorkplaceOut(**d) for d in docs], total=total, limit=limit, offset=offset)


@router.post(
    "/registrations",
    status_code=201,
    response_model=RegistrationOut,
    tags=["registrations"],
    summary="Register a worker's presence at a workplace; the answer carries the receipt number",
)
async def register_presence(
    body: RegistrationCreate, principal: CanWrite, db: Database, relay: Relay, response: Response
):
    doc = await use_cases.register_presence(
        db,
        tenant=principal.tenant,
        worker_id=body.worker_id,
        workplace_id=body.workplace_id,
        day=body.date,
        now=datetime.now(UTC),
    )
    relay.wake()
    response.headers["Location"] = f"registrations/{doc['_id']}"
    return RegistrationOut.of(doc)


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
):
    docs, total = await repository.find_registrations(
        db,
        tenant=principal.tenant,
        day=date.isoformat() if date else None,
        worker_id=worker_id,
        limit=limit,
        offset=offset,
    )
    return Page(items=[RegistrationOut.of(d) for d in docs], total=total, limit=limit, offset=offset)


@router.get(
    "/registrations/{registration_id}",
    response_model=RegistrationOut,
    tags=["registrations"],
    summary="One registration",
)
async def get_registration(registration_id: str, principal: CanRead, db: Database):
    doc = await repository.get_registration(db, tenant=principal.tenant, registration_id=registration_id)
    if doc is None:
        raise Problem(404, "Not found", "No such registration for this employer.", kind="registration-not-found")
    return RegistrationOut.of(doc)
