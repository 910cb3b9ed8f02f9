"""Designation of access managers: anyone asks (the form of the social-security portal) and follows the ticket;
the platform operator records the signed form and decides."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, EmailStr, Field
from ruche_contracts.identifiers import EnterpriseNumber, Niss
from ruche_servicekit.app import Database, location
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Limit, Offset, Page

from ..domain.designations import DesignationStatus, ManagerCapacity, SignatoryCapacity
from ..domain.users import Language
from ..use_cases import designations
from .deps import Name, Operator, Strict

router = APIRouter(tags=["designations"])


class EnterpriseIn(Strict):
    enterprise_number: EnterpriseNumber = Field(description="BCE/KBO number, e.g. 0403.019.261")
    name: Name


class ManagerIn(Strict):
    last_name: Name
    first_name: Name
    niss: Niss
    capacity: ManagerCapacity
    email: EmailStr
    phone: str | None = Field(default=None, max_length=30)
    language: Language = "fr"


class SignatoryIn(Strict):
    last_name: Name
    first_name: Name
    niss: Niss
    capacity: SignatoryCapacity
    email: EmailStr
    phone: str | None = Field(default=None, max_length=30)


class DesignationCreate(Strict):
    enterprise: EnterpriseIn
    manager: ManagerIn = Field(description="The future access manager.")
    signatory: SignatoryIn = Field(description="Who signs the request: a director, manager or partner.")
    replace_current: bool = Field(default=False, description="Replace the enterprise's current access manager.")


class TicketOut(BaseModel):
    """Where a request stands, as anyone holding the ticket sees it: nothing about the enterprise or people."""

    ticket: str
    status: DesignationStatus
    created_at: datetime
    decided_at: datetime | None = None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> TicketOut:
        return cls(
            ticket=doc["_id"], status=doc["status"], created_at=doc["created_at"], decided_at=doc.get("decided_at")
        )


class DesignationOut(TicketOut):
    """A request as the platform operator handles it."""

    enterprise_number: str
    enterprise_name: str
    replace_current: bool
    manager_name: str
    manager_email: str
    signatory_name: str
    signatory_capacity: str
    reason: str | None = None

    @classmethod
    def of(cls, doc: dict[str, Any]) -> DesignationOut:
        manager, signatory = doc["manager"], doc["signatory"]
        return cls(
            ticket=doc["_id"],
            status=doc["status"],
            created_at=doc["created_at"],
            decided_at=doc.get("decided_at"),
            enterprise_number=doc["tenant"],
            enterprise_name=doc["enterprise"]["name"],
            replace_current=doc["replace_current"],
            manager_name=f"{manager['first_name']} {manager['last_name']}",
            manager_email=manager["email"],
            signatory_name=f"{signatory['first_name']} {signatory['last_name']}",
            signatory_capacity=signatory["capacity"],
            reason=doc.get("reason"),
        )


class Rejection(Strict):
    reason: str = Field(min_length=1, max_length=500)


@router.post(
    "/designations",
    status_code=201,
    response_model=TicketOut,
    responses=problems(409),
    summary="Ask for an enterprise's access manager; the answer's ticket follows the request",
)
async def request_designation(request: Request, body: DesignationCreate, db: Database, response: Response):
    doc = await designations.request(
        db,
        enterprise=body.enterprise.model_dump(),
        manager=body.manager.model_dump(),
        signatory=body.signatory.model_dump(),
        replace_current=body.replace_current,
        now=datetime.now(UTC),
    )
    response.headers["Location"] = location(request, f"/designations/{doc['_id']}")
    return TicketOut.of(doc)


@router.get("/designations/{ticket}", response_model=TicketOut, summary="Where a request stands (by its ticket)")
async def designation_status(ticket: str, db: Database):
    return TicketOut.of(await designations.get(db, ticket))


@router.get("/designations", response_model=Page[DesignationOut], summary="Requests for the operator, oldest first")
async def list_designations(
    _: Operator, db: Database, status: DesignationStatus | None = None, limit: Limit = 50, offset: Offset = 0
):
    docs, total = await designations.listed(db, status=status, limit=limit, offset=offset)
    return Page(items=[DesignationOut.of(d) for d in docs], total=total, limit=limit, offset=offset)


@router.get("/designations/{ticket}/details", response_model=DesignationOut, summary="A request, for the operator")
async def designation_details(ticket: str, _: Operator, db: Database):
    return DesignationOut.of(await designations.get(db, ticket))


@router.post(
    "/designations/{ticket}/form-received",
    response_model=DesignationOut,
    responses=problems(409),
    summary="The operator records that the signed form arrived",
)
async def form_received(ticket: str, _: Operator, db: Database):
    return DesignationOut.of(await designations.record_form_received(db, ticket, now=datetime.now(UTC)))


@router.post(
    "/designations/{ticket}/approve",
    response_model=DesignationOut,
    responses=problems(409),
    summary="The operator approves: the manager gets provisional credentials by e-mail",
)
async def approve(ticket: str, operator: Operator, db: Database):
    return DesignationOut.of(await designations.approve(db, operator, ticket, now=datetime.now(UTC)))


@router.post(
    "/designations/{ticket}/reject",
    response_model=DesignationOut,
    responses=problems(409),
    summary="The operator rejects, with a reason the requester receives by e-mail",
)
async def reject(ticket: str, body: Rejection, operator: Operator, db: Database):
    return DesignationOut.of(await designations.reject(db, operator, ticket, reason=body.reason, now=datetime.now(UTC)))
