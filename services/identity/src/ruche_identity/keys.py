"""The signing keys of access tokens: ES256 (P-256), each with a `kid`, published as a JWKS.

A key is created on first start and kept in identity's database, so every replica signs with the same key
and tokens survive restarts. Rotation = insert a new key marked active; old public keys stay in the JWKS
until the tokens they signed have expired.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jwt.algorithms import ECAlgorithm
from pymongo.asynchronous.database import AsyncDatabase

SIGNING_KEYS = "signing_keys"
ALGORITHM = "ES256"


@dataclass(frozen=True)
class SigningKey:
    kid: str
    private_pem: bytes
    public_jwk: dict[str, Any]

    def sign(self, claims: dict[str, object]) -> str:
        return jwt.encode(claims, self.private_pem, algorithm=ALGORITHM, headers={"kid": self.kid})


def _new_key() -> dict[str, Any]:
    private = ec.generate_private_key(ec.SECP256R1())
    kid = uuid.uuid4().hex
    public_jwk = json.loads(ECAlgorithm.to_jwk(private.public_key()))
    public_jwk.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return {
        "_id": kid,
        "private_pem": pem.decode(),
        "public_jwk": public_jwk,
        "active": True,
        "created_at": datetime.now(UTC),
    }


async def ensure_signing_key(db: AsyncDatabase[Any]) -> SigningKey:
    """The active key (the newest), created if there is none. Two replicas starting at once may each create
    one; both are published in the JWKS, so tokens signed with either verify."""
    doc = await db[SIGNING_KEYS].find_one({"active": True}, sort=[("created_at", -1)])
    if doc is None:
        doc = _new_key()
        await db[SIGNING_KEYS].insert_one(doc)
    return SigningKey(kid=doc["_id"], private_pem=doc["private_pem"].encode(), public_jwk=doc["public_jwk"])


async def public_jwks(db: AsyncDatabase[Any]) -> dict[str, list[dict[str, Any]]]:
    return {"keys": [doc["public_jwk"] async for doc in db[SIGNING_KEYS].find({}, {"public_jwk": 1})]}
