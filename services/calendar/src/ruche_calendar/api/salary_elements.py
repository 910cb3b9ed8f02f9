"""One-off salary elements of a worker's month (one by one, and in bulk under an Idempotency-Key) and the message
to the payroll provider, over HTTP. Types are parsed here (decimals, integers, lengths); the rules (bounds, the
code's unit, the contract covering the month, the lock) are the domain's and the use cases', so a refusal reads
the same from one element or from an item of a bulk. Calls use cases only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from pydantic import TypeAdapter, ValidationError
from ruche_servicekit.app import Database, location
from ruche_servicekit.openapi import problems
from ruche_servicekit.problems import item_problem, required_idempotency_key

from ..use_cases import salary_elements as use_cases
from .calendars import CanRead, CanWrite, MonthPath, Now
from .salary_element_schemas import (
    BulkIn,
    BulkItemIn,
    BulkOut,
    ElementIn,
    ElementOut,
    ElementsOut,
    MessageIn,
    MessageOut,
)

router = APIRouter(tags=["salary elements"])

ITEM = TypeAdapter(BulkItemIn)


def _item(index: int, raw: dict[str, Any]) -> use_cases.BulkItem | use_cases.Refused:
    try:
        item = ITEM.validate_python(raw)
    except ValidationError as invalid:
        worker_id = raw.get("worker_id") if isinstance(raw.get("worker_id"), str) else None
        return use_cases.Refused(index, worker_id, item_problem(invalid, prefix=("items", str(index))))
    return use_cases.BulkItem(index, item.worker_id, item.amount, item.unit_amount, item.days, item.comment)


ELEMENTS = "/workers/{worker_id}/months/{month}/salary-elements"


@router.post(
    ELEMENTS,
    status_code=201,
    response_model=ElementOut,
    responses=problems(409),
    summary="Add a one-off salary element (a bonus, a commission, expenses) to a worker's month",
)
async def add_element(
    worker_id: str,
    month: MonthPath,
    body: ElementIn,
    principal: CanWrite,
    db: Database,
    at: Now,
    request: Request,
    response: Response,
) -> ElementOut:
    element = await use_cases.add_salary_element(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        month=month,
        code=body.code,
        amount=body.amount,
        unit_amount=body.unit_amount,
        days=body.days,
        comment=body.comment,
        by=principal.subject,
        now=at,
    )
    response.headers["Location"] = location(
        request, f"/workers/{worker_id}/months/{month}/salary-elements/{element.element_id}"
    )
    return ElementOut.of(element)


@router.get(ELEMENTS, response_model=ElementsOut, summary="A worker's salary elements of a month, with totals per code")
async def list_elements(worker_id: str, month: MonthPath, principal: CanRead, db: Database) -> ElementsOut:
    inputs = await use_cases.read_inputs(db, tenant=principal.tenant, worker_id=worker_id, month=month)
    return ElementsOut.of(inputs)


@router.get(ELEMENTS + "/{element_id}", response_model=ElementOut, summary="One salary element")
async def get_element(
    worker_id: str, month: MonthPath, element_id: str, principal: CanRead, db: Database
) -> ElementOut:
    inputs = await use_cases.read_inputs(db, tenant=principal.tenant, worker_id=worker_id, month=month)
    return ElementOut.of(inputs.element(element_id))


@router.delete(
    ELEMENTS + "/{element_id}",
    status_code=204,
    responses=problems(409),
    summary="Remove a salary element from a worker's month",
)
async def remove_element(
    worker_id: str, month: MonthPath, element_id: str, principal: CanWrite, db: Database, at: Now
) -> Response:
    await use_cases.remove_salary_element(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        month=month,
        element_id=element_id,
        by=principal.subject,
        now=at,
    )
    return Response(status_code=204)


@router.post(
    "/months/{month}/salary-elements/bulk",
    response_model=BulkOut,
    responses=problems(400),
    summary="Add one salary element to each of up to 500 workers' month, each with its own value; the same "
    "Idempotency-Key returns the same answer",
)
async def add_in_bulk(
    month: MonthPath,
    body: BulkIn,
    principal: CanWrite,
    db: Database,
    at: Now,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> BulkOut:
    key = required_idempotency_key(idempotency_key, what="A bulk")
    items = [_item(index, raw) for index, raw in enumerate(body.items)]
    answer = await use_cases.add_in_bulk(
        db, tenant=principal.tenant, key=key, month=month, code=body.code, items=items, by=principal.subject, now=at
    )
    return BulkOut.model_validate(answer)


MESSAGE = "/workers/{worker_id}/months/{month}/message"


@router.get(MESSAGE, response_model=MessageOut, summary="The message to the payroll provider of a worker's month")
async def read_message(worker_id: str, month: MonthPath, principal: CanRead, db: Database) -> MessageOut:
    inputs = await use_cases.read_inputs(db, tenant=principal.tenant, worker_id=worker_id, month=month)
    return MessageOut.of(inputs)


@router.put(
    MESSAGE,
    response_model=MessageOut,
    responses=problems(409),
    summary="Write the message sent to the payroll provider with the month's calendar (empty: remove it)",
)
async def write_message(
    worker_id: str, month: MonthPath, body: MessageIn, principal: CanWrite, db: Database, at: Now
) -> MessageOut:
    inputs = await use_cases.set_message(
        db, tenant=principal.tenant, worker_id=worker_id, month=month, text=body.text, by=principal.subject, now=at
    )
    return MessageOut.of(inputs)
