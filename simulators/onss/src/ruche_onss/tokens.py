"""OAuth 2.0 client credentials with a signed JWT (RFC 7523), as ONSS's token endpoint takes them: `iss` = `sub` =
`self_service_expeditor_<number>`, `aud` = ONSS's OAuth audience, signed with the key of the certificate the
expeditor registered (RS256), short-lived, and each assertion (`jti`) used once."""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography import x509
from cryptography.hazmat.primitives.serialization import load_pem_public_key

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
DECLARANT = "scope:dimona:declaration:declarant"
CONSULT = "scope:dimona:declaration:consult"
SCOPES = frozenset({DECLARANT, CONSULT})
EXPEDITOR = re.compile(r"^self_service_expeditor_(\d{1,12})$")
LONGEST_ASSERTION = 600  # seconds between iat and exp


class TokenRefused(Exception):
    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description


@dataclass(frozen=True)
class Grant:
    expeditor: str
    scopes: frozenset[str]
    expires_at: float


class TokenDesk:
    def __init__(self, *, keys_dir: Path, audience: str, token_seconds: int) -> None:
        self.keys_dir, self.audience, self.token_seconds = keys_dir, audience, token_seconds
        self._grants: dict[str, Grant] = {}
        self._used: dict[str, float] = {}  # jti → its assertion's expiry

    def issue(self, *, grant_type: str, assertion_type: str, assertion: str, scope: str | None) -> tuple[str, Grant]:
        if grant_type != "client_credentials":
            raise TokenRefused("unsupported_grant_type", "grant_type must be client_credentials")
        if assertion_type != ASSERTION_TYPE:
            raise TokenRefused("invalid_client", f"client_assertion_type must be {ASSERTION_TYPE}")
        expeditor = self._verify(assertion)
        asked = frozenset(scope.split()) if scope else SCOPES
        if not asked <= SCOPES:
            raise TokenRefused("invalid_scope", f"unknown scope: {' '.join(sorted(asked - SCOPES))}")
        token = secrets.token_urlsafe(32)
        grant = Grant(expeditor, asked, time.time() + self.token_seconds)
        self._grants[token] = grant
        return token, grant

    def grant_of(self, token: str) -> Grant | None:
        grant = self._grants.get(token)
        if grant is None or grant.expires_at <= time.time():
            self._grants.pop(token, None)
            return None
        return grant

    def _verify(self, assertion: str) -> str:
        try:
            claims = jwt.decode(assertion, options={"verify_signature": False})
            header = jwt.get_unverified_header(assertion)
        except jwt.PyJWTError as error:
            raise TokenRefused("invalid_client", f"unreadable client assertion: {error}") from error
        issuer = str(claims.get("iss", ""))
        match = EXPEDITOR.match(issuer)
        if match is None or claims.get("sub") != issuer:
            raise TokenRefused("invalid_client", "iss and sub must both be self_service_expeditor_<number>")
        if header.get("alg") != "RS256":
            raise TokenRefused("invalid_client", "the assertion must be signed with RS256")
        expeditor = match.group(1)
        key = self._key_of(expeditor)
        try:
            verified = jwt.decode(
                assertion,
                key,  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=self.audience,
                issuer=issuer,
                options={"require": ["exp", "iat", "jti", "aud", "iss", "sub"]},
                leeway=30,
            )
        except jwt.PyJWTError as error:
            raise TokenRefused("invalid_client", f"client assertion refused: {error}") from error
        if int(verified["exp"]) - int(verified["iat"]) > LONGEST_ASSERTION:
            raise TokenRefused("invalid_client", "the assertion lives longer than 10 minutes")
        now = time.time()
        self._used = {jti: until for jti, until in self._used.items() if until > now}
        if verified["jti"] in self._used:
            raise TokenRefused("invalid_client", "this assertion was used already (jti)")
        self._used[str(verified["jti"])] = float(verified["exp"]) + 30
        return expeditor

    def _key_of(self, expeditor: str) -> object:
        path = self.keys_dir / f"{expeditor}.pem"
        if not path.is_file():
            raise TokenRefused("invalid_client", f"no certificate registered for expeditor {expeditor}")
        data = path.read_bytes()
        if b"BEGIN CERTIFICATE" in data:
            return x509.load_pem_x509_certificate(data).public_key()
        return load_pem_public_key(data)
