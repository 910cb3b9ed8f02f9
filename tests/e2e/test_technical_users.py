"""A machine client (OAuth 2.0 client credentials with a private_key_jwt assertion) gets only the permissions
of the applications granted to it, each assertion works once, and blocking it ends its access."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ruche_devstack.stack import Stack

from .support import Employer, bearer, unique


def assertion(client_id: str, key: ec.EllipticCurvePrivateKey, audience: str, **overrides) -> str:
    now = time.time()
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": audience,
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
    } | overrides
    return jwt.encode(claims, key, algorithm="ES256")


async def client_token(gateway: httpx.AsyncClient, signed: str) -> httpx.Response:
    return await gateway.post(
        "/identity/token",
        data={
            "grant_type": "client_credentials",
            "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            "client_assertion": signed,
        },
    )


async def test_a_technical_user_gets_its_granted_scopes_through_a_signed_assertion(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer
) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    certificate = _self_signed(key)
    from_certificate = await employer.post(
        "/identity/technical-users", {"name": "from its certificate", "public_key": certificate}
    )
    assert from_certificate.status_code == 201, from_certificate.text  # a certificate's public key is accepted too
    bad_key = await employer.post("/identity/technical-users", {"name": "x", "public_key": "not a key"})
    assert bad_key.status_code == 422 and bad_key.json()["errors"][0]["field"] == "public_key"
    created = await employer.post(
        "/identity/technical-users",
        {"name": "Badge reader, site Midi", "public_key": pem, "grants": {"presence": "registrar"}},
    )
    assert created.status_code == 201, created.text
    client_id = created.json()["client_id"]
    audience = f"{stack.gateway_url}/identity/token"

    signed = assertion(client_id, key, audience)
    answer = await client_token(gateway, signed)
    assert answer.status_code == 200, answer.text
    token = answer.json()["access_token"]
    assert answer.json()["refresh_token"] is None
    assert sorted(jwt.decode(token, options={"verify_signature": False})["permissions"]) == [
        "presence:read",
        "presence:write",
    ]
    workplace = {
        "workplace_id": unique("TU")[:13].upper().ljust(13, "0"),
        "name": "Gare du Midi",
        "address": {"street": "Avenue Fonsny 47", "postal_code": "1060", "city": "Saint-Gilles"},
    }
    assert (await gateway.post("/presence/workplaces", json=workplace, headers=bearer(token))).status_code == 201
    assert (await gateway.get("/people/workers", headers=bearer(token))).status_code == 403  # not granted

    assert (await client_token(gateway, signed)).json()["error"] == "invalid_client"  # replayed
    impostor = ec.generate_private_key(ec.SECP256R1())
    assert (await client_token(gateway, assertion(client_id, impostor, audience))).status_code == 400
    assert (await client_token(gateway, assertion(client_id, key, "https://elsewhere/token"))).status_code == 400

    await employer.post(f"/identity/users/{created.json()['user_id']}/block")
    assert (await client_token(gateway, assertion(client_id, key, audience))).status_code == 400


def _self_signed(key: ec.EllipticCurvePrivateKey) -> str:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "badge-reader.example.be")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    return certificate.public_bytes(serialization.Encoding.PEM).decode()
