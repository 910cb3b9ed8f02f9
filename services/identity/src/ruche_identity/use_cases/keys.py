"""The key that signs access tokens, and the public keys that verify them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ruche_servicekit.mongo import Db

from ..adapters.signing import SigningKey, new_signing_key
from ..repository import signing_keys


async def ensure_signing_key(db: Db, *, now: datetime) -> SigningKey:
    """The active key (the newest), created if there is none. Two replicas starting at once may each create
    one; both are published in the JWKS, so tokens signed with either verify."""
    doc = await signing_keys.active(db)
    if doc is not None:
        return SigningKey(kid=doc["_id"], private_pem=doc["private_pem"].encode(), public_jwk=doc["public_jwk"])
    key = new_signing_key()
    await signing_keys.insert(db, kid=key.kid, private_pem=key.private_pem.decode(), public_jwk=key.public_jwk, now=now)
    return key


async def public_jwks(db: Db) -> dict[str, list[dict[str, Any]]]:
    return {"keys": await signing_keys.public_keys(db)}
