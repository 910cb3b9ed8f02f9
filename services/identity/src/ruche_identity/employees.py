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
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.inbox import apply_once
from ruche_servicekit.outbox import outbox_entry, push_outbox

from . import domain, mails, passwords
from .domain import LoginAttempts, User

EMPLOYEES = "employees"


async def create_indexes(db: AsyncDatabase[Any]) -> None:
    await db[EMPLOYEES].create_index([("identifier", 1)], unique=True, name="identifier")
    await db[EMPLOYEES].create_index([("tenant", 1), ("worker_id", 1)], name="tenant_worker")
    await db[EMPLOYEES].create_index([("personal_email_key", 1)], name="personal_email")


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
    """The letter's text with the identifier, a new provisional password (earlier letters stop working) and the
    private number that later proves, with the employee's data, who asks for a lost identifier."""
    account = await account_of_worker(db, tenant=tenant, worker_id=worker_id)
    if account.get("activated_at") is not None:
        raise domain.DesignationRefused("This account is in use already; the employee resets its password.")
    password, private_number = secrets.token_urlsafe(9), f"{secrets.randbelow(10**6):06d}"
    await db[EMPLOYEES].update_one(
        {"_id": account["_id"]},
        {
            "$set": {
                "password_hash": await passwords.hash_password(password),
                "private_number_hash": await passwords.hash_password(private_number),
                "provisional_expires_at": now + domain.PROVISIONAL_VALIDITY,
            }
        },
    )
    return (
        f"Ruche — votre coffre-fort numérique / uw digitale kluis / your digital vault\n\n"
        f"Identifiant / Gebruikersnaam / Identifier: {account.get('identifier', account['_id'])}\n"
        f"Mot de passe provisoire / Voorlopig wachtwoord / Provisional password: {password}\n"
        f"Valable jusqu'au / Geldig tot / Valid until: {now + domain.PROVISIONAL_VALIDITY:%Y-%m-%d}\n"
        f"Numéro privé / Privénummer / Private number: {private_number}\n"
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


async def resolve_login(db: AsyncDatabase[Any], login: str) -> str | None:
    """The account behind a login: its current 12-digit identifier, or its personal e-mail (the second
    identifier) when exactly one account has it. None when no account has that login."""
    if "@" in login:
        docs = await db[EMPLOYEES].find({"personal_email_key": login.casefold()}, {"_id": 1}).to_list(2)
        return docs[0]["_id"] if len(docs) == 1 else None
    doc = await db[EMPLOYEES].find_one({"identifier": login}, {"_id": 1})
    return doc["_id"] if doc else None


async def authenticate(
    db: AsyncDatabase[Any],
    *,
    identifier: str,
    password: str,
    now: datetime,
    allow_provisional: bool = False,
    account_id: str | None = None,
) -> dict[str, Any]:
    """The account a login and password open, or EmployeeLoginRefused. Failures are counted per account, or
    per login typed when no account has it. `account_id` skips the login lookup (an employee's own session)."""
    account_id = account_id or await resolve_login(db, identifier)
    key = account_id or identifier.casefold()
    attempts = await _attempts(db, key)
    if attempts.locked(now):
        assert attempts.locked_until is not None
        raise EmployeeLoginRefused("invalid_grant", domain.lockout_message(attempts.locked_until))
    account = (
        await db[EMPLOYEES].find_one({"_id": account_id, "status": "active"}, {"_outbox": 0, "_mail": 0})
        if account_id
        else None
    )
    stored = account.get("password_hash") if account else None
    valid = await passwords.verify_password(stored or passwords.DUMMY_HASH, password)
    expired = (
        account is not None
        and account["must_change_password"]
        and (account.get("provisional_expires_at") is None or now > account["provisional_expires_at"])
    )
    if account is None or not stored or not valid or expired:
        await _record_failure(db, key, attempts, now=now)
        after = await _attempts(db, key)
        if after.locked(now):
            assert after.locked_until is not None
            raise EmployeeLoginRefused("invalid_grant", domain.lockout_message(after.locked_until))
        raise EmployeeLoginRefused("invalid_grant", "Unknown identifier or wrong password.")
    if account["must_change_password"] and not allow_provisional:
        raise EmployeeLoginRefused(
            "password_change_required",
            "The password is provisional: choose your own through POST /employees/first-login.",
        )
    await db[LOGIN_ATTEMPTS].delete_one({"_id": key})
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
    account_id = await resolve_login(db, identifier)
    account = (
        await db[EMPLOYEES].find_one({"_id": account_id, "status": "active"}, {"personal_email": 1, "language": 1})
        if account_id and "@" not in identifier
        else None
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
            "identifier": account["_id"],
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
    account = await authenticate(db, identifier=identifier, password=password, now=now, account_id=identifier)
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
    account = await authenticate(db, identifier=identifier, password=current, now=now, account_id=identifier)
    domain.confirm(new, confirmation, field="new_password")
    domain.check_password_policy(new, username=identifier, common=passwords.common_passwords(), population="employee")
    await _set_password(db, account, new, now=now)


async def profile(db: AsyncDatabase[Any], identifier: str) -> dict[str, Any]:
    doc = await db[EMPLOYEES].find_one({"_id": identifier, "status": "active"}, {"_outbox": 0, "_mail": 0})
    if doc is None:
        raise domain.NotFound("No such account.")
    return doc


# Lost identifier --------------------------------------------------------------------------------------------
IDENTITIES = "employee_identities"  # what people's events say about each worker, to recognise a lost employee


def _digits(phone: str) -> str:
    return "".join(c for c in phone if c.isdigit())[-9:]  # the subscriber part: +32 475… and 0475… agree


async def learn_identity(db: AsyncDatabase[Any], event: CloudEvent[WorkerRegistered]) -> None:
    w = event.data
    await apply_once(
        db[IDENTITIES],
        {"_id": w.worker_id, "tenant": event.tenant},
        {
            "$set": {
                "last_name": domain.search_key(w.last_name),
                "first_name": domain.search_key(w.first_name),
                "birth_month": w.birth_date.month,
                "birth_place": domain.search_key(w.birth_place or ""),
                "mobile": _digits(w.mobile_phone or ""),
            }
        },
        event_id=event.id,
        upsert=True,
    )


async def recover_identifier(
    db: AsyncDatabase[Any],
    *,
    last_name: str,
    first_name: str,
    birth_place: str,
    birth_month: int,
    mobile: str,
    email: str,
    private_number: str,
    now: datetime,
) -> None:
    """When exactly one account matches every answer, it gets a new identifier and a provisional password by
    e-mail, and the old identifier stops working. Says nothing either way."""
    if not _digits(mobile) or not birth_place.strip():
        return
    candidates = (
        await db[IDENTITIES]
        .find(
            {
                "last_name": domain.search_key(last_name),
                "first_name": domain.search_key(first_name),
                "birth_month": birth_month,
                "birth_place": domain.search_key(birth_place),
                "mobile": _digits(mobile),
            }
        )
        .to_list(20)
    )
    matches = []
    for identity in candidates:
        account = await db[EMPLOYEES].find_one(
            {"tenant": identity["tenant"], "worker_id": identity["_id"], "status": "active"}
        )
        if (
            account
            and account.get("private_number_hash")
            and await passwords.verify_password(account["private_number_hash"], private_number)
        ):
            matches.append(account)
    if len(matches) != 1:
        return
    account = matches[0]
    password = secrets.token_urlsafe(9)
    for _ in range(5):
        identifier = domain.new_employee_identifier()
        mail = mails.mail_entry(
            "lost-identifier",
            to=email,
            language=account.get("language", "fr"),
            identifier=identifier,
            password=password,
        )
        try:
            await db[EMPLOYEES].update_one(
                {"_id": account["_id"]},
                {
                    "$set": {
                        "identifier": identifier,
                        "password_hash": await passwords.hash_password(password),
                        "must_change_password": True,
                        "provisional_expires_at": now + domain.PROVISIONAL_VALIDITY,
                        "personal_email": email,
                        "personal_email_key": email.casefold(),
                        "sessions_valid_after": now,
                    },
                    "$push": {
                        **push_outbox(
                            [
                                _event(
                                    UserUpdated(
                                        user_id=account["_id"],
                                        actor_id=account["_id"],
                                        changed=["identifier", "password", "personal_email"],
                                    ),
                                    account["tenant"],
                                    account["_id"],
                                ),
                                _event(
                                    PasswordChanged(user_id=account["_id"], actor_id=account["_id"], provisional=True),
                                    account["tenant"],
                                    account["_id"],
                                ),
                            ]
                        ),
                        **mails.push_mail([mail]),
                    },
                },
            )
            return
        except DuplicateKeyError:
            continue  # that identifier is taken: draw another
