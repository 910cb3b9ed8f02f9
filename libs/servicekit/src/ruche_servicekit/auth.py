"""Who is calling: access tokens signed by identity, verified locally against its cached JWKS.

No call to identity per request: PyJWT's `PyJWKClient` keeps the keys and fetches them again only
when a token names a `kid` it does not know (key rotation) or the cache lifespan ends.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Annotated

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .problems import Problem
from .revocations import RevocationList, mandate_subject

ALGORITHMS = ["ES256"]
KEY_CACHE_SECONDS = 300  # a key withdrawn from identity's JWKS stops working within this


@dataclass(frozen=True)
class Principal:
    subject: str
    tenant: str  # the enterprise number the caller acts for; every query filters on it
    permissions: frozenset[str]
    mandate: str | None = None  # set when a service provider's user acts for `tenant` under a mandate

    def can(self, permission: str) -> bool:
        return permission in self.permissions


class TokenVerifier:
    def __init__(self, jwks_url: str, *, issuer: str, audience: str, revocations: RevocationList | None = None) -> None:
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300, timeout=5)
        self._issuer, self._audience = issuer, audience
        self._revocations = revocations
        self._keys: dict[str, tuple[jwt.PyJWK, float]] = {}  # by kid, with when it was fetched

    async def verify(self, token: str) -> Principal:
        try:
            kid = jwt.get_unverified_header(token).get("kid")
            cached = self._keys.get(kid) if isinstance(kid, str) else None
            if cached is not None and time.monotonic() - cached[1] < KEY_CACHE_SECONDS:
                key = cached[0]
            else:
                # PyJWKClient uses blocking urllib: off the event loop, and only for a key not seen lately.
                key = await asyncio.to_thread(self._jwks.get_signing_key_from_jwt, token)
                self._keys[key.key_id or ""] = (key, time.monotonic())
        except jwt.PyJWKClientConnectionError as exc:
            raise Problem(503, "Token keys unavailable", "The identity service's keys could not be fetched.") from exc
        except jwt.PyJWTError as exc:
            raise _unauthorized("The access token is not valid.") from exc
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                audience=self._audience,
                issuer=self._issuer,
                options={"require": ["exp", "iat", "sub", "tenant"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise _unauthorized("The access token has expired.") from exc
        except jwt.PyJWTError as exc:
            raise _unauthorized("The access token is not valid.") from exc
        # `iat` is whole seconds; `iat_ms` keeps the millisecond, so a session ended at 10:00:00.400 spares a token
        # issued at 10:00:00.700 and not one issued at 10:00:00.300.
        issued = float(claims["iat_ms"]) / 1000 if "iat_ms" in claims else float(claims["iat"])
        mandate = claims.get("mandate")
        if self._revocations and (
            self._revocations.is_revoked(str(claims["sub"]), issued)
            or (mandate and self._revocations.is_revoked(mandate_subject(str(mandate)), issued))
        ):
            raise _unauthorized(
                "This session has ended (account blocked or deleted, rights, password or mandate changed)."
            )
        return Principal(
            subject=str(claims["sub"]),
            tenant=str(claims["tenant"]),
            permissions=frozenset(claims.get("permissions", [])),
            mandate=str(mandate) if mandate else None,
        )


def _unauthorized(detail: str) -> Problem:
    return Problem(401, "Unauthorized", detail, kind="unauthorized", headers={"WWW-Authenticate": "Bearer"})


_bearer = HTTPBearer(auto_error=False, description="An access token from identity's /token endpoint.")


async def current_principal(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise _unauthorized("An access token is required (Authorization: Bearer <token>).")
    verifier: TokenVerifier = request.app.state.token_verifier
    return await verifier.verify(credentials.credentials)


def require(permission: str):
    async def _check(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
        if not principal.can(permission):
            raise Problem(403, "Forbidden", f"This action needs the permission '{permission}'.", kind="forbidden")
        return principal

    return _check
