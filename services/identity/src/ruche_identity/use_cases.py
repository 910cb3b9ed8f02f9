"""Identity's use cases: register an enterprise with its first access manager, log in."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import new_event, topic_for
from ruche_contracts.identity import EnterpriseRegistered
from ruche_servicekit.outbox import outbox_entry

from . import domain, repository
from .domain import User
from .keys import SigningKey

# argon2id with the library's RFC 9106 low-memory profile defaults.
hasher = PasswordHasher()
# Verified against when the username is unknown, so both answers take the same time.
_DUMMY_HASH = hasher.hash("not-a-real-password-" + uuid.uuid4().hex)


async def register_enterprise(
    db: AsyncDatabase[Any], *, enterprise_number: str, name: str, manager: dict[str, str], password: str
) -> User:
    domain.check_password_policy(password, username=manager["username"])
    if await repository.enterprise_exists(db, enterprise_number):
        raise domain.EnterpriseAlreadyRegistered("This enterprise is already registered.")
    user = User(
        user_id=str(uuid.uuid4()),
        tenant=enterprise_number,
        role="access_manager",
        permissions=domain.ACCESS_MANAGER_PERMISSIONS,
        **manager,
    )
    password_hash = await asyncio.to_thread(hasher.hash, password)
    # The user first: until the enterprise document (with its event) exists, nobody can log in as it.
    await repository.insert_user(db, user, password_hash=password_hash)
    event = new_event(
        EnterpriseRegistered(enterprise_number=enterprise_number, name=name, access_manager_id=user.user_id),
        tenant=enterprise_number,
        subject=enterprise_number,
    )
    await repository.insert_enterprise(
        db,
        enterprise_number=enterprise_number,
        name=name,
        access_manager_id=user.user_id,
        outbox=[outbox_entry(topic_for(EnterpriseRegistered), event)],
    )
    return user


async def authenticate(db: AsyncDatabase[Any], *, username: str, password: str) -> User | None:
    found = await repository.find_login(db, username)
    stored_hash = found[1] if found else _DUMMY_HASH
    try:
        await asyncio.to_thread(hasher.verify, stored_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if found is None:
        return None
    user = found[0]
    if not await repository.enterprise_exists(db, user.tenant):
        return None
    if hasher.check_needs_rehash(stored_hash):
        await repository.update_password_hash(db, user.user_id, await asyncio.to_thread(hasher.hash, password))
    return user


def issue_access_token(user: User, key: SigningKey, *, now: datetime, issuer: str, audience: str) -> str:
    claims = domain.access_token_claims(user, now=now, issuer=issuer, audience=audience, token_id=uuid.uuid4().hex)
    return key.sign(claims)
