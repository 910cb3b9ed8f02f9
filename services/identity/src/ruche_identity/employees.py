"""Employee accounts: how workers reach their payslip vault.

An account opens when the vault service opens a vault (`VaultOpened`): its login is the vault's 12-digit
identifier. The employer prints an enrollment letter, which draws a fresh provisional password (only its hash
is kept, so the password exists nowhere but on the letter). At first login the employee chooses a password
and a personal e-mail, each typed twice. Three failed logins lock the identifier for 120 minutes and mail the
employee; a password reset through an e-mailed single-use link (30 minutes) unlocks it. Failures are counted
per identifier whether or not an account has it, so answers never tell which identifiers exist.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError
from ruche_contracts import CloudEvent, new_event, topics
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.identity import AccountLocked, EmployeeAccountOpened, PasswordChanged, UserUpdated
from ruche_servicekit.outbox import outbox_entry, push_outbox

from . import domain, mails, passwords
from .domain import LoginAttempts, User

EMPLOYEES = "employees"
LOGIN_ATTEMPTS = "login_attempts"
RESET_LINKS = "password_resets"
SYSTEM = "system"


class EmployeeLoginRefused(Exception):
    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error


def _event(payload: Any, tenant: str, identifier: str) -> dict[str, Any]:
    return outbox_entry(topics.IDENTITY_USERS, new_event(payload, tenant=tenant, subject=identifier))


def as_user(doc: dict[str, Any]) -> User:
    """The account as a token subject: its identifier, its employer, permission to its own vault."""
    return User(
        user_id=doc["_id"],
        tenant=doc["tenant"],
        username=doc["_id"],
        last_name="",
        first_name="",
        niss="",
        email=doc.get("personal_email") or "",
        kind="employee",
        language=doc.get("language", "fr"),
    )


async def open_account(db: AsyncDatabase[Any], event: CloudEvent[VaultOpened]) -> None:
    vault = event.data
    try:
        await db[EMPLOYEES].insert_one(
            {
                "_id": vault.identifier,
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
                "_outbox": [
                    _event(
                        EmployeeAccountOpened(user_id=vault.identifier, actor_id=SYSTEM, worker_id=vault.worker_id),
                        event.tenant,
                        vault.identifier,
                    )
                ],
            }
        )
    except DuplicateKeyError:
        pass  # redelivered: the account is open


async def account_of_worker(db: AsyncDatabase[Any], *, tenant: str, worker_id: str) -> dict[str, Any]:
    doc = await db[EMPLOYEES].find_one({"tenant": tenant, "worker_id": worker_id}, {"_outbox": 0, "_mail": 0})
    if doc is None:
        raise domain.NotFound("No employee account for this worker (yet).")
    return doc


async def enrollment_letter(db: AsyncDatabase[Any], *, tenant: str, worker_id: str, now: datetime) -> str:
    """The letter's text with the identifier and a new provisional password (earlier letters stop working)."""
    account = await account_of_worker(db, tenant=tenant, worker_id=worker_id)
    if account.get("activated_at") is not None:
        raise domain.DesignationRefused("This account is in use already; the employee resets its password.")
    password = secrets.token_urlsafe(9)
    await db[EMPLOYEES].update_one(
        {"_id": account["_id"]},
        {
            "$set": {
                "password_hash": await passwords.hash_password(password),
                "provisional_expires_at": now + domain.PROVISIONAL_VALIDITY,
            }
        },
    )
    return (
        f"Ruche — votre coffre-fort numérique / uw digitale kluis / your digital vault\n\n"
        f"Identifiant / Gebruikersnaam / Identifier: {account['_id']}\n"
        f"Mot de passe provisoire / Voorlopig wachtwoord / Provisional password: {password}\n"
        f"Valable jusqu'au / Geldig tot / Valid until: {now + domain.PROVISIONAL_VALIDITY:%Y-%m-%d}\n"
    )


async def _attempts(db: AsyncDatabase[Any], identifier: str) -> LoginAttempts:
    doc = await db[LOGIN_ATTEMPTS].find_one({"_id": identifier})
    return LoginAttempts(doc["failures"], doc.get("locked_until")) if doc else LoginAttempts()


