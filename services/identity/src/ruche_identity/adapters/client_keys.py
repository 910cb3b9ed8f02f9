"""Machine clients' public keys (OAuth 2.0 `private_key_jwt`, RFC 7523): read a PEM key or X.509 certificate,
keep it as a JWK, and verify a client's signed assertion with it.

The algorithms follow the key: ES256 for an EC P-256 key; RS256 and PS256 for an RSA key (both sign with the same
RSA key, with different paddings). A PyJWK would pin an RSA key to RS256 alone, so verification uses the key
object itself with the algorithms its type allows.
"""

from __future__ import annotations

import json
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
ALGORITHMS_BY_KEY_TYPE = {"EC": ["ES256"], "RSA": ["RS256", "PS256"]}
ASSERTION_ALGORITHMS = sorted({a for algorithms in ALGORITHMS_BY_KEY_TYPE.values() for a in algorithms})
LEEWAY_SECONDS = 30


class UnusableKey(ValueError):
    pass


def public_jwk(pem: str) -> dict[str, Any]:
    """The JWK of a PEM public key or X.509 certificate (EC P-256, or RSA of 2048 bits or more)."""
    key: object
    try:
        if "BEGIN CERTIFICATE" in pem:  # the machine's X.509 certificate: its public key is what counts
            key = x509.load_pem_x509_certificate(pem.encode()).public_key()
        else:
            key = serialization.load_pem_public_key(pem.encode())
    except ValueError as exc:
        raise UnusableKey("Not a PEM public key or certificate.") from exc
    if isinstance(key, ec.EllipticCurvePublicKey) and isinstance(key.curve, ec.SECP256R1):
        return json.loads(ECAlgorithm.to_jwk(key))
    if isinstance(key, rsa.RSAPublicKey) and key.key_size >= 2048:
        return json.loads(RSAAlgorithm.to_jwk(key))
    raise UnusableKey("Use an EC P-256 or an RSA (2048 bits or more) public key.")


def unverified_issuer(assertion: str) -> str | None:
    try:
        issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
    except jwt.PyJWTError:
        return None
    return str(issuer) if issuer else None


def verify_assertion(assertion: str, jwk: dict[str, Any], *, client_id: str, audiences: list[str]) -> dict[str, Any]:
    """The assertion's claims once its signature, issuer, subject, audience and expiry hold; else jwt.PyJWTError."""
    algorithms = ALGORITHMS_BY_KEY_TYPE[jwk["kty"]]
    key = (ECAlgorithm if jwk["kty"] == "EC" else RSAAlgorithm).from_jwk(json.dumps(jwk))
    claims = jwt.decode(
        assertion,
        key,  # type: ignore[arg-type]
        algorithms=algorithms,
        audience=audiences,
        issuer=client_id,
        options={"require": ["exp", "jti", "sub", "iss", "aud"]},
        leeway=LEEWAY_SECONDS,
    )
    if claims["sub"] != client_id:
        raise jwt.InvalidTokenError("The assertion's sub must be the client id.")
    return claims
