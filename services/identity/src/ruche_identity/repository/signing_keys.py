"""The access tokens' signing keys: created on first start and kept here, so every replica signs with the same
key and tokens survive restarts. Rotation inserts a newer active key; old public keys stay in the JWKS until the
tokens they signed have expired."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ruche_servicekit.mongo import Db

from .names import SIGNING_KEYS


async def active(db: Db) -> dict[str, Any] | None:
    """The newest active key: `_id` (its kid), `private_pem`, `public_jwk`."""
    return await db[SIGNING_KEYS].find_one({"active": True}, sort=[("created_at", -1)])


async def insert(db: Db, *, kid: str, private_pem: str, public_jwk: dict[str, Any], now: datetime) -> None:
    await db[SIGNING_KEYS].insert_one(
        {"_id": kid, "private_pem": private_pem, "public_jwk": public_jwk, "active": True, "created_at": now}
    )


async def public_keys(db: Db) -> list[dict[str, Any]]:
    return [doc["public_jwk"] async for doc in db[SIGNING_KEYS].find({}, {"public_jwk": 1})]
