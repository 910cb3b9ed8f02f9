"""Users in MongoDB. Every query outside login filters by tenant.

A user document carries its own pending events and mails (`_outbox`) and a `version` guarding read-modify-write
updates. A deleted user becomes a tombstone without personal data until its event is published. A technical
user's `_id` is its client id, so the client-credentials grant finds it by `_id`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pymongo.errors import DuplicateKeyError
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import push_outbox
from ruche_servicekit.paging import find_page

from ..domain.applications import MANAGER_KINDS
from ..domain.errors import ConcurrentUpdate, NotFound, UsernameTaken
from ..domain.users import LISTED_KINDS, User, UserCriteria, search_key
from .names import DELETED, USERS

SORTABLE = {
    "last_name": "search.last_name",
    "first_name": "search.first_name",
    "username": "username",
    "last_login_at": "last_login_at",
    "created_at": "created_at",
}
NO_OUTBOX = {"_outbox": 0}


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


def to_user(doc: dict[str, Any]) -> User:
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


async def insert_user(
    db: Db, user: User, *, password_hash: str, outbox_entries: list[dict[str, Any]], extra: dict[str, Any] | None = None
) -> None:
    doc = user_document(user, password_hash=password_hash, version=1) | {"_outbox": outbox_entries} | (extra or {})
    try:
        await outbox.insert(db[USERS], doc)
    except DuplicateKeyError as exc:
        raise UsernameTaken("This username is already taken.") from exc


async def find_login(db: Db, username: str) -> dict[str, Any] | None:
    """The (not deleted) user document with this username, with its password hash and login fields."""
    return await db[USERS].find_one({"username": username, "status": {"$ne": DELETED}}, NO_OUTBOX)


async def find_by_id(db: Db, user_id: str) -> dict[str, Any] | None:
    """Any user document by `_id` (indexed), whatever its tenant: for sign-in paths that know only the id."""
    doc = await db[USERS].find_one({"_id": user_id}, NO_OUTBOX)
    return doc if doc is not None and doc.get("status") != DELETED else None


async def get_user(db: Db, *, tenant: str, user_id: str) -> tuple[User, int]:
    """The user and the version it was read at."""
    doc = await db[USERS].find_one({"_id": user_id, "tenant": tenant}, NO_OUTBOX)
    if doc is None or doc.get("status") == DELETED:
        raise NotFound("No such user.")
    return to_user(doc), doc.get("version", 0)


async def get_users(db: Db, *, tenant: str, user_ids: list[str]) -> list[tuple[User, int]]:
    found = {}
    for user_id in dict.fromkeys(user_ids):  # one indexed lookup each rather than a scan for `$in`
        doc = await db[USERS].find_one({"_id": user_id, "tenant": tenant}, NO_OUTBOX)
        if doc is not None and doc.get("status") != DELETED:
            found[user_id] = (to_user(doc), doc.get("version", 0))
    missing = [u for u in user_ids if u not in found]
    if missing:
        raise NotFound(f"No such user: {', '.join(missing)}.", field="user_ids")
    return [found[u] for u in user_ids]


async def current_managers(db: Db, tenant: str) -> list[User]:
    docs = await db[USERS].find({"tenant": tenant, "kind": "access_manager", "status": {"$ne": DELETED}}).to_list()
    return [to_user(d) for d in docs]


async def save_user(
    db: Db,
    user: User,
    *,
    version: int,
    outbox_entries: list[dict[str, Any]],
    password_hash: str | None = None,
    end_sessions_at: datetime | None = None,
) -> None:
    """Write the user's new state and its events, only if nobody changed it since `version` was read. With
    `end_sessions_at`, refresh tokens issued before then stop working in the same write."""
    fields = user_document(user, password_hash=password_hash or "", version=version + 1)
    del fields["_id"]
    if password_hash is None:
        del fields["password_hash"]
    if end_sessions_at is not None:
        fields["sessions_valid_after"] = end_sessions_at
    result = await outbox.update(
        db[USERS],
        {"_id": user.user_id, "tenant": user.tenant, "version": version},
        {"$set": fields, "$push": push_outbox(outbox_entries)},
    )
    if result.matched_count == 0:
        raise ConcurrentUpdate("The user changed meanwhile; try again.")


async def complete_first_login(
    db: Db, user_id: str, *, version: int, username: str, password_hash: str, outbox_entries: list[dict[str, Any]]
) -> None:
    """The user's own username (if it had a provisional one) and password replace the provisional ones."""
    try:
        result = await outbox.update(
            db[USERS],
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
                "$push": push_outbox(outbox_entries),
            },
        )
    except DuplicateKeyError as exc:
        raise UsernameTaken("This username is already taken.", field="new_username") from exc
    if result.matched_count == 0:
        raise ConcurrentUpdate("The user changed meanwhile; try again.")


async def record_login(db: Db, user_id: str, *, at: datetime) -> None:
    await db[USERS].update_one({"_id": user_id}, {"$set": {"last_login_at": at}})


async def update_password_hash(db: Db, user_id: str, password_hash: str) -> None:
    await db[USERS].update_one({"_id": user_id}, {"$set": {"password_hash": password_hash}})


async def delete_user(db: Db, user: User, *, version: int, outbox_entries: list[dict[str, Any]]) -> None:
    """Replace the user by a tombstone holding no personal data, and its event until the relay publishes it."""
    result = await outbox.replace(
        db[USERS],
        {"_id": user.user_id, "tenant": user.tenant, "version": version},
        {
            "tenant": user.tenant,
            "username": f"{DELETED}:{user.user_id}",
            "status": DELETED,
            "version": version + 1,
            "_outbox": outbox_entries,
        },
    )
    if result.matched_count == 0:
        raise ConcurrentUpdate("The user changed meanwhile; try again.")


def sessions_valid_after(doc: dict[str, Any]) -> datetime | None:
    """When the user's sessions were last ended (block, password change, ...); the end of time if blocked."""
    if doc.get("status") != "active":
        return datetime.max.replace(tzinfo=UTC)
    return doc.get("sessions_valid_after")


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
    """The query for the enterprise's users (not its technical users) matching every criterion, or
    (complementary) exactly those that do not. None when nothing can match (the complement of no criteria)."""
    base: dict[str, Any] = {"tenant": tenant, "kind": {"$in": list(LISTED_KINDS)}}
    clauses = _criteria_filter(criteria)
    if not clauses:
        return None if complementary else base
    matching = {"$and": clauses}
    return base | ({"$nor": [matching]} if complementary else matching)


async def search_users(
    db: Db,
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
    return [to_user(d) for d in docs], total


async def technical_users(db: Db, *, tenant: str, limit: int, offset: int) -> tuple[list[tuple[User, str]], int]:
    """The enterprise's technical users with the key type of each."""
    docs, total = await find_page(
        db[USERS], {"tenant": tenant, "kind": "technical"}, sort=[("created_at", 1)], limit=limit, offset=offset
    )
    return [(to_user(d), d.get("public_jwk", {}).get("kty", "")) for d in docs], total
