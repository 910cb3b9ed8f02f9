"""Mandates: an employer's managers grant and revoke them; a provider's managers see and revoke those they
received."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from ruche_contracts.identifiers import EnterpriseNumber
from ruche_servicekit.app import Database, location
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Limit, Offset, Page

from ..domain.applications import ApplicationId
from ..use_cases import mandates
from .deps import Manager, Strict

router = APIRouter(tags=["mandates"])


class MandateCreate(Strict):
    provider_enterprise_number: EnterpriseNumber
    applications: list[ApplicationId] = Field(min_length=1)


class MandateOut(BaseModel):
    mandate_id: str
    enterprise_number: str = Field(description="The employer who gave the mandate.")
    provider_enterprise_number: str
    applications: list[str]
    status: str
    granted_at: datetime

    @classmethod
    def of(cls, doc: dict[str, Any]) -> MandateOut:
        return cls(
            mandate_id=doc["_id"],
            enterprise_number=doc["tenant"],
            provider_enterprise_number=doc["provider"],
            applications=doc["applications"],
            status=doc["status"],
            granted_at=doc["granted_at"],
        )


@router.post(
    "/mandates",
    status_code=201,
    response_model=MandateOut,
    responses=problems(409),
    summary="Let a service provider's users act on this enterprise's data for the named applications",
)
async def grant(request: Request, body: MandateCreate, actor: Manager, db: Database, response: Response) -> MandateOut:
    doc = await mandates.grant(
        db, actor, provider=body.provider_enterprise_number, applications=list(body.applications), now=datetime.now(UTC)
    )
    response.headers["Location"] = location(request, f"/mandates/{doc['_id']}")
    return MandateOut.of(doc)


@router.get("/mandates", response_model=Page[MandateOut], summary="Mandates given and received")
async def visible(actor: Manager, db: Database, limit: Limit = 50, offset: Offset = 0) -> Page[MandateOut]:
    docs, total = await mandates.visible(db, actor, limit=limit, offset=offset)
    return Page(items=[MandateOut.of(d) for d in docs], total=total, limit=limit, offset=offset)


@router.delete(
    "/mandates/{mandate_id}",
    response_model=MandateOut,
    summary="End a mandate (the employer or the provider); sessions under it end",
)
async def revoke(mandate_id: str, actor: Manager, db: Database) -> MandateOut:
    return MandateOut.of(await mandates.revoke(db, actor, mandate_id, now=datetime.now(UTC)))
