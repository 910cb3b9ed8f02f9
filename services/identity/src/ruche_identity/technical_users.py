"""Technical users: machines (a presence webservice client, a bulk integration) that authenticate with the
OAuth 2.0 client credentials grant and a JWT assertion signed by their own private key (RFC 7523,
`private_key_jwt`). Ruche keeps only the public key an access manager registered; the token carries only the
permissions of the applications granted to that technical user.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from . import domain, repository
from .domain import User
from .users import created_event

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ASSERTION_ALGORITHMS = ["ES256", "RS256", "PS256"]
USED_ASSERTIONS = "used_assertions"


class AssertionRefused(Exception):
    pass


def public_jwk(pem: str) -> dict[str, Any]:
    """The JWK of a PEM public key or X.509 certificate (EC P-256, or RSA of 2048 bits or more), or a refusal
    naming the field."""
    key: object
    try:
        if "BEGIN CERTIFICATE" in pem:  # the machine's X.509 certificate: its public key is what counts
            key = x509.load_pem_x509_certificate(pem.encode()).public_key()
        else:
            key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise domain.Mismatch("Not a PEM public key or certificate.", field="public_key") from exc
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return json.loads(ECAlgorithm.to_jwk(key))
    if isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048:
        return json.loads(RSAAlgorithm.to_jwk(key))
    raise domain.Mismatch("Use an EC P-256 or an RSA (2048 bits or more) public key.", field="public_key")


async def register(
    db: AsyncDatabase[Any], actor: User, *, name: str, public_key: str, grants: dict[str, str], now: datetime
) -> User:
    jwk = public_jwk(public_key)
    client_id = f"tu-{uuid.uuid4().hex[:20]}"
    user = User(
        user_id=str(uuid.uuid4()),
        tenant=actor.tenant,
        username=client_id,
        last_name=name,
        first_name="",
        niss="",
        email="",
        kind="technical",
        created_at=now,
    )
    for application, profile in grants.items():
        user = domain.grant(user, application, profile)
    await repository.insert_user(
        db, user, password_hash="", outbox=[created_event(user, actor_id=actor.user_id)], extra={"public_jwk": jwk}
    )
    return user


async def authenticate(db: AsyncDatabase[Any], *, assertion: str, audiences: list[str], now: datetime) -> User:
    try:
        client_id = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError as exc:
        raise AssertionRefused("The client assertion is not a JWT.") from exc
    doc = await repository.find_login_document(db, str(client_id)) if client_id else None
    if doc is None or doc.get("kind") != "technical" or doc.get("status") != "active" or "public_jwk" not in doc:
        raise AssertionRefused("Unknown or blocked client.")
    try:
        key = jwt.PyJWK(doc["public_jwk"])
        claims = jwt.decode(
            assertion,
            key,
            algorithms=ASSERTION_ALGORITHMS,
            audience=audiences,
            issuer=client_id,
            options={"require": ["exp", "jti", "sub", "iss", "aud"]},
            leeway=30,
        )
    except jwt.PyJWTError as exc:
        raise AssertionRefused(f"The client assertion is not valid: {exc}") from exc
    if claims["sub"] != client_id:
        raise AssertionRefused("The assertion's sub must be the client id.")
    expires = datetime.fromtimestamp(float(claims["exp"]), UTC)
    try:  # each assertion once (RFC 7523 §3: jti), remembered until it expires
        await db[USED_ASSERTIONS].insert_one({"_id": f"{client_id}:{claims['jti']}", "expires_at": expires})
    except DuplicateKeyError as exc:
        raise AssertionRefused("This assertion was used already.") from exc
    user, _ = await repository.get_user(db, tenant=doc["tenant"], user_id=doc["_id"])
    return user
