"""Access-token claims, and how long tokens live."""

from __future__ import annotations

from datetime import datetime, timedelta

from .users import User

ACCESS_TOKEN_TTL = timedelta(minutes=15)
REFRESH_TOKEN_TTL = timedelta(days=14)
# The role a provider's user holds in an employer's tenant when acting under its mandate: not their own role
# at their own enterprise (an access manager of the provider is no manager of the employer).
MANDATED_KIND = "service_provider"


def access_token_claims(
    user: User,
    *,
    now: datetime,
    issuer: str,
    audience: str,
    token_id: str,
    mandate: tuple[str, str, tuple[str, ...]] | None = None,
) -> dict[str, object]:
    """The claims of an access token. `iat` and `exp` are whole seconds (RFC 7519 NumericDate as clients expect);
    `iat_ms` keeps the millisecond, so a session ended at 10:00:00.400 does not spare a token issued at
    10:00:00.300. With `mandate` = (id, employer, permissions) the token acts for that employer under that
    mandate and says which provider enterprise the user belongs to."""
    claims: dict[str, object] = {
        "iss": issuer,
        "aud": audience,
        "sub": user.user_id,
        "tenant": user.tenant,
        "kind": user.kind,
        "permissions": list(user.permissions),
        "iat": int(now.timestamp()),
        "iat_ms": int(now.timestamp() * 1000),
        "exp": int((now + ACCESS_TOKEN_TTL).timestamp()),
        "jti": token_id,
    }
    if mandate is not None:
        mandate_id, employer, permissions = mandate
        claims |= {
            "tenant": employer,
            "kind": MANDATED_KIND,
            "permissions": list(permissions),
            "mandate": mandate_id,
            "provider": user.tenant,
        }
    return claims
