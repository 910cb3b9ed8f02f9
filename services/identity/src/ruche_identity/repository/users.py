"""Enterprises, users and the audit trail in MongoDB. Every user query outside login filters by tenant.

A user document carries its own pending events (`_outbox`) and a `version` guarding read-modify-write
updates. A deleted user becomes a tombstone without personal data until its event is published.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from ruche_servicekit.errors import DomainError
from ruche_servicekit.outbox import push_outbox
from ruche_servicekit.paging import find_page

from .domain import MANAGER_KINDS, EnterpriseAlreadyRegistered, NotFound, User, UserCriteria, UsernameTaken, search_key

ENTERPRISES = "enterprises"
USERS = "users"
AUDIT = "audit"
DELETED = "deleted"
SORTABLE = {
    "last_name": "search.last_name",
    "first_name": "search.first_name",
    "username": "username",
    "last_login_at": "last_login_at",
    "created_at": "created_at",
}


class ConcurrentUpdate(DomainError):
    status, kind, title = 409, "concurrent-update", "Changed meanwhile"


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[USERS].create_index([("username", ASCENDING)], unique=True, name="username")
    await db[USERS].create_index([("tenant", ASCENDING), ("search.last_name", ASCENDING)], name="tenant_last_name")
    await db[USERS].create_index([("tenant", ASCENDING), ("niss", ASCENDING)], name="tenant_niss")
    await db[AUDIT].create_index([("tenant", ASCENDING), ("at", DESCENDING)], name="tenant_at")


def user_document(user: User, *, password_hash: str, version: int) -> dict[str, Any]:
    return {
        "_id": user.user_id,
        "tenant": user.tenant,
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "search": {
            "last_name": search_key(user.last_name),
            "first_name": search_key(user.first_name),
            "username": search_key(user.username),
        },
        "niss": user.niss,
        "email": user.email,
        "local_email": user.local_email,
        "title": user.title,
        "language": user.language,
        "kind": user.kind,
        "status": user.status,
        "grants": dict(user.grants),
        "must_change_password": user.must_change_password,
        "created_at": user.created_at,
        "last_login_at": user.last_login_at,
        "password_hash": password_hash,
        "version": version,
    }


def _user(doc: dict[str, Any]) -> User:
    return User(
        user_id=doc["_id"],
        tenant=doc["tenant"],
        username=doc["username"],
        last_name=doc["last_name"],
        first_name=doc["first_name"],
        niss=doc["niss"],
        email=doc["email"],
        kind=doc["kind"],
        language=doc.get("language", "fr"),
        title=doc.get("title"),
        local_email=doc.get("local_email"),
        status=doc.get("status", "active"),
        grants=doc.get("grants", {}),
        must_change_password=doc.get("must_change_password", False),
        created_at=doc.get("created_at"),
        last_login_at=doc.get("last_login_at"),
    )


# Enterprises -----------------------------------------------------------------------------------------------
async def insert_enterprise(
    db: AsyncDatabase[Any], *, enterprise_number: str, name: str, access_manager_id: str, outbox: list[dict]
) -> None:
    try:
        await db[ENTERPRISES].insert_one(
            {
                "_id": enterprise_number,
                "tenant": enterprise_number,
                "name": name,
                "access_manager_ids": [access_manager_id],
                "_outbox": outbox,
            }
        )
    except DuplicateKeyError as exc:
        raise EnterpriseAlreadyRegistered("This enterprise is already registered.") from exc


async def enterprise_exists(db: AsyncDatabase[Any], enterprise_number: str) -> bool:
    return await db[ENTERPRISES].find_one({"_id": enterprise_number}, {"_id": 1}) is not None


async def get_enterprise(db: AsyncDatabase[Any], *, tenant: str) -> dict[str, Any]:
    doc = await db[ENTERPRISES].find_one({"_id": tenant, "tenant": tenant}, {"_outbox": 0})
    if doc is None:
        raise NotFound("No such enterprise.")
    return doc


# Users -----------------------------------------------------------------------------------------------------
async def insert_user(
    db: AsyncDatabase[Any],
    user: User,
    *,
    password_hash: str,
    outbox: list[dict[str, Any]],
    extra: dict[str, Any] | None = None,
) -> None:
    doc = user_document(user, password_hash=password_hash, version=1) | {"_outbox": outbox} | (extra or {})
    try:
        await db[USERS].insert_one(doc)
    except DuplicateKeyError as exc:
        raise UsernameTaken("This username is already taken.") from exc


async def sessions_valid_after(db: AsyncDatabase[Any], user_id: str) -> datetime | None:
    doc = await db[USERS].find_one({"_id": user_id, "status": "active"}, {"sessions_valid_after": 1})
    if doc is None:
        return datetime.max.replace(tzinfo=UTC)  # blocked or deleted: no session is valid
    return doc.get("sessions_valid_after")


async def find_login_document(db: AsyncDatabase[Any], username: str) -> dict[str, Any] | None:
    return await db[USERS].find_one({"username": username, "status": {"$ne": DELETED}}, {"_outbox": 0, "_mail": 0})


async def complete_first_login(
    db: AsyncDatabase[Any],
    user_id: str,
    *,
    version: int,
    username: str,
    password_hash: str,
    outbox: list[dict[str, Any]],
) -> None:
    """The user's own username (if it had a provisional one) and password replace the provisional ones."""
    try:
        result = await db[USERS].update_one(
            {"_id": user_id, "version": version},
            {
                "$set": {
                    "username": username,
                    "search.username": search_key(username),
                    "password_hash": password_hash,
                    "must_change_password": False,
                    "username_provisional": False,
                    "provisional_expires_at": None,
                    "version": version + 1,
                },
                "$push": push_outbox(outbox),
            },
        )
    except DuplicateKeyError as exc:
        raise UsernameTaken("This username is already taken.", field="new_username") from exc
    if result.matched_count == 0:
        raise ConcurrentUpdate("The user changed meanwhile; try again.")


