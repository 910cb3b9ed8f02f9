"""Rotating refresh tokens (OAuth 2.0 Security BCP): each use returns a new one and retires the old; using a
retired one again means it leaked, so its whole family is revoked. Only a SHA-256 of each token is stored.

A refresh token stops working when its user is blocked or deleted, loses an application or changes password:
the user document's `sessions_valid_after` moves in the same write as that change.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from . import repository

REFRESH_TOKENS = "refresh_tokens"
REFRESH_TOKEN_TTL = timedelta(days=14)


class RefreshRefused(Exception):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[REFRESH_TOKENS].create_index([("family", ASCENDING)], name="family")
    await db[REFRESH_TOKENS].create_index([("user_id", ASCENDING)], name="user")


async def issue(db: AsyncDatabase[Any], *, user_id: str, tenant: str, now: datetime, family: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    await db[REFRESH_TOKENS].insert_one(
        {
            "_id": _digest(token),
            "user_id": user_id,
            "tenant": tenant,
            "family": family or secrets.token_hex(16),
            "issued_at": now,
            "expires_at": now + REFRESH_TOKEN_TTL,
            "used": False,
            "revoked": False,
        }
    )
    return token


async def rotate(db: AsyncDatabase[Any], token: str, *, now: datetime) -> tuple[str, str, str]:
    """(user id, tenant, family) of a valid refresh token, which is retired by this call."""
    doc = await db[REFRESH_TOKENS].find_one({"_id": _digest(token)})
    if doc is None or doc["revoked"] or doc["expires_at"] <= now:
        raise RefreshRefused("The refresh token is not valid.")
    retired = await db[REFRESH_TOKENS].update_one({"_id": doc["_id"], "used": False}, {"$set": {"used": True}})
    if retired.modified_count == 0:
        await db[REFRESH_TOKENS].update_many({"family": doc["family"]}, {"$set": {"revoked": True}})
        raise RefreshRefused("The refresh token was used already; its whole family is revoked.")
    valid_after = await repository.sessions_valid_after(db, doc["user_id"])
    if valid_after is not None and doc["issued_at"] < valid_after:
        raise RefreshRefused("The session has ended.")
    return doc["user_id"], doc["tenant"], doc["family"]
