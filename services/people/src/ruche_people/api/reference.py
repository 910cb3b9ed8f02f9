"""Reference data the forms need: the Belgian joint committees, labelled in the caller's language."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query
from ruche_servicekit.paging import Page

from ..domain import joint_committees, readiness
from .contract_schemas import CanRead, JointCommitteeOut

router = APIRouter(tags=["reference"])


@router.get(
    "/joint-committees",
    response_model=Page[JointCommitteeOut],
    summary="The joint committees a contract may name (number or label search), in Accept-Language",
)
async def list_joint_committees(
    principal: CanRead,
    q: Annotated[str | None, Query(max_length=100)] = None,
    accept_language: Annotated[str | None, Header()] = None,
) -> Page[JointCommitteeOut]:
    found = joint_committees.search(q, readiness.language_of(accept_language))
    items = [JointCommitteeOut(number=number, label=label) for number, label in found]
    return Page(items=items, total=len(items), limit=max(len(items), 1), offset=0)
