from datetime import UTC, datetime

import pytest
from ruche_identity.domain import (
    ACCESS_TOKEN_TTL,
    User,
    WeakPassword,
    access_token_claims,
    check_password_policy,
)


def test_short_passwords_and_passwords_holding_the_username_are_refused() -> None:
    with pytest.raises(WeakPassword):
        check_password_policy("short", username="an.peeters")
    with pytest.raises(WeakPassword):
        check_password_policy("my-AN.PEETERS-pass", username="an.peeters")
    check_password_policy("correct horse battery staple", username="an.peeters")


def test_access_token_claims_carry_tenant_permissions_and_a_short_expiry() -> None:
    user = User(
        user_id="u1",
        tenant="0403019261",
        username="am",
        last_name="P",
        first_name="A",
        niss="85073003328",
        email="a@example.be",
        role="access_manager",
        permissions=("people:read",),
    )
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    claims = access_token_claims(user, now=now, issuer="iss", audience="aud", token_id="t")
    assert claims["tenant"] == "0403019261"
    assert claims["permissions"] == ["people:read"]
    assert claims["exp"] - claims["iat"] == ACCESS_TOKEN_TTL.total_seconds()
    assert "niss" not in claims  # no personal data in tokens
