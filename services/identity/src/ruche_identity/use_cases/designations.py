"""Designating an enterprise's access manager: a request gets a ticket and waits until a platform operator
records that the signed form arrived and approves or rejects it. On approval the manager gets provisional
credentials by e-mail (valid PROVISIONAL_VALIDITY), and with "replace the current one" the former access manager
loses the role.

Approval writes several documents, each with its own events and mails, in an order that a retry after a crash
completes: the manager's account (its id derives from the ticket), the enterprise, the former managers'
demotion, and last the request's own status.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from ruche_contracts.identity import (
    AccessManagerReplaced,
    DesignationApproved,
    DesignationRejected,
    DesignationRequested,
    EnterpriseRegistered,
)
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import push_outbox

from ..adapters import passwords
from ..domain import designations as rules
from ..domain.designations import OPERATOR_TENANT, PROVISIONAL_VALIDITY, DesignationStatus
from ..domain.errors import ConcurrentUpdate, ManagerInPlace, NotFound, UsernameTaken
from ..domain.users import User
from ..repository import designations, enterprises
from ..repository import users as users_repo
from . import mails
from .events import created_event, enterprise_event, user_event


async def request(
    db: Db,
    *,
    enterprise: dict[str, str],
    manager: dict[str, Any],
    signatory: dict[str, Any],
    replace_current: bool,
    now: datetime,
) -> dict[str, Any]:
    number = enterprise["enterprise_number"]
    if not replace_current and await users_repo.current_managers(db, number):
        raise ManagerInPlace("This enterprise has an access manager: ask to replace the current one.")
    while True:
        ticket = rules.new_ticket()
        requested = DesignationRequested(ticket=ticket, enterprise_number=number, replace_current=replace_current)
        doc = {
            "_id": ticket,
            "tenant": number,
            "enterprise": enterprise,
            "manager": manager,
            "signatory": signatory,
            "replace_current": replace_current,
            "status": "pending",
            "created_at": now,
            "_outbox": [enterprise_event(requested, number)],
        }
        if await designations.insert(db, doc):  # a taken ticket (one in 2^80): draw again
            return {k: v for k, v in doc.items() if k != "_outbox"}


async def get(db: Db, ticket: str) -> dict[str, Any]:
    doc = await designations.get(db, rules.normalize_ticket(ticket))
    if doc is None:
        raise NotFound("No such ticket.")
    return doc


async def listed(
    db: Db, *, status: DesignationStatus | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    return await designations.page(db, status=status, limit=limit, offset=offset)


async def record_form_received(db: Db, ticket: str, *, now: datetime) -> dict[str, Any]:
    doc = await get(db, ticket)
    rules.check_can_decide(doc["status"], approving=False)
    change = {"$set": {"status": "form_received", "form_received_at": now}}
    if not await designations.move(db, doc["_id"], from_status=doc["status"], change=change):
        raise ConcurrentUpdate("The request changed meanwhile; look again.")
    return await get(db, ticket)


async def reject(db: Db, operator: User, ticket: str, *, reason: str, now: datetime) -> dict[str, Any]:
    doc = await get(db, ticket)
    rules.check_can_decide(doc["status"], approving=False)
    number, manager = doc["tenant"], doc["manager"]
    rejected = DesignationRejected(ticket=doc["_id"], enterprise_number=number, actor_id=operator.user_id)
    mail = mails.mail(
        "designation-rejected",
        to=manager["email"],
        language=manager["language"],
        first_name=manager["first_name"],
        ticket=doc["_id"],
        reason=reason,
        enterprise_name=doc["enterprise"]["name"],
    )
    change = {
        "$set": {"status": "rejected", "decided_at": now, "decided_by": operator.user_id, "reason": reason},
        "$push": push_outbox([enterprise_event(rejected, number), mail]),
    }
    if not await designations.move(db, doc["_id"], from_status=doc["status"], change=change):
        raise ConcurrentUpdate("The request changed meanwhile; look again.")
    return await get(db, ticket)


async def approve(db: Db, operator: User, ticket: str, *, now: datetime) -> dict[str, Any]:
    doc = await get(db, ticket)
    rules.check_can_decide(doc["status"], approving=True)
    manager_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"ruche:designation:{doc['_id']}"))
    await _create_manager(db, operator, doc, manager_id, now=now)
    await _register_enterprise(db, doc, manager_id)
    replaced = await _demote_former_managers(db, operator, doc, manager_id, now=now) if doc["replace_current"] else []
    approved = DesignationApproved(
        ticket=doc["_id"],
        enterprise_number=doc["tenant"],
        access_manager_id=manager_id,
        replaced_manager_ids=replaced,
        actor_id=operator.user_id,
    )
    change = {
        "$set": {
            "status": "approved",
            "decided_at": now,
            "decided_by": operator.user_id,
            "access_manager_id": manager_id,
        },
        "$push": push_outbox([enterprise_event(approved, doc["tenant"])]),
    }
    await designations.move(db, doc["_id"], from_status="form_received", change=change)
    return await get(db, ticket)


async def _create_manager(db: Db, operator: User, doc: dict[str, Any], manager_id: str, *, now: datetime) -> None:
    """The new access manager, with provisional credentials mailed to them (skipped on a retry)."""
    number, enterprise, manager = doc["tenant"], doc["enterprise"], doc["manager"]
    if manager_id in {m.user_id for m in await users_repo.current_managers(db, number)}:
        return
    expires = now + PROVISIONAL_VALIDITY
    username, password = f"pv{secrets.randbelow(10**10):010d}", secrets.token_urlsafe(12)
    user = User(
        user_id=manager_id,
        tenant=number,
        username=username,
        last_name=manager["last_name"],
        first_name=manager["first_name"],
        niss=manager["niss"],
        email=manager["email"],
        kind="access_manager",
        language=manager["language"],
        must_change_password=True,
        created_at=now,
    )
    mail = mails.mail(
        "designation-approved",
        to=manager["email"],
        language=manager["language"],
        first_name=manager["first_name"],
        enterprise_name=enterprise["name"],
        enterprise_number=number,
        ticket=doc["_id"],
        username=username,
        password=password,
        expires=expires,
    )
    try:
        await users_repo.insert_user(
            db,
            user,
            password_hash=await passwords.hash_password(password),
            outbox_entries=[*created_event(user, actor_id=operator.user_id), mail],
            extra={"username_provisional": True, "provisional_expires_at": expires},
        )
    except UsernameTaken:
        pass  # a retry after a crash: the account exists already


async def _register_enterprise(db: Db, doc: dict[str, Any], manager_id: str) -> None:
    number, name = doc["tenant"], doc["enterprise"]["name"]
    registered = EnterpriseRegistered(enterprise_number=number, name=name, access_manager_id=manager_id)
    if not await enterprises.exists(db, number):
        await enterprises.insert_enterprise(
            db,
            enterprise_number=number,
            name=name,
            access_manager_id=manager_id,
            outbox_entries=[enterprise_event(registered, number)],
        )


async def _demote_former_managers(
    db: Db, operator: User, doc: dict[str, Any], manager_id: str, *, now: datetime
) -> list[str]:
    replaced = []
    for former in await users_repo.current_managers(db, doc["tenant"]):
        if former.user_id == manager_id:
            continue
        _, version = await users_repo.get_user(db, tenant=doc["tenant"], user_id=former.user_id)
        demoted = replace(former, kind="user", grants={})
        events = user_event(AccessManagerReplaced, demoted, actor_id=operator.user_id, replaced_by=manager_id)
        await users_repo.save_user(db, demoted, version=version, end_sessions_at=now, outbox_entries=events)
        replaced.append(former.user_id)
    return replaced


async def ensure_operator(db: Db, *, username: str, password: str, now: datetime) -> None:
    """The platform operator account from the settings, created on first start (configuration, not an
    enterprise's change, so no event)."""
    if await users_repo.find_login(db, username) is not None:
        return
    operator = User(
        user_id=str(uuid.uuid4()),
        tenant=OPERATOR_TENANT,
        username=username,
        last_name="Operator",
        first_name="Platform",
        niss="",
        email="operator@ruche.example",
        kind="operator",
        language="en",
        created_at=now,
    )
    try:
        await users_repo.insert_user(
            db, operator, password_hash=await passwords.hash_password(password), outbox_entries=[]
        )
    except UsernameTaken:
        pass  # another replica created it
