"""Designating an enterprise's access manager: a request gets a ticket number and waits until a platform
operator records that the signed form arrived and approves or rejects it. On approval the manager gets
provisional credentials by e-mail (valid PROVISIONAL_VALIDITY), and with "replace the current one" the former
access manager loses the role.

Approval writes several documents, each with its own events and mails, in an order that a retry after a
crash completes: the manager's account (its id derives from the ticket), the enterprise, the former
managers' demotion, and last the request's own status.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from ruche_contracts import new_event, topics
from ruche_contracts.identity import (
    AccessManagerReplaced,
    DesignationApproved,
    DesignationRejected,
    DesignationRequested,
    EnterpriseRegistered,
)
from ruche_servicekit.outbox import outbox_entry, push_outbox
from ruche_servicekit.paging import find_page

from . import domain, mails, passwords, repository
from .domain import DesignationStatus, User
from .users import created_event, user_event

DESIGNATIONS = "designations"


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[DESIGNATIONS].create_index([("status", ASCENDING), ("created_at", ASCENDING)], name="status")


def _enterprise_event(payload: Any, enterprise_number: str) -> dict[str, Any]:
    return outbox_entry(
        topics.IDENTITY_ENTERPRISES, new_event(payload, tenant=enterprise_number, subject=enterprise_number)
    )


async def _current_managers(db: AsyncDatabase[Any], enterprise_number: str) -> list[dict[str, Any]]:
    return (
        await db[repository.USERS]
        .find({"tenant": enterprise_number, "kind": "access_manager", "status": {"$ne": repository.DELETED}})
        .to_list()
    )


async def request(
    db: AsyncDatabase[Any],
    *,
    enterprise: dict[str, str],
    manager: dict[str, Any],
    signatory: dict[str, Any],
    replace_current: bool,
    now: datetime,
) -> dict[str, Any]:
    number = enterprise["enterprise_number"]
    if not replace_current and await _current_managers(db, number):
        raise domain.DesignationRefused(
            "This enterprise has an access manager: ask to replace the current one.", field="replace_current"
        )
    ticket = f"{now:%Y%m%d}-{secrets.randbelow(10**6):06d}"
    doc = {
        "_id": ticket,
        "tenant": number,
        "enterprise": enterprise,
        "manager": manager,
        "signatory": signatory,
        "replace_current": replace_current,
        "status": "pending",
        "created_at": now,
        "_outbox": [
            _enterprise_event(
                DesignationRequested(ticket=ticket, enterprise_number=number, replace_current=replace_current), number
            )
        ],
    }
    try:
        await db[DESIGNATIONS].insert_one(doc)
    except DuplicateKeyError:  # one in a million: draw again
        return await request(
            db, enterprise=enterprise, manager=manager, signatory=signatory, replace_current=replace_current, now=now
        )
    return doc


async def get(db: AsyncDatabase[Any], ticket: str) -> dict[str, Any]:
    doc = await db[DESIGNATIONS].find_one({"_id": ticket}, {"_outbox": 0})
    if doc is None:
        raise domain.NotFound("No such ticket.")
    return doc


async def list_requests(
    db: AsyncDatabase[Any], *, status: DesignationStatus | None, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    query = {"status": status} if status else {}
    return await find_page(db[DESIGNATIONS], query, sort=[("created_at", 1)], limit=limit, offset=offset)


async def record_form_received(db: AsyncDatabase[Any], ticket: str, *, now: datetime) -> dict[str, Any]:
    doc = await get(db, ticket)
    domain.check_can_decide(doc["status"], approving=False)
    await db[DESIGNATIONS].update_one(
        {"_id": ticket, "status": doc["status"]}, {"$set": {"status": "form_received", "form_received_at": now}}
    )
    return await get(db, ticket)


async def reject(db: AsyncDatabase[Any], operator: User, ticket: str, *, reason: str, now: datetime) -> dict[str, Any]:
    doc = await get(db, ticket)
    domain.check_can_decide(doc["status"], approving=False)
    number, manager = doc["tenant"], doc["manager"]
    mail = mails.mail_entry(
        "designation-rejected",
        to=manager["email"],
        language=manager["language"],
        first_name=manager["first_name"],
        ticket=ticket,
        reason=reason,
        enterprise_name=doc["enterprise"]["name"],
    )
    await db[DESIGNATIONS].update_one(
        {"_id": ticket, "status": doc["status"]},
        {
            "$set": {"status": "rejected", "decided_at": now, "decided_by": operator.user_id, "reason": reason},
            "$push": {
                **push_outbox(
                    [
                        _enterprise_event(
                            DesignationRejected(ticket=ticket, enterprise_number=number, actor_id=operator.user_id),
                            number,
                        )
                    ]
                ),
                **mails.push_mail([mail]),
            },
        },
    )
    return await get(db, ticket)


async def approve(db: AsyncDatabase[Any], operator: User, ticket: str, *, now: datetime) -> dict[str, Any]:
    doc = await get(db, ticket)
    domain.check_can_decide(doc["status"], approving=True)
    number, enterprise, manager = doc["tenant"], doc["enterprise"], doc["manager"]
    manager_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"ruche:designation:{ticket}"))
    expires = now + domain.PROVISIONAL_VALIDITY

    # 1. the new access manager, with provisional credentials mailed to them
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
    mail = mails.mail_entry(
        "designation-approved",
        to=manager["email"],
        language=manager["language"],
        first_name=manager["first_name"],
        enterprise_name=enterprise["name"],
        enterprise_number=number,
        ticket=ticket,
        username=username,
        password=password,
        expires=f"{expires:%Y-%m-%d}",
    )
    fresh = manager_id not in {d["_id"] for d in await _current_managers(db, number)}
    if fresh:
        try:
            await repository.insert_user(
                db,
                user,
                password_hash=await passwords.hash_password(password),
                outbox=[created_event(user, actor_id=operator.user_id)],
                extra={"username_provisional": True, "provisional_expires_at": expires, mails.MAIL_FIELD: [mail]},
            )
        except domain.UsernameTaken:
            pass  # a retry after a crash: the account exists already

    # 2. the enterprise, when it is new to Ruche
    if not await repository.enterprise_exists(db, number):
        await repository.insert_enterprise(
            db,
            enterprise_number=number,
            name=enterprise["name"],
            access_manager_id=manager_id,
            outbox=[
                _enterprise_event(
                    EnterpriseRegistered(
                        enterprise_number=number, name=enterprise["name"], access_manager_id=manager_id
                    ),
                    number,
                )
            ],
        )

    # 3. the former access managers lose the role
    replaced = []
    if doc["replace_current"]:
        for former_doc in await _current_managers(db, number):
            if former_doc["_id"] == manager_id:
                continue
            former, version = await repository.get_user(db, tenant=number, user_id=former_doc["_id"])
            demoted = replace(former, kind="user", grants={})
            await repository.save_user(
                db,
                demoted,
                version=version,
                end_sessions=True,
                outbox=[user_event(AccessManagerReplaced, demoted, actor_id=operator.user_id, replaced_by=manager_id)],
            )
            replaced.append(former.user_id)

    # 4. the request itself, last
    await db[DESIGNATIONS].update_one(
        {"_id": ticket, "status": "form_received"},
        {
            "$set": {
                "status": "approved",
                "decided_at": now,
                "decided_by": operator.user_id,
                "access_manager_id": manager_id,
            },
            "$push": push_outbox(
                [
                    _enterprise_event(
                        DesignationApproved(
                            ticket=ticket,
                            enterprise_number=number,
                            access_manager_id=manager_id,
                            replaced_manager_ids=replaced,
                            actor_id=operator.user_id,
                        ),
                        number,
                    )
                ]
            ),
        },
    )
    return await get(db, ticket)


async def ensure_operator(db: AsyncDatabase[Any], *, username: str, password: str, now: datetime) -> None:
    """The platform operator account from the settings, created on first start (configuration, not an
    enterprise's change, so no event)."""
    if await repository.find_login(db, username) is not None:
        return
    operator = User(
        user_id=str(uuid.uuid4()),
        tenant=domain.OPERATOR_TENANT,
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
        await repository.insert_user(db, operator, password_hash=await passwords.hash_password(password), outbox=[])
    except domain.UsernameTaken:
        pass  # another replica created it
