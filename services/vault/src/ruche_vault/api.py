"""Vault's HTTP edge for the employer: which vaults exist and their login identifiers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from ruche_servicekit.app import Database
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.paging import Limit, Offset, Page
from ruche_servicekit.problems import Problem

from . import repository

router = APIRouter(tags=["vaults"])
CanRead = Annotated[Principal, Depends(require("vault:read"))]


class VaultOut(BaseModel):
    vault_id: str
    worker_id: str
    identifier: str
    opened_at: datetime

    @classmethod
    def of(cls, doc: dict[str, Any]) -> VaultOut:
        return cls(
            vault_id=doc["_id"], worker_id=doc["worker_id"], identifier=doc["identifier"], opened_at=doc["opened_at"]
        )


@router.get("/vaults", response_model=Page[VaultOut], summary="The employer's employee vaults")
async def list_vaults(principal: CanRead, db: Database, limit: Limit = 50, offset: Offset = 0):
    docs, total = await repository.list_vaults(db, tenant=principal.tenant, limit=limit, offset=offset)
    return Page(items=[VaultOut.of(d) for d in docs], total=total, limit=limit, offset=offset)


@router.get("/workers/{worker_id}/vault", response_model=VaultOut, summary="A worker's vault")
async def get_vault(worker_id: str, principal: CanRead, db: Database):
    doc = await repository.get_vault(db, tenant=principal.tenant, worker_id=worker_id)
    if doc is None:
        raise Problem(404, "Not found", "No vault for this worker at this employer.", kind="vault-not-found")
    return VaultOut.of(doc)
