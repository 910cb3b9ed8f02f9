"""Identity's MongoDB collections, one module per noun: the only code of identity that touches the database.

Hot paths look documents up by `_id` (refresh tokens by their digest, used assertions by client and `jti`, login
attempts by login, technical users by client id), the one filter FerretDB answers from an index.
"""

from __future__ import annotations

from pymongo import ASCENDING, DESCENDING
from ruche_servicekit.mongo import Db

from . import assertions, login_attempts, refresh_tokens, reset_links
from .names import (
    AUDIT,
    DESIGNATIONS,
    EMPLOYEES,
    ENTERPRISES,
    IDENTITIES,
    LOGIN_ATTEMPTS,
    MANDATES,
    OUTBOX_COLLECTIONS,
    REFRESH_TOKENS,
    RESET_LINKS,
    SIGNING_KEYS,
    USED_ASSERTIONS,
    USERS,
)

__all__ = [
    "AUDIT",
    "DESIGNATIONS",
    "EMPLOYEES",
    "ENTERPRISES",
    "HOUSEKEEPING",
    "IDENTITIES",
    "LOGIN_ATTEMPTS",
    "MANDATES",
    "OUTBOX_COLLECTIONS",
    "REFRESH_TOKENS",
    "RESET_LINKS",
    "SIGNING_KEYS",
    "USED_ASSERTIONS",
    "USERS",
    "create_indexes",
]

# Expired records, removed by the service itself (FerretDB has no TTL index).
HOUSEKEEPING = (
    refresh_tokens.remove_expired,
    assertions.remove_expired,
    reset_links.remove_expired,
    login_attempts.remove_stale,
)


async def create_indexes(db: Db) -> None:
    await db[USERS].create_index([("username", ASCENDING)], unique=True, name="username")
    await db[USERS].create_index([("tenant", ASCENDING), ("search.last_name", ASCENDING)], name="tenant_last_name")
    await db[USERS].create_index([("tenant", ASCENDING), ("niss", ASCENDING)], name="tenant_niss")
    await db[AUDIT].create_index([("tenant", ASCENDING), ("at", DESCENDING)], name="tenant_at")
    await db[DESIGNATIONS].create_index([("status", ASCENDING), ("created_at", ASCENDING)], name="status")
    await db[REFRESH_TOKENS].create_index([("family", ASCENDING)], name="family")
    await db[MANDATES].create_index([("tenant", ASCENDING), ("provider", ASCENDING)], name="tenant_provider")
    await db[EMPLOYEES].create_index([("identifier", ASCENDING)], unique=True, name="identifier")
    await db[EMPLOYEES].create_index([("tenant", ASCENDING), ("worker_id", ASCENDING)], name="tenant_worker")
