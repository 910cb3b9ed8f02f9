"""`make bench`, identity: grants per second through the gateway (password, refresh token, client credentials)
next to Keycloak's published sizing, and token verification next to the raw cost of what dominates each (an
argon2id verification, an ES256 signature check), all measured in one run on the real stack it starts on free
ports. Bounded in count and time; talks only to that stack."""

from __future__ import annotations

import asyncio
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable

import httpx
import jwt
from argon2 import PasswordHasher
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from ruche_devstack.ports import ephemeral_profile
from ruche_devstack.stack import Stack
from ruche_servicekit.auth import TokenVerifier

from tests.e2e.support import register_employer

LOGINS, LOGIN_CONCURRENCY = 60, 4
GRANTS, GRANT_CONCURRENCY = 1500, 8
VERIFICATIONS = 3000
ARGON2_ROUNDS = 30
SIGNATURE_CHECKS = 3000
# Keycloak's sizing guide (keycloak.org/high-availability/concepts-memory-and-cpu-sizing): per vCPU, about 120
# client-credentials grants or 120 refresh-token grants per second.
KEYCLOAK_PER_VCPU = 120
CORES = os.cpu_count() or 1
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:10.1f} /s   {seconds / count * 1000:8.3f} ms each"


async def timed(count: int, concurrency: int, action: Callable[[int], Awaitable[object]]) -> float:
    """Run `action(worker)` `count` times with `concurrency` workers; the wall-clock seconds it took."""
    queue = iter(range(count))

    async def worker(n: int) -> None:
        for _ in queue:
            await action(n)

    started = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return time.perf_counter() - started


async def refresh_grants(client: httpx.AsyncClient, username: str, password: str) -> float:
    """Each worker rotates its own refresh-token chain (each token works once)."""
    chains = []
    for _ in range(GRANT_CONCURRENCY):
        answer = await client.post(
            "/identity/token", data={"grant_type": "password", "username": username, "password": password}
        )
        chains.append(answer.json()["refresh_token"])

    async def refresh(n: int) -> None:
        answer = await client.post("/identity/token", data={"grant_type": "refresh_token", "refresh_token": chains[n]})
        assert answer.status_code == 200, answer.text
        chains[n] = answer.json()["refresh_token"]

    return await timed(GRANTS, GRANT_CONCURRENCY, refresh)


async def client_credential_grants(client: httpx.AsyncClient, employer_headers: dict[str, str], audience: str) -> float:
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    created = await client.post(
        "/identity/technical-users",
        json={"name": "bench machine", "public_key": pem.decode(), "grants": {"presence": "registrar"}},
        headers=employer_headers,
    )
    assert created.status_code == 201, created.text
    client_id = created.json()["client_id"]

    async def grant(_: int) -> None:
        now = time.time()
        claims = {
            "iss": client_id,
            "sub": client_id,
            "aud": audience,
            "iat": now,
            "exp": now + 60,
            "jti": uuid.uuid4().hex,
        }
        form = {
            "grant_type": "client_credentials",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": jwt.encode(claims, key, algorithm="ES256"),
        }
        answer = await client.post("/identity/token", data=form)
        assert answer.status_code == 200, answer.text

    return await timed(GRANTS, GRANT_CONCURRENCY, grant)


async def main() -> None:
    with Stack(ephemeral_profile("bench"), services=("identity",)) as stack:
        settings = stack.service_environment("identity")
        issuer = f"{settings['PUBLIC_URL']}/identity"
        limits = httpx.Limits(max_connections=GRANT_CONCURRENCY * 2)
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30, limits=limits) as client:
            employer = await register_employer(client, stack)
            form = {"grant_type": "password", "username": employer.username, "password": employer.password}

            async def login(_: int) -> None:
                response = await client.post("/identity/token", data=form)
                assert response.status_code == 200, response.text

            login_seconds = await timed(LOGINS, LOGIN_CONCURRENCY, login)
            refresh_seconds = await refresh_grants(client, employer.username, employer.password)
            cc_seconds = await client_credential_grants(client, employer.headers(), f"{issuer}/token")

            verifier = TokenVerifier(settings["JWKS_URL"], issuer=issuer, audience="ruche")
            await verifier.verify(employer.token)  # fetch and cache the keys once
            started = time.perf_counter()
            for _ in range(VERIFICATIONS):
                await verifier.verify(employer.token)
            verify_seconds = time.perf_counter() - started
            public_key = jwt.PyJWKClient(settings["JWKS_URL"]).get_signing_key_from_jwt(employer.token).key

    hasher = PasswordHasher()
    password_hash = hasher.hash(employer.password)
    samples = []
    for _ in range(ARGON2_ROUNDS):
        started = time.perf_counter()
        hasher.verify(password_hash, employer.password)
        samples.append(time.perf_counter() - started)
    argon2_seconds = sum(samples)

    started = time.perf_counter()
    for _ in range(SIGNATURE_CHECKS):
        jwt.decode(employer.token, public_key, algorithms=["ES256"], audience="ruche", issuer=issuer)
    signature_seconds = time.perf_counter() - started

    keycloak = KEYCLOAK_PER_VCPU * CORES
    print(f"identity benchmark ({CORES}-core machine; one run, loopback, through the nginx gateway)")
    print(f"  password grant, {LOGIN_CONCURRENCY} at a time                {per_second(LOGINS, login_seconds)}")
    print(
        f"  raw argon2id verification                  {per_second(ARGON2_ROUNDS, argon2_seconds)}"
        f"   (median {statistics.median(samples) * 1000:.1f} ms)"
    )
    print(f"  refresh-token grant, {GRANT_CONCURRENCY} at a time          {per_second(GRANTS, refresh_seconds)}")
    print(f"  client-credentials grant (ES256), {GRANT_CONCURRENCY} at a time {per_second(GRANTS, cc_seconds)}")
    print(f"    Keycloak's sizing: {KEYCLOAK_PER_VCPU}/s per vCPU for each, {keycloak}/s on {CORES} vCPUs")
    print(f"  token verification (services' verifier)   {per_second(VERIFICATIONS, verify_seconds)}")
    print(f"  raw ES256 signature check (PyJWT)          {per_second(SIGNATURE_CHECKS, signature_seconds)}")


if __name__ == "__main__":
    asyncio.run(main())
