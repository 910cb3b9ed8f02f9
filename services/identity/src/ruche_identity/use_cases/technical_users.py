"""Technical users: machines (a presence webservice client, a bulk integration) that authenticate with the
OAuth 2.0 client credentials grant and a JWT assertion signed by their own private key (RFC 7523,
`private_key_jwt`). Ruche keeps only the public key an access manager registered; the token carries only the
permissions of the applications granted to that technical user. Its client id is its user id, so the grant
finds it by `_id`.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from ruche_servicekit.mongo import Db

from ..adapters import client_keys
from ..domain import users as rules
from ..domain.errors import InvalidPublicKey
from ..domain.users import User
from ..repository import users as users_repo
from .events import created_event


async def register(
    db: Db, actor: User, *, name: str, public_key: str, grants: dict[str, str], now: datetime
) -> tuple[User, str]:
    """The technical user and its key type (EC or RSA)."""
    try:
        jwk = client_keys.public_jwk(public_key)
    except client_keys.UnusableKey as exc:
        raise InvalidPublicKey(str(exc)) from exc
    client_id = f"tu-{uuid.uuid4().hex[:20]}"
    user = User(
        user_id=client_id,
        tenant=actor.tenant,
        username=client_id,
        last_name=name,
        first_name="",
        niss="",
        email="",
        kind="technical",
        created_at=now,
    )
    for application, profile in grants.items():
        user = rules.grant(user, application, profile)
    await users_repo.insert_user(
        db,
        user,
        password_hash="",
        outbox_entries=created_event(user, actor_id=actor.user_id),
        extra={"public_jwk": jwk},
    )
    return user, jwk["kty"]


async def listed(db: Db, actor: User, *, limit: int, offset: int) -> tuple[list[tuple[User, str]], int]:
    return await users_repo.technical_users(db, tenant=actor.tenant, limit=limit, offset=offset)
