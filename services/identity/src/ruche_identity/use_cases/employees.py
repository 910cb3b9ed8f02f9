"""Employee accounts: how workers reach their payslip vault.

An account opens when the vault service opens a vault (`VaultOpened`): its login is the vault's 12-digit
identifier. The employer prints an enrollment letter, which draws a fresh provisional password (only its hash
is kept, so the password exists nowhere but on the letter). At first login the employee chooses a password
and a personal e-mail, each typed twice. Three failed logins lock the identifier for 120 minutes and mail the
employee; a password reset through an e-mailed single-use link (30 minutes) unlocks it.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ruche_contracts import CloudEvent
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.identity import AccountLocked, EmployeeAccountOpened, PasswordChanged, UserUpdated
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import push_outbox

from ..adapters import passwords
from ..domain.designations import PROVISIONAL_VALIDITY
from ..domain.employees import RESET_LINK_VALIDITY
from ..domain.errors import AccountActivated, LoginRefused, NotFound
from ..domain.logins import LoginAttempts, login_key
from ..domain.users import User, check_password_policy, confirm
from ..repository import employees as accounts
from ..repository import login_attempts, reset_links
from . import mails
from .events import account_event
from .sign_in import check_not_locked, record_failure, refused

SYSTEM = "system"
WRONG = "Unknown identifier or wrong password."


@dataclass(frozen=True)
class EnrollmentLetter:
    identifier: str
    provisional_password: str
    valid_until: datetime
    private_number: str
    language: str


def as_user(doc: dict[str, Any]) -> User:
    """The account as a token subject: its identifier, its employer, permission to its own vault."""
    return User(
        user_id=doc["_id"],
        tenant=doc["tenant"],
        username=doc.get("identifier", doc["_id"]),
        last_name="",
        first_name="",
        niss="",
        email=doc.get("personal_email") or "",
        kind="employee",
        language=doc.get("language", "fr"),
    )


def _event(payload_type: type[Any], doc: dict[str, Any], **fields: Any) -> list[dict[str, Any]]:
    return account_event(payload_type, tenant=doc["tenant"], user_id=doc["_id"], **fields)


async def open_account(db: Db, event: CloudEvent[VaultOpened]) -> bool:
    vault = event.data
    opened = account_event(
        EmployeeAccountOpened, tenant=event.tenant, user_id=vault.identifier, actor_id=SYSTEM, worker_id=vault.worker_id
    )
    return await accounts.open_account(
        db,
        {
            "_id": vault.identifier,
            "identifier": vault.identifier,
            "tenant": event.tenant,
            "worker_id": vault.worker_id,
            "status": "active",
            "password_hash": None,
            "must_change_password": True,
            "personal_email": None,
            "language": "fr",
            "opened_at": event.time,
            "activated_at": None,
            "locked_until": None,
            "_outbox": opened,
        },
    )


async def account_of_worker(db: Db, *, tenant: str, worker_id: str) -> dict[str, Any]:
    doc = await accounts.of_worker(db, tenant=tenant, worker_id=worker_id)
    if doc is None:
        raise NotFound("No employee account for this worker (yet).")
    return doc


async def enrollment_letter(db: Db, *, tenant: str, worker_id: str, now: datetime) -> EnrollmentLetter:
    """A new provisional password (earlier letters stop working) and the private number that later proves, with
    the employee's data, who asks for a lost identifier."""
    account = await account_of_worker(db, tenant=tenant, worker_id=worker_id)
    if account.get("activated_at") is not None:
        raise AccountActivated("This account is in use already; the employee resets its password.")
    password, private_number = secrets.token_urlsafe(9), f"{secrets.randbelow(10**6):06d}"
    valid_until = now + PROVISIONAL_VALIDITY
    await accounts.update(
        db,
        account["_id"],
        {
            "$set": {
                "password_hash": await passwords.hash_password(password),
                "private_number_hash": await passwords.hash_password(private_number),
                "provisional_expires_at": valid_until,
            }
        },
    )
    return EnrollmentLetter(
        identifier=account.get("identifier", account["_id"]),
        provisional_password=password,
        valid_until=valid_until,
        private_number=private_number,
        language=account.get("language", "fr"),
    )


async def authenticate(
    db: Db, *, login: str, password: str, now: datetime, allow_provisional: bool = False, account_id: str | None = None
) -> dict[str, Any]:
    """The account a login and password open, or LoginRefused. Failures are counted per account, or per login
    typed when no account has it. `account_id` skips the login lookup (an employee's own session)."""
    account_id = account_id or await accounts.resolve_login(db, login)
    key = account_id or login_key(login)
    attempts = await check_not_locked(db, key, now=now)
    account = await accounts.get(db, account_id) if account_id else None
    if account is not None and account.get("status") != "active":
        account = None
    stored = account.get("password_hash") if account else None
    valid = await passwords.verify_password(stored or passwords.DUMMY_HASH, password)
    expired = (
        account is not None
        and account["must_change_password"]
        and (account.get("provisional_expires_at") is None or now > account["provisional_expires_at"])
    )
    if account is None or not stored or not valid or expired:
        after = await record_failure(db, key, attempts, now=now)
        if after.locked_until is not None and account is not None:
            await _notify_lock(db, account, after)
        raise refused(after, WRONG)
    if account["must_change_password"] and not allow_provisional:
        raise LoginRefused(
            "password_change_required",
            "The password is provisional: choose your own through POST /employees/first-login.",
        )
    if attempts.failures:
        await login_attempts.clear(db, key)
    return account


