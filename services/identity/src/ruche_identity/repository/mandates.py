"""Mandates: an employer (`tenant`) lets a provider enterprise act on named applications."""

from __future__ import annotations

from typing import Any

from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db
from ruche_servicekit.paging import find_page

from .names import MANDATES


async def insert(db: Db, doc: dict[str, Any]) -> None:
    await outbox.insert(db[MANDATES], doc)


async def active_between(db: Db, *, employer: str, provider: str) -> dict[str, Any] | None:
    return await db[MANDATES].find_one({"tenant": employer, "provider": provider, "status": "active"}, {"_outbox": 0})


def _visible_to(enterprise: str) -> dict[str, Any]:
    return {"$or": [{"tenant": enterprise}, {"provider": enterprise}]}


async def page_visible(db: Db, enterprise: str, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Mandates the enterprise gave and those it received."""
    return await find_page(db[MANDATES], _visible_to(enterprise), sort=[("granted_at", -1)], limit=limit, offset=offset)


async def get_visible(db: Db, enterprise: str, mandate_id: str) -> dict[str, Any] | None:
    return await db[MANDATES].find_one({"_id": mandate_id, **_visible_to(enterprise)}, {"_outbox": 0})


async def end(db: Db, mandate_id: str, change: dict[str, Any]) -> None:
    await outbox.update(db[MANDATES], {"_id": mandate_id, "status": "active"}, change)
