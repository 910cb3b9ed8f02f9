"""Mandates: an employer grants a service provider (another enterprise, e.g. its social secretariat) access to
named applications of its data. The provider's users then ask for a token acting for that employer: it carries
the employer as tenant, only their permissions within the mandated applications, and the mandate's id, so
ending the mandate (either side may) ends those sessions in every service.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import new_event, topics
from ruche_contracts.identity import MandateGranted, MandateRevoked
from ruche_servicekit.outbox import outbox_entry
from ruche_servicekit.paging import find_page

from . import domain, repository
from .domain import User

MANDATES = "mandates"


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[MANDATES].create_index([("tenant", ASCENDING), ("provider", ASCENDING)], name="tenant_provider")
    await db[MANDATES].create_index([("provider", ASCENDING)], name="provider")


def _event(payload: Any, employer: str) -> dict[str, Any]:
    return outbox_entry(topics.IDENTITY_ENTERPRISES, new_event(payload, tenant=employer, subject=employer))


async def grant(
    db: AsyncDatabase[Any], actor: User, *, provider: str, applications: list[str], now: datetime
) -> dict[str, Any]:
    if provider == actor.tenant:
        raise domain.NotAllowed("An enterprise needs no mandate for itself.", field="provider_enterprise_number")
    if not await repository.enterprise_exists(db, provider):
        raise domain.NotFound("No such provider enterprise on Ruche.", field="provider_enterprise_number")
    unknown = [a for a in applications if a not in domain.APPLICATIONS_BY_ID or a == "access"]
    if unknown or not applications:
        raise domain.UnknownApplication(f"Not mandatable: {', '.join(unknown) or 'none given'}.", field="applications")
    if await db[MANDATES].find_one({"tenant": actor.tenant, "provider": provider, "status": "active"}):
        raise domain.DesignationRefused(
            "A mandate to this provider is active; revoke it first.", field="provider_enterprise_number"
        )
    mandate_id = str(uuid.uuid4())
    doc = {
        "_id": mandate_id,
        "tenant": actor.tenant,
        "provider": provider,
        "applications": sorted(set(applications)),
        "status": "active",
        "granted_by": actor.user_id,
        "granted_at": now,
        "_outbox": [
            _event(
                MandateGranted(
                    mandate_id=mandate_id,
                    enterprise_number=actor.tenant,
                    provider_enterprise_number=provider,
                    applications=sorted(set(applications)),
                    actor_id=actor.user_id,
                ),
                actor.tenant,
            )
        ],
    }
    await db[MANDATES].insert_one(doc)
    return doc


async def visible(db: AsyncDatabase[Any], actor: User, *, limit: int, offset: int) -> tuple[list[dict], int]:
    """Mandates the actor's enterprise gave and those it received."""
    query = {"$or": [{"tenant": actor.tenant}, {"provider": actor.tenant}]}
    return await find_page(db[MANDATES], query, sort=[("granted_at", -1)], limit=limit, offset=offset)


async def revoke(db: AsyncDatabase[Any], actor: User, mandate_id: str, *, now: datetime) -> dict[str, Any]:
    doc = await db[MANDATES].find_one(
        {"_id": mandate_id, "$or": [{"tenant": actor.tenant}, {"provider": actor.tenant}]}
    )
    if doc is None:
        raise domain.NotFound("No such mandate.")
    if doc["status"] == "active":
        await db[MANDATES].update_one(
            {"_id": mandate_id, "status": "active"},
            {
                "$set": {"status": "revoked", "revoked_by": actor.user_id, "revoked_at": now},
                "$push": {
                    "_outbox": _event(
                        MandateRevoked(
                            mandate_id=mandate_id,
                            enterprise_number=doc["tenant"],
                            provider_enterprise_number=doc["provider"],
                            actor_id=actor.user_id,
                        ),
                        doc["tenant"],
                    )
                },
            },
        )
    updated = await db[MANDATES].find_one({"_id": mandate_id}, {"_outbox": 0})
    assert updated is not None
    return updated


async def acting_for(db: AsyncDatabase[Any], user: User, employer: str) -> tuple[str, tuple[str, ...]]:
    """(mandate id, permissions) for `user` of a provider acting for `employer`; refused without a mandate."""
    doc = await db[MANDATES].find_one({"tenant": employer, "provider": user.tenant, "status": "active"})
    if doc is None:
        raise domain.NotAllowed("Your enterprise holds no mandate from this employer.", field="acting_for")
    return doc["_id"], domain.mandated_permissions(user.permissions, doc["applications"])
