"""The OAuth 2.0 token endpoint's grants: password, refresh_token (rotating, with reuse detection) and
client_credentials with a `private_key_jwt` assertion; acting for an employer under its mandate.

Rotating refresh tokens (OAuth 2.0 Security BCP): each use returns a new one and retires the old; using a retired
one again means it leaked, so its whole family is revoked. Only a SHA-256 of each token is stored, as its `_id`.
A refresh token stops working when its user is blocked or deleted, loses an application or changes password:
the user document's `sessions_valid_after` moves in the same write as that change.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import jwt
from ruche_servicekit.mongo import Db

from ..adapters import client_keys
from ..adapters.signing import ALGORITHM, SigningKey
from ..domain.employees import is_employee_login
from ..domain.errors import LoginRefused, NoMandate
from ..domain.tokens import ACCESS_TOKEN_TTL, REFRESH_TOKEN_TTL, access_token_claims
from ..domain.users import User
from ..repository import assertions, refresh_tokens
from ..repository import users as users_repo
from . import employees, mandates, sign_in

ASSERTION_ALGORITHMS = client_keys.ASSERTION_ALGORITHMS
SIGNING_ALGORITHM = ALGORITHM


@dataclass(frozen=True)
class TokenRequest:
    grant_type: str
    username: str | None = None
    password: str | None = None
    refresh_token: str | None = None
    client_assertion_type: str | None = None
    client_assertion: str | None = None
    acting_for: str | None = None


@dataclass(frozen=True)
class Issued:
    access_token: str
    expires_in: int
    refresh_token: str | None


@dataclass(frozen=True)
class Issuer:
    """Who signs, as whom, for whom: the signing key, `iss`, `aud`, and the token endpoint's own URL (an
    assertion's accepted audience, with the issuer)."""

    key: SigningKey
    issuer: str
    audience: str
    token_endpoint: str


async def grant(db: Db, request: TokenRequest, issuer: Issuer, *, now: datetime) -> Issued:
    """Authenticate the request by its grant, then issue an access token (and a refresh token, but to employees,
    machines and mandated sessions, which sign in again). Refusals are LoginRefused with OAuth's error code."""
    family = None
    if request.grant_type == "password":
        if not request.username or not request.password:
            raise LoginRefused("invalid_request", "grant_type=password needs username and password.")
        user = await _password(db, request.username, request.password, now=now)
    elif request.grant_type == "refresh_token":
        if not request.refresh_token:
            raise LoginRefused("invalid_request", "grant_type=refresh_token needs refresh_token.")
        user, family = await rotate(db, request.refresh_token, now=now)
    elif request.grant_type == "client_credentials":
        if request.client_assertion_type != client_keys.ASSERTION_TYPE or not request.client_assertion:
            raise LoginRefused("invalid_client", "Authenticate with a private_key_jwt client assertion.")
        audiences = [issuer.issuer, issuer.token_endpoint]
        user = await client_credentials(db, request.client_assertion, audiences=audiences, now=now)
    else:
        raise LoginRefused("unsupported_grant_type", "Use grant_type=password, refresh_token or client_credentials.")
    mandate = None
    if request.acting_for is not None:
        mandate = await _mandate(db, user, request.acting_for)
    claims = access_token_claims(
        user, now=now, issuer=issuer.issuer, audience=issuer.audience, token_id=uuid.uuid4().hex, mandate=mandate
    )
    refresh = None
    if user.kind not in ("employee", "technical") and mandate is None:
        refresh = await issue_refresh(db, user, now=now, family=family)
    return Issued(issuer.key.sign(claims), int(ACCESS_TOKEN_TTL.total_seconds()), refresh)


async def _password(db: Db, login: str, password: str, *, now: datetime) -> User:
    if is_employee_login(login):  # a 12-digit identifier or a personal e-mail
        return employees.as_user(await employees.authenticate(db, login=login, password=password, now=now))
    return await sign_in.authenticate_user(db, username=login, password=password, now=now)


async def _mandate(db: Db, user: User, employer: str) -> tuple[str, str, tuple[str, ...]]:
    if user.kind in ("employee", "operator"):
        raise LoginRefused("invalid_request", "Only an enterprise's users act under mandates.")
    try:
        mandate_id, permissions = await mandates.acting_for(db, user, employer)
    except NoMandate as refused:
        raise LoginRefused("invalid_grant", str(refused)) from refused
    return mandate_id, employer, permissions


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_refresh(db: Db, user: User, *, now: datetime, family: str | None = None) -> str:
    token = secrets.token_urlsafe(32)
    await refresh_tokens.insert(
        db,
        {
            "_id": _digest(token),
            "user_id": user.user_id,
            "tenant": user.tenant,
            "family": family or secrets.token_hex(16),
            "issued_at": now,
            "expires_at": now + REFRESH_TOKEN_TTL,
            "used": False,
            "revoked": False,
        },
    )
    return token


async def rotate(db: Db, token: str, *, now: datetime) -> tuple[User, str]:
    """The user of a valid refresh token, which this call retires, and the token's family."""
    digest = _digest(token)
    doc = await refresh_tokens.retire(db, digest)  # one write on the common path: find the token and retire it
    if doc is None:
        replayed = await refresh_tokens.get(db, digest)
        if replayed is None:
            raise LoginRefused("invalid_grant", "The refresh token is not valid.")
        await refresh_tokens.revoke_family(db, replayed["family"])
        raise LoginRefused("invalid_grant", "The refresh token was used already; its whole family is revoked.")
    if doc["revoked"] or doc["expires_at"] <= now:
        raise LoginRefused("invalid_grant", "The refresh token is not valid.")
    user_doc = await users_repo.find_by_id(db, doc["user_id"])
    if user_doc is None or user_doc["tenant"] != doc["tenant"]:
        raise LoginRefused("invalid_grant", "The session has ended.")
    valid_after = users_repo.sessions_valid_after(user_doc)
    if valid_after is not None and doc["issued_at"] < valid_after:
        raise LoginRefused("invalid_grant", "The session has ended.")
    return users_repo.to_user(user_doc), doc["family"]


async def revoke(db: Db, token: str) -> None:
    """RFC 7009: the refresh token and its whole family stop working (sign-out). Unknown tokens are ignored."""
    doc = await refresh_tokens.get(db, _digest(token))
    if doc is not None:
        await refresh_tokens.revoke_family(db, doc["family"])


async def client_credentials(db: Db, assertion: str, *, audiences: list[str], now: datetime) -> User:
    """The technical user whose registered key signed `assertion`; each assertion is accepted once."""
    client_id = client_keys.unverified_issuer(assertion)
    doc = await users_repo.find_by_id(db, client_id) if client_id else None  # a technical user's _id: its client id
    if client_id is None or doc is None or doc.get("kind") != "technical" or doc.get("status") != "active":
        raise LoginRefused("invalid_client", "Unknown or blocked client.")
    try:
        claims = client_keys.verify_assertion(assertion, doc["public_jwk"], client_id=client_id, audiences=audiences)
    except jwt.PyJWTError as exc:
        raise LoginRefused("invalid_client", f"The client assertion is not valid: {exc}") from exc
    expires = datetime.fromtimestamp(float(claims["exp"]), UTC)
    if not await assertions.remember(db, client_id=client_id, jti=str(claims["jti"]), expires_at=expires):
        raise LoginRefused("invalid_client", "This assertion was used already.")
    return users_repo.to_user(doc)
