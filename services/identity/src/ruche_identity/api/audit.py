"""The audit trail of the caller's enterprise."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel
from ruche_servicekit.app import Database
from ruche_servicekit.paging import Limit, Offset, Page

from ..use_cases import audit
from .deps import Auditor

router = APIRouter(tags=["audit"])


class AuditOut(BaseModel):
    event_id: str
    at: datetime
    action: str
    actor_id: str
    user_id: str
    details: dict[str, Any]


@router.get(
    "/audit",
    response_model=Page[AuditOut],
    summary="Who did what to whom, and when, in the caller's enterprise (newest first)",
)
async def trail(
    actor: Auditor,
    db: Database,
    action: Annotated[str | None, Query(max_length=64, description="e.g. user-created, password-changed")] = None,
    user_id: Annotated[str | None, Query(max_length=64, description="Where this account acted or was acted on")] = None,
    since: Annotated[datetime | None, Query(description="From this time on")] = None,
    until: Annotated[datetime | None, Query(description="Before this time")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[AuditOut]:
    filters = audit.TrailFilter(action=action, user_id=user_id, since=since, until=until)
    docs, total = await audit.trail(db, actor, filters, limit=limit, offset=offset)
    items = [
        AuditOut(
            event_id=d["_id"],
            at=d["at"],
            action=d["action"],
            actor_id=d["actor_id"],
            user_id=d["user_id"],
            details=d.get("details", {}),
        )
        for d in docs
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)
