"""Mandates: an employer grants a service provider (another enterprise, e.g. its social secretariat) access to
named applications of its data. The provider's users then ask for a token acting for that employer: it carries
the employer as tenant, only their permissions within the mandated applications, and the mandate's id, so
ending the mandate (either side may) ends those sessions in every service.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from ruche_contracts.identity import MandateGranted, MandateRevoked
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import push_outbox
from ruche_servicekit.revocations import mandate_subject

from ..domain.applications import mandatable, mandated_permissions
from ..domain.errors import MandateExists, NoMandate, NotAllowed, NotFound, UnknownApplication
from ..domain.users import User
from ..repository import enterprises, mandates
from .events import enterprise_event, sessions_ended


async def grant(db: Db, actor: User, *, provider: str, applications: list[str], now: datetime) -> dict[str, Any]:
    if provider == actor.tenant:
        raise NotAllowed("An enterprise needs no mandate for itself.", field="provider_enterprise_number")
    if not await enterprises.exists(db, provider):
        raise NotFound("No such provider enterprise on Ruche.", field="provider_enterprise_number")
    refused = mandatable(applications)
    if refused or not applications:
        raise UnknownApplication(f"Not mandatable: {', '.join(refused) or 'none given'}.", field="applications")
    if await mandates.active_between(db, employer=actor.tenant, provider=provider):
        raise MandateExists("A mandate to this provider is active; revoke it first.")
    mandate_id, chosen = str(uuid.uuid4()), sorted(set(applications))
    granted = MandateGranted(
        mandate_id=mandate_id,
        enterprise_number=actor.tenant,
        provider_enterprise_number=provider,
        applications=chosen,
        actor_id=actor.user_id,
    )
    doc = {
        "_id": mandate_id,
        "tenant": actor.tenant,
        "provider": provider,
        "applications": chosen,
        "status": "active",
        "granted_by": actor.user_id,
        "granted_at": now,
        "_outbox": [enterprise_event(granted, actor.tenant)],
    }
    await mandates.insert(db, doc)
    return {k: v for k, v in doc.items() if k != "_outbox"}


async def visible(db: Db, actor: User, *, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Mandates the actor's enterprise gave and those it received."""
    return await mandates.page_visible(db, actor.tenant, limit=limit, offset=offset)


async def revoke(db: Db, actor: User, mandate_id: str, *, now: datetime) -> dict[str, Any]:
    doc = await mandates.get_visible(db, actor.tenant, mandate_id)
    if doc is None:
        raise NotFound("No such mandate.")
    if doc["status"] == "active":
        revoked = MandateRevoked(
            mandate_id=mandate_id,
            enterprise_number=doc["tenant"],
            provider_enterprise_number=doc["provider"],
            actor_id=actor.user_id,
        )
        await mandates.end(
            db,
            mandate_id,
            {
                "$set": {"status": "revoked", "revoked_by": actor.user_id, "revoked_at": now},
                "$push": push_outbox(
                    [
                        enterprise_event(revoked, doc["tenant"]),
                        sessions_ended(doc["tenant"], mandate_subject(mandate_id), reason=MandateRevoked.event_type),
                    ]
                ),
            },
        )
    updated = await mandates.get_visible(db, actor.tenant, mandate_id)
    assert updated is not None
    return updated


async def acting_for(db: Db, user: User, employer: str) -> tuple[str, tuple[str, ...]]:
    """(mandate id, permissions) for `user` of a provider acting for `employer`; refused without a mandate."""
    doc = await mandates.active_between(db, employer=employer, provider=user.tenant)
    if doc is None:
        raise NoMandate("Your enterprise holds no mandate from this employer.")
    return doc["_id"], mandated_permissions(user.permissions, doc["applications"])
