"""Workers: add one (names and work e-mail, with personal data or a self-service link), list and read them."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from ruche_contracts.identifiers import normalize_niss
from ruche_servicekit.app import Database, location
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Limit, Offset, Page
from ruche_servicekit.problems import Problem

from ..domain.workers import Status
from ..use_cases import contracts, onboarding, workers
from ..use_cases.common import new_id, today_in_belgium
from .contract_schemas import ContractOut
from .deps import CanRead, CanWrite, Now
from .schemas import SortKey, WorkerCreate, WorkerOut

router = APIRouter(tags=["workers"])


@router.post(
    "/workers",
    status_code=201,
    response_model=WorkerOut,
    responses=problems(409, 422),
    summary="Add a worker (step one), with personal data or a self-service link",
)
async def add_worker(
    body: WorkerCreate, principal: CanWrite, db: Database, now: Now, request: Request, response: Response
) -> WorkerOut:
    if body.personal_data is not None and body.onboarding is not None:
        raise Problem(
            422,
            "Choose one",
            "Either fill in the personal data or send a link.",
            kind="invalid-worker",
            field="onboarding",
        )
    names = {"first_name": body.first_name, "last_name": body.last_name, "work_email": str(body.work_email)}
    worker_id, tenant = new_id(), principal.tenant
    if body.personal_data is not None:
        data = body.personal_data.model_dump()
        worker = await workers.add_registered_worker(
            db, tenant=tenant, worker_id=worker_id, **names, data=data, actor=principal.subject, now=now
        )
    else:
        worker = await workers.add_worker(db, tenant=tenant, worker_id=worker_id, **names, now=now)
    if body.onboarding is not None:
        await onboarding.send_link(
            db,
            tenant=tenant,
            worker_id=worker_id,
            email=str(body.onboarding.email),
            language=body.onboarding.language,
            now=now,
        )
        worker = await workers.get_worker(db, tenant=tenant, worker_id=worker_id)
    response.headers["Location"] = location(request, f"/workers/{worker_id}")
    return WorkerOut.of(worker, today=today_in_belgium(now))


@router.get("/workers", response_model=Page[WorkerOut], responses=problems(422), summary="Find the employer's workers")
async def list_workers(
    principal: CanRead,
    db: Database,
    now: Now,
    q: Annotated[str | None, Query(max_length=100, description="Start of the first or last name")] = None,
    niss: Annotated[str | None, Query(max_length=20, description="National register or BIS number")] = None,
    status: Annotated[Status | None, Query(description="future, in_service or left on `on`")] = None,
    on: Annotated[date | None, Query(description="The day of `status` (today by default)")] = None,
    sort: SortKey = "last_name",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[WorkerOut]:
    if niss:
        try:
            niss = normalize_niss(niss)
        except ValueError as exc:
            raise Problem(422, "Invalid NISS", str(exc), kind="invalid-query", field="niss") from exc
    query = workers.WorkerQuery(
        q=q or None, niss=niss or None, status=status, on=on, sort=sort, limit=limit, offset=offset
    )
    found, total = await workers.list_workers(db, tenant=principal.tenant, query=query, now=now)
    today = today_in_belgium(now)
    items = [WorkerOut.of(w, today=today, status=status) for w, status in found]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.get("/workers/{worker_id}", response_model=WorkerOut, responses=problems(404), summary="One worker")
async def get_worker(worker_id: str, principal: CanRead, db: Database, now: Now) -> WorkerOut:
    worker = await workers.get_worker(db, tenant=principal.tenant, worker_id=worker_id)
    today = today_in_belgium(now)
    signed = await contracts.list_contracts(db, tenant=principal.tenant, worker_id=worker_id)
    summaries = [ContractOut.of(c, today=today).model_dump(mode="json") for c in signed]
    return WorkerOut.of(worker, today=today, contracts=summaries)
