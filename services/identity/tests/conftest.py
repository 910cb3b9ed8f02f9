"""Identity's use-case tier: an enterprise and its access manager set up through the use cases themselves
(designation, the operator's approval, first login), on a scratch database of the real FerretDB."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ruche_identity import repository
from ruche_identity.domain.users import User
from ruche_identity.repository import names
from ruche_identity.repository import users as users_repo
from ruche_identity.use_cases import designations, sign_in
from ruche_testing import pending_mails, random_enterprise_number, random_niss, unique

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
MANAGER_PASSWORD = "correct horse battery staple"


@dataclass
class Enterprise:
    number: str
    manager: User
    operator: User


async def operator(db: Any) -> User:
    await designations.ensure_operator(db, username="operator", password="the operator's phrase", now=T0)
    return await sign_in.authenticate_user(db, username="operator", password="the operator's phrase", now=T0)


def designation_form(number: str, *, email: str, replace_current: bool = False) -> dict[str, Any]:
    return {
        "enterprise": {"enterprise_number": number, "name": unique("Boulangerie ")},
        "manager": {
            "last_name": "Peeters",
            "first_name": "An",
            "niss": random_niss(sex="F"),
            "capacity": "employee",
            "email": email,
            "language": "fr",
        },
        "signatory": {
            "last_name": "Dupont",
            "first_name": "Marc",
            "niss": random_niss(),
            "capacity": "director",
            "email": "sign@example.be",
        },
        "replace_current": replace_current,
    }


def credentials_in(mail: dict[str, Any]) -> tuple[str, str]:
    username = re.search(r"Nom d'utilisateur provisoire : (\S+)", mail["body"])
    password = re.search(r"Mot de passe provisoire : (\S+)", mail["body"])
    assert username and password, mail["body"]
    return username.group(1), password.group(1)


async def designate(db: Any, number: str, *, replace_current: bool = False, now: datetime = T0) -> User:
    """Request, record the signed form, approve, first login: the new access manager as stored."""
    the_operator = await operator(db)
    email = f"{unique('am.')}@example.be"
    doc = await designations.request(
        db, **designation_form(number, email=email, replace_current=replace_current), now=now
    )
    await designations.record_form_received(db, doc["_id"], now=now)
    approved = await designations.approve(db, the_operator, doc["_id"], now=now)
    manager_id = approved["access_manager_id"]
    [mail] = await pending_mails(db, names.USERS, manager_id)
    username, password = credentials_in(mail)
    chosen = unique("am.")
    await sign_in.first_login(
        db,
        username=username,
        password=password,
        new_password=MANAGER_PASSWORD,
        new_password_confirmation=MANAGER_PASSWORD,
        new_username=chosen,
        new_username_confirmation=chosen,
        now=now + timedelta(minutes=1),
    )
    user, _ = await users_repo.get_user(db, tenant=number, user_id=manager_id)
    return user


@pytest.fixture
async def db(db: Any) -> Any:
    """The scratch database with identity's indexes, as the service sets them up (unique usernames, ...)."""
    await repository.create_indexes(db)
    return db


@pytest.fixture
async def enterprise(db: Any) -> Enterprise:
    number = random_enterprise_number()
    return Enterprise(number, await designate(db, number), await operator(db))
