"""Vault's HTTP edge for the employer: which vaults exist and their login identifiers. Calls use cases only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import Database
from ruche_servicekit.auth import Principal, require
from ruche_servicekit.paging import Limit, Offset, Page

from . import use_cases
from .domain import Vault

router = APIRouter(tags=["vaults"])
CanRead = Annotated[Principal, Depends(require(Permission.VAULT_READ))]


class VaultOut(BaseModel):
    vault_id: str
    worker_id: str
    identifier: str
    opened_at: datetime

    @classmethod
    def of(cls, v: Vault) -> VaultOut:
        return cls(vault_id=v.vault_id, worker_id=v.worker_id, identifier=v.identifier, opened_at=v.opened_at)


@router.get("/vaults", response_model=Page[VaultOut], summary="The employer's employee vaults")
async def list_vaults(principal: CanRead, db: Database, limit: Limit = 50, offset: Offset = 0) -> Page[VaultOut]:
    vaults, total = await use_cases.list_vaults(db, tenant=principal.tenant, limit=limit, offset=offset)
    return Page(items=[VaultOut.of(v) for v in vaults], total=total, limit=limit, offset=offset)


@router.get("/workers/{worker_id}/vault", response_model=VaultOut, summary="A worker's vault")
async def get_vault(worker_id: str, principal: CanRead, db: Database) -> VaultOut:
    return VaultOut.of(await use_cases.get_vault(db, tenant=principal.tenant, worker_id=worker_id))
