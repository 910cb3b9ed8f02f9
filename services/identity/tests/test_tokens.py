"""The token endpoint's grants at the use-case tier: rotating refresh tokens, client credentials with EC and RSA
keys (ES256, RS256, PS256), and the lockout of an enterprise's users after failed logins."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from ruche_contracts.identity import AccountLocked
from ruche_identity.adapters.signing import new_signing_key
from ruche_identity.domain.errors import LoginRefused
from ruche_identity.repository import names
from ruche_identity.use_cases import technical_users, tokens, users
from ruche_testing import pending_events, pending_mails

from .conftest import MANAGER_PASSWORD, T0, Enterprise

ISSUER = tokens.Issuer(
    key=new_signing_key(),
    issuer="https://ruche.test/identity",
    audience="ruche",
    token_endpoint="https://ruche.test/identity/token",
)


def password_grant(username: str, password: str) -> tokens.TokenRequest:
    return tokens.TokenRequest(grant_type="password", username=username, password=password)


def claims_of(issued: tokens.Issued) -> dict:
    return jwt.decode(issued.access_token, options={"verify_signature": False})


async def test_a_refresh_token_works_once_and_its_reuse_revokes_the_family(db, enterprise: Enterprise) -> None:
    first = await tokens.grant(db, password_grant(enterprise.manager.username, MANAGER_PASSWORD), ISSUER, now=T0)
    assert first.refresh_token and claims_of(first)["iss"] == ISSUER.issuer
    second = await tokens.grant(
        db, tokens.TokenRequest("refresh_token", refresh_token=first.refresh_token), ISSUER, now=T0
    )
    assert second.refresh_token and second.refresh_token != first.refresh_token
    assert claims_of(second)["sub"] == enterprise.manager.user_id

    with pytest.raises(LoginRefused, match="used already"):  # the first one leaked and is replayed
        await tokens.grant(db, tokens.TokenRequest("refresh_token", refresh_token=first.refresh_token), ISSUER, now=T0)
    with pytest.raises(LoginRefused) as revoked:  # so the legitimate holder's newer token dies too
        await tokens.grant(db, tokens.TokenRequest("refresh_token", refresh_token=second.refresh_token), ISSUER, now=T0)
    assert revoked.value.error == "invalid_grant"


async def test_a_blocked_users_refresh_token_stops_at_once(db, enterprise: Enterprise) -> None:
    created = await users.create_user(
        db,
        enterprise.manager,
        kind="user",
        fields=_fields(),
        password="provisional pass 42",
        grants={"people": "reader"},
        now=T0,
    )
    from ruche_identity.use_cases import sign_in

    await sign_in.first_login(
        db,
        username=created.username,
        password="provisional pass 42",
        new_password="my own phrase 77",
        new_password_confirmation="my own phrase 77",
        new_username=None,
        new_username_confirmation=None,
        now=T0,
    )
    issued = await tokens.grant(db, password_grant(created.username, "my own phrase 77"), ISSUER, now=T0)
    await users.set_status(db, enterprise.manager, created.user_id, blocked=True, now=T0 + timedelta(seconds=1))
    with pytest.raises(LoginRefused, match="ended"):
        await tokens.grant(
            db,
            tokens.TokenRequest("refresh_token", refresh_token=issued.refresh_token),
            ISSUER,
            now=T0 + timedelta(seconds=2),
        )


def _fields() -> dict:
    name = f"lotte.{uuid.uuid4().hex[:8]}"
    return {
        "niss": "85073003328",
        "username": name,
        "last_name": "Janssens",
        "first_name": "Lotte",
        "title": None,
        "language": "nl",
        "email": f"{name}@example.be",
        "local_email": None,
    }


def _pem(key) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _assertion(client_id: str, key, algorithm: str, audience: str = ISSUER.token_endpoint) -> str:
    now = time.time()
    claims = {"iss": client_id, "sub": client_id, "aud": audience, "iat": now, "exp": now + 60, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, key, algorithm=algorithm)


def _client_grant(assertion: str) -> tokens.TokenRequest:
    return tokens.TokenRequest(
        "client_credentials", client_assertion_type=tokens.client_keys.ASSERTION_TYPE, client_assertion=assertion
    )


@pytest.mark.parametrize(
    ("make_key", "algorithms"),
    [
        (lambda: ec.generate_private_key(ec.SECP256R1()), ["ES256"]),
        (lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048), ["RS256", "PS256"]),
    ],
    ids=["EC", "RSA"],
)
async def test_a_machine_signs_its_assertion_with_each_algorithm_its_key_allows(
    db, enterprise, make_key, algorithms
) -> None:
    key = make_key()
    robot, _ = await technical_users.register(
        db, enterprise.manager, name="badge reader", public_key=_pem(key), grants={"presence": "registrar"}, now=T0
    )
    for algorithm in algorithms:
        issued = await tokens.grant(db, _client_grant(_assertion(robot.user_id, key, algorithm)), ISSUER, now=T0)
        assert claims_of(issued)["permissions"] == ["presence:read", "presence:write"]
        assert issued.refresh_token is None
    replayed = _assertion(robot.user_id, key, algorithms[0])
    await tokens.grant(db, _client_grant(replayed), ISSUER, now=T0)
    with pytest.raises(LoginRefused, match="used already"):
        await tokens.grant(db, _client_grant(replayed), ISSUER, now=T0)
    with pytest.raises(LoginRefused) as elsewhere:
        await tokens.grant(
            db, _client_grant(_assertion(robot.user_id, key, algorithms[0], "https://else/token")), ISSUER, now=T0
        )
    assert elsewhere.value.error == "invalid_client"
    if "RS256" in algorithms:  # an RSA key does not sign ES256, and an HMAC "signature" is no signature
        with pytest.raises(LoginRefused):
            await tokens.grant(
                db, _client_grant(_assertion(robot.user_id, "shared-secret" * 3, "HS256")), ISSUER, now=T0
            )


async def test_three_wrong_passwords_lock_a_managers_login_until_a_new_password_is_given(db, enterprise) -> None:
    created = await users.create_user(
        db, enterprise.manager, kind="user", fields=_fields(), password="provisional pass 42", grants={}, now=T0
    )
    for _ in range(3):
        with pytest.raises(LoginRefused):
            await tokens.grant(db, password_grant(created.username, "wrong password"), ISSUER, now=T0)
    with pytest.raises(LoginRefused, match="120 minutes"):  # even the right password, while locked
        await tokens.grant(db, password_grant(created.username, "provisional pass 42"), ISSUER, now=T0)
    events = await pending_events(db, names.USERS, created.user_id)
    assert any(isinstance(e.data, AccountLocked) for e in events)
    assert [m["to"] for m in await pending_mails(db, names.USERS, created.user_id)] == [created.email]

    await users.set_provisional_password(
        db,
        enterprise.manager,
        created.user_id,
        password="a fresh provisional 9",
        confirmation="a fresh provisional 9",
        now=T0,
    )
    with pytest.raises(LoginRefused) as unlocked:
        await tokens.grant(db, password_grant(created.username, "a fresh provisional 9"), ISSUER, now=T0)
    assert unlocked.value.error == "password_change_required"  # unlocked: the password is now checked


async def test_an_unknown_username_is_locked_like_a_known_one(db) -> None:
    for _ in range(3):
        with pytest.raises(LoginRefused, match=r"Unknown username or wrong password|blocked for"):
            await tokens.grant(db, password_grant("nobody.here", "whatever it is"), ISSUER, now=T0)
    with pytest.raises(LoginRefused, match="120 minutes"):
        await tokens.grant(db, password_grant("Nobody.Here", "whatever it is"), ISSUER, now=T0)


async def test_a_revoked_refresh_token_and_its_family_stop_working(db, enterprise: Enterprise) -> None:
    first = await tokens.grant(db, password_grant(enterprise.manager.username, MANAGER_PASSWORD), ISSUER, now=T0)
    second = await tokens.grant(
        db, tokens.TokenRequest("refresh_token", refresh_token=first.refresh_token), ISSUER, now=T0
    )
    await tokens.revoke(db, first.refresh_token)  # sign-out with an older token of the family
    with pytest.raises(LoginRefused):
        await tokens.grant(db, tokens.TokenRequest("refresh_token", refresh_token=second.refresh_token), ISSUER, now=T0)
    await tokens.revoke(db, "no such token")  # says nothing either way
