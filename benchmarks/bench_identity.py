"""`make bench`: how fast identity logs people in and how fast services verify tokens, next to the raw cost
of what dominates each (an argon2id verification, an ES256 signature check), all measured in one run on the
real stack. Bounded in count and time; talks only to the stack it starts on loopback."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable

import httpx
import jwt
from argon2 import PasswordHasher
from ruche_devstack.ports import ephemeral_profile
from ruche_devstack.stack import Stack
from ruche_servicekit.auth import TokenVerifier

from tests.e2e.support import register_employer

LOGINS, LOGIN_CONCURRENCY = 60, 4
VERIFICATIONS = 3000
ARGON2_ROUNDS = 30
SIGNATURE_CHECKS = 3000


def per_second(count: int, seconds: float) -> str:
    return f"{count / seconds:10.1f} /s   {seconds / count * 1000:8.3f} ms each"


async def timed(count: int, concurrency: int, action: Callable[[], Awaitable[object]]) -> float:
    queue = iter(range(count))

    async def worker() -> None:
        for _ in queue:
            await action()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started


async def main() -> None:
    with Stack(ephemeral_profile("bench"), services=("identity",)) as stack:
        async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
            employer = await register_employer(client, stack)
            form = {"grant_type": "password", "username": employer.username, "password": employer.password}

            async def login() -> None:
                response = await client.post("/identity/token", data=form)
                assert response.status_code == 200, response.text

            login_seconds = await timed(LOGINS, LOGIN_CONCURRENCY, login)

            settings = stack.service_environment("identity")
            verifier = TokenVerifier(settings["JWKS_URL"], issuer="ruche-identity", audience="ruche")
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
        jwt.decode(employer.token, public_key, algorithms=["ES256"], audience="ruche", issuer="ruche-identity")
    signature_seconds = time.perf_counter() - started

    print("identity benchmark (2-core machine; one run, loopback)")
    print(f"  login through the gateway, {LOGIN_CONCURRENCY} at a time  {per_second(LOGINS, login_seconds)}")
    print(
        f"  raw argon2id verification                  {per_second(ARGON2_ROUNDS, argon2_seconds)}"
        f"   (median {statistics.median(samples) * 1000:.1f} ms)"
    )
    print(f"  token verification (services' verifier)   {per_second(VERIFICATIONS, verify_seconds)}")
    print(f"  raw ES256 signature check (PyJWT)          {per_second(SIGNATURE_CHECKS, signature_seconds)}")


if __name__ == "__main__":
    asyncio.run(main())