async def _notify_lock(db: Db, account: dict[str, Any], after: LoginAttempts) -> None:
    assert after.locked_until is not None
    entries = _event(AccountLocked, account, actor_id=SYSTEM, locked_until=after.locked_until)
    if account.get("personal_email"):
        entries.append(
            mails.mail(
                "employee-account-locked",
                to=account["personal_email"],
                language=account.get("language", "fr"),
                until=after.locked_until,
            )
        )
    await accounts.update(
        db, account["_id"], {"$set": {"locked_until": after.locked_until}, "$push": push_outbox(entries)}
    )


async def first_login(
    db: Db,
    *,
    identifier: str,
    password: str,
    new_password: str,
    new_password_confirmation: str,
    email: str,
    email_confirmation: str,
    now: datetime,
) -> None:
    account = await authenticate(db, login=identifier, password=password, now=now, allow_provisional=True)
    if not account["must_change_password"]:
        raise LoginRefused("invalid_grant", "This account is active already.")
    confirm(email.lower(), email_confirmation.lower(), field="email")
    confirm(new_password, new_password_confirmation, field="new_password")
    check_password_policy(
        new_password,
        username=identifier,
        common=passwords.common_passwords(),
        population="employee",
        field="new_password",
    )
    await _set_password(
        db,
        account,
        new_password,
        now=now,
        extra={
            "personal_email": email,
            "personal_email_key": email.casefold(),
            "activated_at": now,
            "provisional_expires_at": None,
        },
    )


async def _set_password(
    db: Db, account: dict[str, Any], password: str, *, now: datetime, extra: dict[str, Any] | None = None
) -> None:
    identifier = account["_id"]
    await accounts.update(
        db,
        identifier,
        {
            "$set": {
                "password_hash": await passwords.hash_password(password),
                "must_change_password": False,
                "locked_until": None,
                "sessions_valid_after": now,
                **(extra or {}),
            },
            "$push": push_outbox(_event(PasswordChanged, account, actor_id=identifier, provisional=False)),
        },
    )
    await login_attempts.clear(db, identifier)  # a new password lifts the lockout


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def request_reset(db: Db, *, identifier: str, email: str, now: datetime) -> None:
    """Mails a single-use link to the console's reset page when the identifier and personal e-mail match; says
    nothing either way."""
    account_id = await accounts.resolve_login(db, identifier) if "@" not in identifier else None
    account = await accounts.get(db, account_id) if account_id else None
    if (
        account is None
        or account.get("status") != "active"
        or not account.get("personal_email")
        or account["personal_email"].lower() != email.lower()
    ):
        return
    token = secrets.token_urlsafe(32)
    await reset_links.insert(
        db,
        {
            "_id": _digest(token),
            "identifier": account["_id"],
            "used": False,
            "expires_at": now + RESET_LINK_VALIDITY,
            "_outbox": [
                mails.mail(
                    "password-reset",
                    to=account["personal_email"],
                    language=account.get("language", "fr"),
                    token=token,
                    until=now + RESET_LINK_VALIDITY,
                )
            ],
        },
    )


INVALID_LINK = "This link is not valid any more; ask for a new one."


async def check_reset_link(db: Db, *, token: str, now: datetime) -> dict[str, Any]:
    link = await reset_links.get(db, _digest(token))
    if link is None or link["used"] or now > link["expires_at"]:
        raise LoginRefused("invalid_grant", INVALID_LINK)
    return link


async def reset_password(db: Db, *, token: str, new_password: str, confirmation: str, now: datetime) -> None:
    link = await check_reset_link(db, token=token, now=now)
    confirm(new_password, confirmation, field="new_password")
    check_password_policy(
        new_password,
        username=link["identifier"],
        common=passwords.common_passwords(),
        population="employee",
        field="new_password",
    )
    if not await reset_links.take(db, link["_id"]):
        raise LoginRefused("invalid_grant", INVALID_LINK)
    account = await accounts.get(db, link["identifier"])
    if account is None:
        raise LoginRefused("invalid_grant", INVALID_LINK)
    await _set_password(db, account, new_password, now=now)


async def change_email(db: Db, account_id: str, *, password: str, email: str, confirmation: str, now: datetime) -> None:
    account = await authenticate(db, login=account_id, password=password, now=now, account_id=account_id)
    confirm(email.casefold(), confirmation.casefold(), field="email")
    await accounts.update(
        db,
        account_id,
        {
            "$set": {"personal_email": email, "personal_email_key": email.casefold()},
            "$push": push_outbox(_event(UserUpdated, account, actor_id=account_id, changed=["personal_email"])),
        },
    )


async def change_password(db: Db, account_id: str, *, current: str, new: str, confirmation: str, now: datetime) -> None:
    account = await authenticate(db, login=account_id, password=current, now=now, account_id=account_id)
    confirm(new, confirmation, field="new_password")
    check_password_policy(
        new, username=account_id, common=passwords.common_passwords(), population="employee", field="new_password"
    )
    await _set_password(db, account, new, now=now)


async def profile(db: Db, account_id: str) -> dict[str, Any]:
    doc = await accounts.get(db, account_id)
    if doc is None or doc.get("status") != "active":
        raise NotFound("No such account.")
    return doc


async def session_account(db: Db, account_id: str) -> dict[str, Any] | None:
    """The account an employee's refresh or session names, if still active."""
    doc = await accounts.get(db, account_id)
    return doc if doc is not None and doc.get("status") == "active" else None
