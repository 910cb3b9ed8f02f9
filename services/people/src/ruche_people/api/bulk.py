"""Bulk hire: up to 500 workers, each with personal data and a contract, under an `Idempotency-Key`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header
from pydantic import TypeAdapter, ValidationError
from ruche_servicekit.app import Database
from ruche_servicekit.openapi import problems
from ruche_servicekit.problems import PROBLEM_BASE, Problem

from ..use_cases import bulk
from .contract_schemas import BulkIn, BulkItem, BulkOut, CanWrite
from .deps import Now

router = APIRouter(tags=["workers"])
ITEM = TypeAdapter(BulkItem)
LONGEST_KEY = 200


def _schema_problem(invalid: ValidationError) -> dict[str, Any]:
    errors = [
        {
            "field": ".".join(str(p) for p in e["loc"]) or "body",
            "location": "body",
            "message": e["msg"],
            "type": e["type"],
        }
        for e in invalid.errors(include_input=False)
    ]
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return {
        "type": f"{PROBLEM_BASE}validation-error",
        "title": "Invalid request",
        "status": 422,
        "detail": f"Invalid value for: {fields}",
        "errors": errors,
    }


def _item(index: int, raw: dict[str, Any]) -> bulk.Item | bulk.Refused:
    try:
        item = ITEM.validate_python(raw)
    except ValidationError as invalid:
        return bulk.Refused(index, _schema_problem(invalid))
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
    key = (idempotency_key or "").strip()
    if not key or len(key) > LONGEST_KEY:
        raise Problem(
            400,
            "Idempotency-Key required",
            f"A bulk hire needs an Idempotency-Key header (1 to {LONGEST_KEY} characters), the same on a retry.",
            kind="idempotency-key-required",
            field="Idempotency-Key",
        )
    items = [_item(index, raw) for index, raw in enumerate(body.items)]
    answer = await bulk.hire(db, tenant=principal.tenant, key=key, items=items, actor=principal.subject, now=now)
    return BulkOut.model_validate(answer)