async def find_login(db: AsyncDatabase[Any], username: str) -> tuple[User, str] | None:
    doc = await find_login_document(db, username)
    if doc is None:
        return None
    return _user(doc), doc["password_hash"]


async def get_user(db: AsyncDatabase[Any], *, tenant: str, user_id: str) -> tuple[User, int]:
    """The user and the version it was read at."""
    doc = await db[USERS].find_one({"_id": user_id, "tenant": tenant, "status": {"$ne": DELETED}})
    if doc is None:
        raise NotFound("No such user.")
    return _user(doc), doc.get("version", 0)


async def get_users(db: AsyncDatabase[Any], *, tenant: str, user_ids: list[str]) -> list[tuple[User, int]]:
    docs = await db[USERS].find({"_id": {"$in": user_ids}, "tenant": tenant, "status": {"$ne": DELETED}}).to_list()
    found = {d["_id"]: (_user(d), d.get("version", 0)) for d in docs}
    missing = [u for u in user_ids if u not in found]
    if missing:
        raise NotFound(f"No such user: {', '.join(missing)}.", field="user_ids")
    return [found[u] for u in user_ids]


async def save_user(
    db: AsyncDatabase[Any],
    user: User,
    *,
    version: int,
    outbox: list[dict[str, Any]],
    password_hash: str | None = None,
    end_sessions: bool = False,
) -> None:
    """Write the user's new state and its events, only if nobody changed it since `version` was read. With
    `end_sessions`, refresh tokens issued before now stop working in the same write."""
    fields = user_document(user, password_hash=password_hash or "", version=version + 1)
    del fields["_id"]
    if password_hash is None:
        del fields["password_hash"]
    if end_sessions:
        fields["sessions_valid_after"] = datetime.now(UTC)
    result = await db[USERS].update_one(
        {"_id": user.user_id, "tenant": user.tenant, "version": version},
        {"$set": fields, "$push": push_outbox(outbox)},
    )
    if result.matched_count == 0:
        raise ConcurrentUpdate("The user changed meanwhile; try again.")


async def record_login(db: AsyncDatabase[Any], user_id: str, *, at: datetime) -> None:
    await db[USERS].update_one({"_id": user_id}, {"$set": {"last_login_at": at}})


async def update_password_hash(db: AsyncDatabase[Any], user_id: str, password_hash: str) -> None:
    await db[USERS].update_one({"_id": user_id}, {"$set": {"password_hash": password_hash}})


async def delete_user(db: AsyncDatabase[Any], user: User, *, version: int, outbox: list[dict[str, Any]]) -> None:
    """Replace the user by a tombstone holding no personal data, and its event until the relay publishes it."""
    result = await db[USERS].replace_one(
        {"_id": user.user_id, "tenant": user.tenant, "version": version},
        {
            "tenant": user.tenant,
            "username": f"{DELETED}:{user.user_id}",
            "status": DELETED,
            "version": version + 1,
            "_outbox": outbox,
        },
    )
    if result.matched_count == 0:
        raise ConcurrentUpdate("The user changed meanwhile; try again.")


def _criteria_filter(criteria: UserCriteria) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    for name in ("last_name", "first_name", "username"):
        value = getattr(criteria, name)
        if value is not None:
            clauses.append({f"search.{name}": {"$regex": f"^{re.escape(search_key(value))}"}})
    for name in ("kind", "niss", "status"):
        value = getattr(criteria, name)
        if value is not None:
            clauses.append({name: value})
    if criteria.application is not None:
        clauses.append(
            {"$or": [{f"grants.{criteria.application}": {"$exists": True}}, {"kind": {"$in": list(MANAGER_KINDS)}}]}
        )
    if criteria.not_logged_in_since is not None:
        clauses.append({"$or": [{"last_login_at": None}, {"last_login_at": {"$lt": criteria.not_logged_in_since}}]})
    return clauses


def search_filter(tenant: str, criteria: UserCriteria, *, complementary: bool) -> dict[str, Any] | None:
    """The query for the users matching every criterion, or (complementary) exactly those that do not.
    None when nothing can match (the complement of no criteria)."""
    base: dict[str, Any] = {"tenant": tenant, "status": {"$ne": DELETED}}
    clauses = _criteria_filter(criteria)
    if not clauses:
        return None if complementary else base
    matching = {"$and": clauses}
    return base | ({"$nor": [matching]} if complementary else matching)


async def search_users(
    db: AsyncDatabase[Any],
    tenant: str,
    criteria: UserCriteria,
    *,
    complementary: bool,
    sort: str,
    descending: bool,
    limit: int,
    offset: int,
) -> tuple[list[User], int]:
    query = search_filter(tenant, criteria, complementary=complementary)
    if query is None:
        return [], 0
    docs, total = await find_page(
        db[USERS], query, sort=[(SORTABLE[sort], -1 if descending else 1)], limit=limit, offset=offset
    )
    return [_user(d) for d in docs], total


# Audit -----------------------------------------------------------------------------------------------------
async def find_audit(db: AsyncDatabase[Any], *, tenant: str, limit: int, offset: int) -> tuple[list[dict], int]:
    return await find_page(db[AUDIT], {"tenant": tenant}, sort=[("at", -1)], limit=limit, offset=offset)
