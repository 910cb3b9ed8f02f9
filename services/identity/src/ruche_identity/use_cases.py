"""Identity's sign-in use cases: log in, first login with provisional credentials, issue access tokens."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts.identity import PasswordChanged

from . import domain, passwords, repository
from .domain import User
from .keys import SigningKey
from .users import user_event


class LoginRefused(Exception):
    """Why a token request is refused; `error` is the OAuth 2.0 error code."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error


async def authenticate(db: AsyncDatabase[Any], *, username: str, password: str, now: datetime) -> User:
    """The user behind a username and password, or LoginRefused. Unknown usernames and wrong passwords get
    the same answer in the same time."""
    found = await repository.find_login(db, username)
    stored_hash = found[1] if found else passwords.DUMMY_HASH
    valid = await passwords.verify_password(stored_hash, password)
    if found is None or not valid:
        raise LoginRefused("invalid_grant", "Unknown username or wrong password.")
    if found[0].kind != "operator" and not await repository.enterprise_exists(db, found[0].tenant):
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
    new_username: str | None,
    new_username_confirmation: str | None,
    now: datetime,
) -> None:
    """Replace provisional credentials by the user's own: the password (typed twice) always, the username
    (typed twice, never changeable afterwards) when the account was given a provisional one."""
    doc = await repository.find_login_document(db, username)
    stored_hash = doc["password_hash"] if doc else passwords.DUMMY_HASH
    valid = await passwords.verify_password(stored_hash, password)
    if doc is None or not valid or doc.get("status") != "active" or not doc.get("must_change_password"):
        raise LoginRefused("invalid_grant", "Unknown username or wrong password.")
    user, _ = await repository.get_user(db, tenant=doc["tenant"], user_id=doc["_id"])
    expires = doc.get("provisional_expires_at")
    if expires is not None and now > expires:
        raise LoginRefused("invalid_grant", "These provisional credentials have expired.")
    chosen = user.username
    if doc.get("username_provisional"):
        if not new_username:
            raise domain.Mismatch("Choose your username (typed twice).", field="new_username")
        domain.confirm(new_username, new_username_confirmation or "", field="new_username")
        chosen = new_username
    domain.confirm(new_password, new_password_confirmation, field="new_password")
    try:
        domain.check_password_policy(new_password, username=chosen, common=passwords.common_passwords())
    except domain.WeakPassword as weak:
        raise domain.WeakPassword(str(weak), field="new_password") from weak
    if new_password == password:
        raise domain.WeakPassword("Choose a password other than the provisional one.", field="new_password")
    await repository.complete_first_login(
        db,
        user.user_id,
        version=doc.get("version", 0),
        username=chosen,
        password_hash=await passwords.hash_password(new_password),
        outbox=[user_event(PasswordChanged, user, actor_id=user.user_id, provisional=False)],
    )


def issue_access_token(
    user: User,
    key: SigningKey,
    *,
    now: datetime,
    issuer: str,
    audience: str,
    mandate: tuple[str, str, tuple[str, ...]] | None = None,
) -> str:
    claims = domain.access_token_claims(
        user, now=now, issuer=issuer, audience=audience, token_id=uuid.uuid4().hex, mandate=mandate
    )
    return key.sign(claims)
