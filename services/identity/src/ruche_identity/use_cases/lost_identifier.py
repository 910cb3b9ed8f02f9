"""An employee who lost their identifier gets a new one by e-mail when every answer about themselves and the
enrollment letter's private number matches exactly one account. The answer is the same either way."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ruche_contracts import CloudEvent
from ruche_contracts.identity import PasswordChanged, UserUpdated
from ruche_contracts.people import WorkerRegistered
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import push_outbox

from ..adapters import passwords
from ..domain.designations import PROVISIONAL_VALIDITY
from ..domain.employees import new_employee_identifier, phone_key
from ..domain.users import search_key
from ..repository import employees as accounts
from ..repository import identities
from . import mails
from .events import account_event

IDENTIFIER_ATTEMPTS = 5


@dataclass(frozen=True)
class Answers:
    last_name: str
    first_name: str
    birth_place: str
    birth_month: int
    mobile: str
    email: str
    private_number: str


def _folded(*, last_name: str, first_name: str, birth_month: int, birth_place: str, mobile: str) -> dict[str, Any]:
    return {
        "last_name": search_key(last_name),
        "first_name": search_key(first_name),
        "birth_month": birth_month,
        "birth_place": search_key(birth_place),
        "mobile": phone_key(mobile),
    }


async def learn_identity(db: Db, event: CloudEvent[WorkerRegistered]) -> None:
    w = event.data
    folded = _folded(
        last_name=w.last_name,
        first_name=w.first_name,
        birth_month=w.birth_date.month,
        birth_place=w.birth_place or "",
        mobile=w.mobile_phone or "",
    )
    await identities.learn(db, worker_id=w.worker_id, tenant=event.tenant, folded=folded, event_id=event.id)


async def recover_identifier(db: Db, answers: Answers, *, now: datetime) -> None:
    if not phone_key(answers.mobile) or not answers.birth_place.strip():
        return
    folded = _folded(
        last_name=answers.last_name,
        first_name=answers.first_name,
        birth_month=answers.birth_month,
        birth_place=answers.birth_place,
        mobile=answers.mobile,
    )
    matches = []
    for identity in await identities.matching(db, folded):
        account = await accounts.active_of_worker(db, tenant=identity["tenant"], worker_id=identity["_id"])
        if (
            account
            and account.get("private_number_hash")
            and await passwords.verify_password(account["private_number_hash"], answers.private_number)
        ):
            matches.append(account)
    if len(matches) == 1:
        await _new_identifier(db, matches[0], email=answers.email, now=now)


async def _new_identifier(db: Db, account: dict[str, Any], *, email: str, now: datetime) -> None:
    password = secrets.token_urlsafe(9)
    password_hash = await passwords.hash_password(password)
    account_id, tenant = account["_id"], account["tenant"]
    for _ in range(IDENTIFIER_ATTEMPTS):
        identifier = new_employee_identifier()
        changed = ["identifier", "password", "personal_email"]
        entries = [
            *account_event(UserUpdated, tenant=tenant, user_id=account_id, actor_id=account_id, changed=changed),
            *account_event(PasswordChanged, tenant=tenant, user_id=account_id, actor_id=account_id, provisional=True),
            mails.mail(
                "lost-identifier",
                to=email,
                language=account.get("language", "fr"),
                identifier=identifier,
                password=password,
            ),
        ]
        stored = await accounts.update(
            db,
            account_id,
            {
                "$set": {
                    "identifier": identifier,
                    "password_hash": password_hash,
                    "must_change_password": True,
                    "provisional_expires_at": now + PROVISIONAL_VALIDITY,
                    "personal_email": email,
                    "personal_email_key": email.casefold(),
                    "sessions_valid_after": now,
                },
                "$push": push_outbox(entries),
            },
        )
        if stored:
            return
