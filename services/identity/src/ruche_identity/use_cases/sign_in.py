"""Signing in with a login and a password: an enterprise's users by username, employees by identifier or personal
e-mail. Three failures in a row lock a login for 120 minutes, for both, and the answer is the same for an unknown
login as for a wrong password."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ruche_contracts.identity import AccountLocked, PasswordChanged
from ruche_servicekit.mongo import Db

from ..adapters import passwords
from ..domain import logins
from ..domain.errors import LoginRefused, Mismatch, WeakPassword
from ..domain.logins import LoginAttempts, login_key
from ..domain.users import User, check_password_policy, confirm
from ..repository import login_attempts
from ..repository import users as users_repo
from . import mails
from .events import user_event

SYSTEM = "system"
WRONG = "Unknown username or wrong password."


async def check_not_locked(db: Db, key: str, *, now: datetime) -> LoginAttempts:
    attempts = await login_attempts.get(db, key)
    if attempts.locked(now):
        assert attempts.locked_until is not None
        raise LoginRefused("invalid_grant", logins.lockout_message(attempts.locked_until))
    return attempts


async def record_failure(db: Db, key: str, attempts: LoginAttempts, *, now: datetime) -> LoginAttempts:
    """Count a failure; returns the new count (locked when this was the third)."""
    after = attempts.failed(now)
    await login_attempts.save(db, key, after, now=now)
    return after


def refused(after: LoginAttempts, wrong: str) -> LoginRefused:
    if after.locked_until is not None:
        return LoginRefused("invalid_grant", logins.lockout_message(after.locked_until))
    return LoginRefused("invalid_grant", wrong)


async def authenticate_user(db: Db, *, username: str, password: str, now: datetime) -> User:
    """The enterprise user (or operator) behind a username and password, or LoginRefused."""
    key = login_key(username)
    attempts = await check_not_locked(db, key, now=now)
    doc = await users_repo.find_login(db, username)
    stored_hash = doc["password_hash"] if doc and doc.get("password_hash") else passwords.DUMMY_HASH
    valid = await passwords.verify_password(stored_hash, password)
    if doc is None or not valid or doc.get("kind") == "technical":
        after = await record_failure(db, key, attempts, now=now)
        if after.locked_until is not None and doc is not None:
            await _notify_lock(db, users_repo.to_user(doc), after, version=doc.get("version", 0))
        raise refused(after, WRONG)
    user = users_repo.to_user(doc)
    if user.status == "blocked":
        raise LoginRefused("invalid_grant", "This account is blocked; ask your access manager.")
    if user.must_change_password:
        raise LoginRefused(
            "password_change_required", "The password is provisional: choose your own through POST /first-login."
        )
    if attempts.failures:
        await login_attempts.clear(db, key)
    if passwords.needs_rehash(stored_hash):
        await users_repo.update_password_hash(db, user.user_id, await passwords.hash_password(password))
    await users_repo.record_login(db, user.user_id, at=now)
    return user


async def _notify_lock(db: Db, user: User, after: LoginAttempts, *, version: int) -> None:
    """The AccountLocked event and a mail to the user, stored with the user."""
    assert after.locked_until is not None
    entries: list[dict[str, Any]] = [
        *user_event(AccountLocked, user, actor_id=SYSTEM, locked_until=after.locked_until),
        mails.mail(
            "account-locked",
            to=user.email,
            language=user.language,
            until=after.locked_until,
        ),
    ]
    try:
        await users_repo.save_user(db, user, version=version, outbox_entries=entries)
    except Exception:  # the lock holds without its notice; a concurrent change of the user is no reason to fail
        return


async def first_login(
    db: Db,
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
    key = login_key(username)
    attempts = await check_not_locked(db, key, now=now)
    doc = await users_repo.find_login(db, username)
    stored_hash = doc["password_hash"] if doc and doc.get("password_hash") else passwords.DUMMY_HASH
    valid = await passwords.verify_password(stored_hash, password)
    if doc is None or not valid or doc.get("status") != "active" or not doc.get("must_change_password"):
        raise refused(await record_failure(db, key, attempts, now=now), WRONG)
    expires = doc.get("provisional_expires_at")
    if expires is not None and now > expires:
        raise LoginRefused("invalid_grant", "These provisional credentials have expired.")
    user = users_repo.to_user(doc)
    chosen = user.username
    if doc.get("username_provisional"):
        if not new_username:
            raise Mismatch("Choose your username (typed twice).", field="new_username")
        confirm(new_username, new_username_confirmation or "", field="new_username")
        chosen = new_username
    confirm(new_password, new_password_confirmation, field="new_password")
    check_password_policy(new_password, username=chosen, common=passwords.common_passwords(), field="new_password")
    if new_password == password:
        raise WeakPassword("Choose a password other than the provisional one.", field="new_password")
    await users_repo.complete_first_login(
        db,
        user.user_id,
        version=doc.get("version", 0),
        username=chosen,
        password_hash=await passwords.hash_password(new_password),
        outbox_entries=user_event(PasswordChanged, user, actor_id=user.user_id, provisional=False),
    )
    await login_attempts.clear(db, key)
