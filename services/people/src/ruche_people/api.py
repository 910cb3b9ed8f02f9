"""People's HTTP edge: request and response schemas, permissions, status codes. Calls use cases only."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from ruche_contracts.identifiers import Niss
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import Database, location
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Limit, Offset, Page

from . import use_cases
from .domain import MAX_GROSS_MONTHLY_SALARY, MAX_WEEKLY_HOURS, Contract, ContractType, Sex, Worker, WorkerType

router = APIRouter(tags=["workers"])
CanRead = Annotated[Principal, Depends(require(Permission.PEOPLE_READ))]
CanWrite = Annotated[Principal, Depends(require(Permission.PEOPLE_WRITE))]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WorkerCreate(Strict):
    first_name: Name
    last_name: Name
    niss: Niss = Field(description="National register or BIS number; dots and dashes allowed.")
    birth_date: date
    sex: Sex
    nationality: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2, e.g. BE")
    work_email: EmailStr
    birth_place: str | None = Field(default=None, min_length=1, max_length=100, description="Town of birth")
    mobile_phone: str | None = Field(default=None, pattern=r"^\+?[0-9 ./-]{6,20}$")


class ContractCreate(Strict):
    start_date: date = Field(description="From the worker's birth date to a year from today")
    end_date: date | None = Field(default=None, description="Not before the start; in 2100 at the latest")
    contract_type: ContractType
    weekly_hours: Decimal = Field(gt=0, le=MAX_WEEKLY_HOURS, max_digits=5, decimal_places=2)
    gross_monthly_salary: Decimal = Field(gt=0, le=MAX_GROSS_MONTHLY_SALARY, max_digits=10, decimal_places=2)
    joint_committee: str = Field(pattern=r"^(\d{3}(\.\d{2}){0,2}|XXX)$", description="e.g. 200, 124.00, XXX")
    worker_type: WorkerType = "OTH"


class ContractOut(BaseModel):
    contract_id: str
    start_date: date
    end_date: date | None
    contract_type: ContractType
    weekly_hours: Decimal
    gross_monthly_salary: Decimal
    joint_committee: str
    worker_type: WorkerType

    @classmethod
    def of(cls, c: Contract) -> ContractOut:
        return cls(**c.__dict__)


class WorkerOut(BaseModel):
    worker_id: str
    first_name: str
    last_name: str
    niss: str
    birth_date: date
    sex: Sex
    nationality: str
    work_email: str
    birth_place: str | None = None
    mobile_phone: str | None = None
    contracts: list[ContractOut]

    @classmethod
    def of(cls, w: Worker) -> WorkerOut:
        return cls(
            worker_id=w.worker_id,
            first_name=w.first_name,
            last_name=w.last_name,
            niss=w.niss,
            birth_date=w.birth_date,
            sex=w.sex,
            nationality=w.nationality,
            work_email=w.work_email,
            birth_place=w.birth_place,
            mobile_phone=w.mobile_phone,
            contracts=[ContractOut.of(c) for c in w.contracts],
        )


@router.post(
    "/workers", status_code=201, response_model=WorkerOut, responses=problems(409), summary="Register a worker"
)
async def create_worker(
    body: WorkerCreate, principal: CanWrite, db: Database, request: Request, response: Response
) -> WorkerOut:
    worker = Worker(worker_id=use_cases.new_id(), tenant=principal.tenant, **body.model_dump())
    worker = await use_cases.register_worker(db, worker)
    response.headers["Location"] = location(request, f"/workers/{worker.worker_id}")
    return WorkerOut.of(worker)


@router.get("/workers", response_model=Page[WorkerOut], summary="List the employer's workers")
async def list_workers(principal: CanRead, db: Database, limit: Limit = 50, offset: Offset = 0) -> Page[WorkerOut]:
    workers, total = await use_cases.list_workers(db, tenant=principal.tenant, limit=limit, offset=offset)
    return Page(items=[WorkerOut.of(w) for w in workers], total=total, limit=limit, offset=offset)


@router.get("/workers/{worker_id}", response_model=WorkerOut, summary="One worker with its contracts")
async def get_worker(worker_id: str, principal: CanRead, db: Database) -> WorkerOut:
    return WorkerOut.of(await use_cases.get_worker(db, tenant=principal.tenant, worker_id=worker_id))


@router.post(
    "/workers/{worker_id}/contracts",
    status_code=201,
    response_model=ContractOut,
    responses=problems(409),
    summary="Sign a contract",
)
async def create_contract(
    worker_id: str, body: ContractCreate, principal: CanWrite, db: Database, request: Request, response: Response
) -> ContractOut:
    contract = await use_cases.sign_contract(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        contract=Contract(contract_id=use_cases.new_id(), **body.model_dump()),
        today=use_cases.today_in_belgium(datetime.now(UTC)),
    )
    response.headers["Location"] = location(request, f"/workers/{worker_id}/contracts/{contract.contract_id}")
    return ContractOut.of(contract)


@router.get(
    "/workers/{worker_id}/contracts", response_model=Page[ContractOut], summary="A worker's contracts, by start date"
)
async def list_contracts(
    worker_id: str, principal: CanRead, db: Database, limit: Limit = 50, offset: Offset = 0
) -> Page[ContractOut]:
    contracts, total = await use_cases.list_contracts(
        db, tenant=principal.tenant, worker_id=worker_id, limit=limit, offset=offset
    )
    return Page(items=[ContractOut.of(c) for c in contracts], total=total, limit=limit, offset=offset)


@router.get("/workers/{worker_id}/contracts/{contract_id}", response_model=ContractOut, summary="One contract")
async def get_contract(worker_id: str, contract_id: str, principal: CanRead, db: Database) -> ContractOut:
    contract = await use_cases.get_contract(db, tenant=principal.tenant, worker_id=worker_id, contract_id=contract_id)
    return ContractOut.of(contract)
