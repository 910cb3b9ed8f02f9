"""Bulk hire: up to 500 workers, each with personal data and a contract, under an `Idempotency-Key`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header
from pydantic import TypeAdapter, ValidationError
from ruche_servicekit.app import Database
from ruche_servicekit.openapi import problems
from ruche_servicekit.problems import item_problem, required_idempotency_key

from ..use_cases import bulk
from .contract_schemas import BulkIn, BulkItem, BulkOut, CanWrite
from .deps import Now

router = APIRouter(tags=["workers"])
ITEM = TypeAdapter(BulkItem)


def _item(index: int, raw: dict[str, Any]) -> bulk.Item | bulk.Refused:
    try:
        item = ITEM.validate_python(raw)
    except ValidationError as invalid:
        return bulk.Refused(index, item_problem(invalid))
    return bulk.Item(
        index=index,
        first_name=item.first_name,
        last_name=item.last_name,
        work_email=str(item.work_email),
        personal_data=item.personal_data,
        contract=item.contract.values(),
    )


@router.post(
    "/workers/bulk",
    response_model=BulkOut,
    responses=problems(400),
    summary="Hire up to 500 workers with their contracts; the same Idempotency-Key returns the same answer",
)
async def hire(
    body: BulkIn,
    principal: CanWrite,
    db: Database,
    now: Now,
    idempotency_key: Annotated[str | None, Header()] = None,
) -> BulkOut:
    key = required_idempotency_key(idempotency_key, what="A bulk hire")
    items = [_item(index, raw) for index, raw in enumerate(body.items)]
    answer = await bulk.hire(db, tenant=principal.tenant, key=key, items=items, actor=principal.subject, now=now)
    return BulkOut.model_validate(answer)