async def _record_failure(db: AsyncDatabase[Any], identifier: str, attempts: LoginAttempts, *, now: datetime) -> None:
    after = attempts.failed(now)
    await db[LOGIN_ATTEMPTS].update_one(
        {"_id": identifier}, {"$set": {"failures": after.failures, "locked_until": after.locked_until}}, upsert=True
    )
    if after.locked_until is None:
        return
    account = await db[EMPLOYEES].find_one({"_id": identifier}, {"tenant": 1, "personal_email": 1, "language": 1})
    if account is None:
        return
    update: dict[str, Any] = {
        "$set": {"locked_until": after.locked_until},
        "$push": push_outbox(
            [
                _event(
                    AccountLocked(user_id=identifier, actor_id=SYSTEM, locked_until=after.locked_until),
                    account["tenant"],
                    identifier,
                )
            ]
        ),
    }
    if account.get("personal_email"):
        update["$push"] |= mails.push_mail(
            [
                mails.mail_entry(
                    "account-locked",
                    to=account["personal_email"],
                    language=account.get("language", "fr"),
                    until=f"{after.locked_until:%Y-%m-%d %H:%M} UTC",
                )
            ]
        )
    await db[EMPLOYEES].update_one({"_id": identifier}, update)


async def resolve_login(db: AsyncDatabase[Any], login: str) -> str:
    """The identifier behind a login: the 12-digit identifier itself, or the personal e-mail (the second
    identifier) when exactly one account has it."""
    if "@" not in login:
        return login
    docs = await db[EMPLOYEES].find({"personal_email_key": login.casefold()}, {"_id": 1}).to_list(2)
    return docs[0]["_id"] if len(docs) == 1 else login.casefold()


async def authenticate(
    db: AsyncDatabase[Any], *, identifier: str, password: str, now: datetime, allow_provisional: bool = False
) -> dict[str, Any]:
    identifier = await resolve_login(db, identifier)
    attempts = await _attempts(db, identifier)
    if attempts.locked(now):
        assert attempts.locked_until is not None
        raise EmployeeLoginRefused("invalid_grant", domain.lockout_message(attempts.locked_until))
    account = await db[EMPLOYEES].find_one({"_id": identifier, "status": "active"}, {"_outbox": 0, "_mail": 0})
    stored = account.get("password_hash") if account else None
    valid = await passwords.verify_password(stored or passwords.DUMMY_HASH, password)
    expired = (
        account is not None
        and account["must_change_password"]
        and (account.get("provisional_expires_at") is None or now > account["provisional_expires_at"])
    )
    if account is None or not stored or not valid or expired:
        await _record_failure(db, identifier, attempts, now=now)
        after = await _attempts(db, identifier)
        if after.locked(now):
            assert after.locked_until is not None
            raise EmployeeLoginRefused("invalid_grant", domain.lockout_message(after.locked_until))
        raise EmployeeLoginRefused("invalid_grant", "Unknown identifier or wrong password.")
    if account["must_change_password"] and not allow_provisional:
        raise EmployeeLoginRefused(
            "password_change_required",
            "The password is provisional: choose your own through POST /employees/first-login.",
        )
    await db[LOGIN_ATTEMPTS].delete_one({"_id": identifier})
    return account


