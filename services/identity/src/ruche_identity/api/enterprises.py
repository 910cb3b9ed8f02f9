"""The enterprise the caller acts for."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from ruche_servicekit.app import Database

from ..use_cases import users
from .deps import Caller
from .schemas import UserSummary

router = APIRouter(tags=["enterprises"])


class EnterpriseOut(BaseModel):
    enterprise_number: str
    name: str
    access_manager: UserSummary | None = None


@router.get("/enterprises/me", response_model=EnterpriseOut, summary="The enterprise the caller acts for")
async def my_enterprise(caller: Caller, db: Database) -> EnterpriseOut:
    doc, manager = await users.my_enterprise(db, caller.tenant)
    return EnterpriseOut(
        enterprise_number=doc["_id"], name=doc["name"], access_manager=UserSummary.of(manager) if manager else None
    )
