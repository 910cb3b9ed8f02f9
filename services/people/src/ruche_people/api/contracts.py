"""Contracts of a worker: sign, read (on a date), amend, end early, cancel, readiness, and sending a refused
Dimona declaration again."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from ruche_servicekit.app import Database, location
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Page

from ..domain import readiness
from ..use_cases import contracts
from ..use_cases.common import today_in_belgium
from .contract_schemas import (
    AmendmentIn,
    CancelIn,
    CanRead,
    CanWrite,
    ContractIn,
    ContractOut,
    EndIn,
    MissingOut,
    ReadinessOut,
)
from .deps import Now

router = APIRouter(tags=["contracts"])
PATH = "/workers/{worker_id}/contracts"
ONE = PATH + "/{contract_id}"
On = Annotated[date | None, Query(description="The version in force on this date (terms_on)")]


def _out(contract: contracts.Contract, now: datetime, on: date | None = None) -> ContractOut:
    return ContractOut.of(contract, today=today_in_belgium(now), on=on)


@router.post(
    PATH,
    status_code=201,
    response_model=ContractOut,
    responses=problems(404, 409),
    summary="Sign a contract; its Dimona IN leaves once nothing is missing (unless another provider)",
)
async def sign(
    worker_id: str, body: ContractIn, principal: CanWrite, db: Database, now: Now, request: Request, response: Response
) -> ContractOut:
    contract = await contracts.sign_contract(
        db, tenant=principal.tenant, worker_id=worker_id, contract_id=str(uuid.uuid4()), values=body.values(), now=now
    )
    response.headers["Location"] = location(request, f"/workers/{worker_id}/contracts/{contract.contract_id}")
    return _out(contract, now)


@router.get(
    PATH, response_model=Page[ContractOut], responses=problems(404), summary="The worker's contracts, by start date"
)
async def list_contracts(worker_id: str, principal: CanRead, db: Database, now: Now) -> Page[ContractOut]:
    found = await contracts.list_contracts(db, tenant=principal.tenant, worker_id=worker_id)
    return Page(items=[_out(c, now) for c in found], total=len(found), limit=max(len(found), 1), offset=0)


@router.get(ONE, response_model=ContractOut, responses=problems(404), summary="One contract, its versions and Dimona")
async def get_contract(
    worker_id: str, contract_id: str, principal: CanRead, db: Database, now: Now, on: On = None
) -> ContractOut:
    contract = await contracts.get_contract(db, tenant=principal.tenant, worker_id=worker_id, contract_id=contract_id)
    return _out(contract, now, on)


@router.post(
    ONE + "/amendments",
    response_model=ContractOut,
    responses=problems(404, 409),
    summary="A new version from effective_date (an UPDATE if the dates change, a new IN after a refusal)",
)
async def amend(
    worker_id: str, contract_id: str, body: AmendmentIn, principal: CanWrite, db: Database, now: Now
) -> ContractOut:
    contract = await contracts.amend_contract(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        effective_date=body.effective_date,
        values=body.changes(),
        now=now,
    )
    return _out(contract, now, body.effective_date)


@router.post(ONE + "/end", response_model=ContractOut, responses=problems(404, 409), summary="End early (an OUT)")
async def end(
    worker_id: str, contract_id: str, body: EndIn, principal: CanWrite, db: Database, now: Now
) -> ContractOut:
    contract = await contracts.end_contract(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        end_date=body.end_date,
        reason=body.reason,
        now=now,
    )
    return _out(contract, now)


@router.post(
    ONE + "/cancel",
    response_model=ContractOut,
    responses=problems(404, 409),
    summary="Cancel a contract that has not started (a CANCEL if an IN was accepted)",
)
async def cancel(
    worker_id: str, contract_id: str, principal: CanWrite, db: Database, now: Now, body: CancelIn | None = None
) -> ContractOut:
    contract = await contracts.cancel_contract(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        contract_id=contract_id,
        reason=body.reason if body else None,
        now=now,
    )
    return _out(contract, now)


@router.post(
    ONE + "/dimona/retry",
    response_model=ContractOut,
    responses=problems(404, 409),
    summary="Send the refused declaration again, as the contract now stands",
)
async def retry(worker_id: str, contract_id: str, principal: CanWrite, db: Database, now: Now) -> ContractOut:
    contract = await contracts.retry_dimona(
        db, tenant=principal.tenant, worker_id=worker_id, contract_id=contract_id, now=now
    )
    return _out(contract, now)


@router.get(
    ONE + "/readiness",
    response_model=ReadinessOut,
    responses=problems(404),
    summary="What is missing before the Dimona can be declared, in the Accept-Language language",
)
async def readiness_of(
    worker_id: str,
    contract_id: str,
    principal: CanRead,
    db: Database,
    accept_language: Annotated[str | None, Header()] = None,
) -> ReadinessOut:
    missing = await contracts.missing_for_dimona(
        db, tenant=principal.tenant, worker_id=worker_id, contract_id=contract_id
    )
    language = readiness.language_of(accept_language)
    return ReadinessOut(
        ready=not missing,
        language=language,
        missing=[MissingOut(field=f, message=readiness.message(f, language)) for f in missing],
    )
