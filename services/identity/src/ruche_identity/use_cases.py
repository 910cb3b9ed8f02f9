"""Identity's use cases for enterprises and sign-in: register an employer with its first access manager,
log in, first login with a provisional password."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts import new_event, topics
from ruche_contracts.identity import EnterpriseRegistered, PasswordChanged
from ruche_servicekit.outbox import outbox_entry

from . import domain, passwords, repository
from .domain import Language, User
from .keys import SigningKey
from .users import created_event, user_event


class LoginRefused(Exception):
    """Why a token request is refused; `error` is the OAuth 2.0 error code."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error


async def register_enterprise(
    db: AsyncDatabase[Any],
    *,
    enterprise_number: str,
    name: str,
    manager: dict[str, Any],
    password: str,
    language: Language,
    now: datetime,
) -> User:
    try:
        domain.check_password_policy(password, username=manager["username"], common=passwords.common_passwords())
    except domain.WeakPassword as weak:
        raise domain.WeakPassword(str(weak), field="access_manager.password") from weak
    if await repository.enterprise_exists(db, enterprise_number):
        raise domain.EnterpriseAlreadyRegistered("This enterprise is already registered.")
    user = User(
        user_id=str(uuid.uuid4()),
        tenant=enterprise_number,
        kind="access_manager",
        language=language,
        created_at=now,
        **manager,
    )
    # The user first: until the enterprise document (with its event) exists, nobody can log in as it.
    await repository.insert_user(
        db,
        user,
        password_hash=await passwords.hash_password(password),
        outbox=[created_event(user, actor_id=user.user_id)],
        adopt_orphan=True,
    )
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
        outbox=[outbox_entry(topics.IDENTITY_ENTERPRISES, event)],
    )
    return user


async def authenticate(db: AsyncDatabase[Any], *, username: str, password: str, now: datetime) -> User:
    """The user behind a username and password, or LoginRefused. Unknown usernames and wrong passwords get
    the same answer in the same time."""
    found = await repository.find_login(db, username)
    stored_hash = found[1] if found else passwords.DUMMY_HASH
    valid = await passwords.verify_password(stored_hash, password)
    if found is None or not valid or not await repository.enterprise_exists(db, found[0].tenant):
        raise LoginRefused("invalid_grant", "Unknown username or wrong password.")
    user = found[0]
    if user.status == "blocked":
        raise LoginRefused("invalid_grant", "This account is blocked; ask your access manager.")
    if user.must_change_password:
        raise LoginRefused(
            "password_change_required", "The password is provisional: choose your own through POST /first-login."
        )
    if passwords.needs_rehash(stored_hash):
        await repository.update_password_hash(db, user.user_id, await passwords.hash_password(password))
    await repository.record_login(db, user.user_id, at=now)
    return user


async def first_login(
    db: AsyncDatabase[Any],
    *,
    username: str,
    password: str,
    new_password: str,
    new_password_confirmation: str,
    now: datetime,
) -> User:
    """Replace a provisional password by the user's own, typed twice."""
    found = await repository.find_login(db, username)
    stored_hash = found[1] if found else passwords.DUMMY_HASH
    if found is None or not await passwords.verify_password(stored_hash, password) or found[0].status != "active":
        raise LoginRefused("invalid_grant", "Unknown username or wrong password.")
    user, _ = found
    domain.confirm(new_password, new_password_confirmation, field="new_password")
    domain.check_password_policy(new_password, username=user.username, common=passwords.common_passwords())
    if new_password == password:
        raise domain.WeakPassword("Choose a password other than the provisional one.", field="new_password")
    current, version = await repository.get_user(db, tenant=user.tenant, user_id=user.user_id)
    updated = replace(current, must_change_password=False)
    await repository.save_user(
        db,
        updated,
        version=version,
        password_hash=await passwords.hash_password(new_password),
        outbox=[user_event(PasswordChanged, updated, actor_id=user.user_id, provisional=False)],
    )
    return updated


def issue_access_token(user: User, key: SigningKey, *, now: datetime, issuer: str, audience: str) -> str:
    claims = domain.access_token_claims(user, now=now, issuer=issuer, audience=audience, token_id=uuid.uuid4().hex)
    return key.sign(claims)
