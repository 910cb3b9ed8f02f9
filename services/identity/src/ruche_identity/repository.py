"""Enterprises and users in MongoDB. Every user query outside login filters by tenant."""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from .domain import EnterpriseAlreadyRegistered, NotFound, User, UsernameTaken

ENTERPRISES = "enterprises"
USERS = "users"


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[USERS].create_index([("username", ASCENDING)], unique=True, name="username")
    await db[USERS].create_index([("tenant", ASCENDING), ("last_name", ASCENDING)], name="tenant_last_name")


def _user(doc: dict[str, Any]) -> User:
    return User(
        user_id=doc["_id"],
        tenant=doc["tenant"],
        username=doc["username"],
        last_name=doc["last_name"],
        first_name=doc["first_name"],
        niss=doc["niss"],
        email=doc["email"],
        role=doc["role"],
        permissions=tuple(doc.get("permissions", [])),
    )


async def insert_user(db: AsyncDatabase[Any], user: User, *, password_hash: str) -> None:
    doc = {
        "_id": user.user_id,
        "tenant": user.tenant,
        "username": user.username,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "niss": user.niss,
        "email": user.email,
        "role": user.role,
        "permissions": list(user.permissions),
        "password_hash": password_hash,
    }
    try:
        await db[USERS].insert_one(doc)
    except DuplicateKeyError as exc:
        # A registration killed after storing its access manager but before its enterprise leaves that user
        # behind; the retried registration takes the username over instead of failing for ever.
        orphan = await db[USERS].find_one({"username": user.username, "tenant": user.tenant})
        if orphan is None or await db[ENTERPRISES].find_one({"_id": user.tenant}) is not None:
            raise UsernameTaken("This username is already taken.") from exc
        await db[USERS].replace_one({"_id": orphan["_id"]}, doc | {"_id": orphan["_id"]})


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


async def find_login(db: AsyncDatabase[Any], username: str) -> tuple[User, str] | None:
    doc = await db[USERS].find_one({"username": username})
    if doc is None:
        return None
    return _user(doc), doc["password_hash"]


async def get_user(db: AsyncDatabase[Any], *, tenant: str, user_id: str) -> User:
    doc = await db[USERS].find_one({"_id": user_id, "tenant": tenant})
    if doc is None:
        raise NotFound("No such user.")
    return _user(doc)


async def update_password_hash(db: AsyncDatabase[Any], user_id: str, password_hash: str) -> None:
    await db[USERS].update_one({"_id": user_id}, {"$set": {"password_hash": password_hash}})