async def first_login(
    db: AsyncDatabase[Any],
    *,
    identifier: str,
    password: str,
    new_password: str,
    new_password_confirmation: str,
    email: str,
    email_confirmation: str,
    now: datetime,
) -> None:
    account = await authenticate(db, identifier=identifier, password=password, now=now, allow_provisional=True)
    if not account["must_change_password"]:
        raise EmployeeLoginRefused("invalid_grant", "This account is active already.")
    domain.confirm(email.lower(), email_confirmation.lower(), field="email")
    domain.confirm(new_password, new_password_confirmation, field="new_password")
    domain.check_password_policy(
        new_password, username=identifier, common=passwords.common_passwords(), population="employee"
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
    db: AsyncDatabase[Any],
    account: dict[str, Any],
    password: str,
    *,
    now: datetime,
    extra: dict[str, Any] | None = None,
) -> None:
    identifier = account["_id"]
    await db[EMPLOYEES].update_one(
        {"_id": identifier},
        {
            "$set": {
                "password_hash": await passwords.hash_password(password),
                "must_change_password": False,
                "locked_until": None,
                "sessions_valid_after": now,
                **(extra or {}),
            },
            "$push": push_outbox(
                [
                    _event(
                        PasswordChanged(user_id=identifier, actor_id=identifier, provisional=False),
                        account["tenant"],
                        identifier,
                    )
                ]
            ),
        },
    )
    await db[LOGIN_ATTEMPTS].delete_one({"_id": identifier})  # a reset clears the lockout


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def request_reset(db: AsyncDatabase[Any], *, identifier: str, email: str, now: datetime, link_base: str) -> None:
    """Mails a single-use reset link when the identifier and personal e-mail match; says nothing either way."""
    account = await db[EMPLOYEES].find_one(
        {"_id": identifier, "status": "active"}, {"personal_email": 1, "language": 1}
    )
    if account is None or not account.get("personal_email") or account["personal_email"].lower() != email.lower():
        return
    token = secrets.token_urlsafe(32)
    mail = mails.mail_entry(
        "password-reset",
        to=account["personal_email"],
        language=account.get("language", "fr"),
        link=f"{link_base}?token={token}",
        minutes=int(domain.RESET_LINK_VALIDITY.total_seconds() // 60),
    )
    await db[RESET_LINKS].insert_one(
        {
            "_id": _digest(token),
            "identifier": identifier,
            "used": False,
            "expires_at": now + domain.RESET_LINK_VALIDITY,
            mails.MAIL_FIELD: [mail],
        }
    )


async def reset_password(
    db: AsyncDatabase[Any], *, token: str, new_password: str, confirmation: str, now: datetime
) -> None:
    link = await db[RESET_LINKS].find_one({"_id": _digest(token)})
    if link is None or link["used"] or now > link["expires_at"]:
        raise EmployeeLoginRefused("invalid_grant", "This link is not valid any more; ask for a new one.")
    domain.confirm(new_password, confirmation, field="new_password")
    domain.check_password_policy(
        new_password, username=link["identifier"], common=passwords.common_passwords(), population="employee"
    )
    taken = await db[RESET_LINKS].update_one({"_id": link["_id"], "used": False}, {"$set": {"used": True}})
    if taken.modified_count == 0:
        raise EmployeeLoginRefused("invalid_grant", "This link is not valid any more; ask for a new one.")
    account = await db[EMPLOYEES].find_one({"_id": link["identifier"]}, {"tenant": 1})
    if account is None:
        raise EmployeeLoginRefused("invalid_grant", "This link is not valid any more; ask for a new one.")
    await _set_password(db, account, new_password, now=now)


async def change_email(
    db: AsyncDatabase[Any], identifier: str, *, password: str, email: str, confirmation: str, now: datetime
) -> None:
    account = await authenticate(db, identifier=identifier, password=password, now=now)
    domain.confirm(email.casefold(), confirmation.casefold(), field="email")
    await db[EMPLOYEES].update_one(
        {"_id": identifier},
        {
            "$set": {"personal_email": email, "personal_email_key": email.casefold()},
            "$push": push_outbox(
                [
                    _event(
                        UserUpdated(user_id=identifier, actor_id=identifier, changed=["personal_email"]),
                        account["tenant"],
                        identifier,
                    )
                ]
            ),
        },
    )


async def change_password(
    db: AsyncDatabase[Any], identifier: str, *, current: str, new: str, confirmation: str, now: datetime
) -> None:
    account = await authenticate(db, identifier=identifier, password=current, now=now)
    domain.confirm(new, confirmation, field="new_password")
    domain.check_password_policy(new, username=identifier, common=passwords.common_passwords(), population="employee")
    await _set_password(db, account, new, now=now)


async def profile(db: AsyncDatabase[Any], identifier: str) -> dict[str, Any]:
    doc = await db[EMPLOYEES].find_one({"_id": identifier, "status": "active"}, {"_outbox": 0, "_mail": 0})
    if doc is None:
        raise domain.NotFound("No such account.")
    return doc
