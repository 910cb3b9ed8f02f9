"""Employee password resets against the real FerretDB with an injected clock: the e-mailed link works once,
within 30 minutes, and lifts a lockout."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pymongo import AsyncMongoClient
from ruche_identity import employees, passwords

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
IDENTIFIER = "100000000195"


@pytest.fixture
async def db(mongodb_url: str):
    client: AsyncMongoClient = AsyncMongoClient(mongodb_url, tz_aware=True)
    database = client[f"scratch_{uuid.uuid4().hex[:8]}"]
    await database[employees.EMPLOYEES].insert_one(
        {
            "_id": IDENTIFIER,
            "identifier": IDENTIFIER,
            "tenant": "0403019261",
            "worker_id": "w1",
            "status": "active",
            "language": "en",
            "password_hash": await passwords.hash_password("the first password 1"),
            "must_change_password": False,
            "personal_email": "lou@example.be",
            "activated_at": T0,
        }
    )
    yield database
    await client.drop_database(database.name)
    await client.close()


async def reset_token(db, now: datetime) -> str:
    await employees.request_reset(db, identifier=IDENTIFIER, email="LOU@example.be", now=now, link_base="https://x/r")
    link = await db[employees.RESET_LINKS].find_one({}, sort=[("expires_at", -1)])
    match = re.search(r"token=(\S+)", link["_mail"][0]["body"])
    assert match
    return match.group(1)


async def test_a_reset_link_works_once_and_lifts_the_lockout(db) -> None:
    for _ in range(3):
        with pytest.raises(employees.EmployeeLoginRefused):
            await employees.authenticate(db, identifier=IDENTIFIER, password="wrong password", now=T0)
    with pytest.raises(employees.EmployeeLoginRefused, match="120 minutes"):
        await employees.authenticate(db, identifier=IDENTIFIER, password="the first password 1", now=T0)
    token = await reset_token(db, T0)
    await employees.reset_password(
        db,
        token=token,
        new_password="a brand new phrase 2",
        confirmation="a brand new phrase 2",
        now=T0 + timedelta(minutes=29),
    )
    account = await employees.authenticate(
        db, identifier=IDENTIFIER, password="a brand new phrase 2", now=T0 + timedelta(minutes=30)
    )
    assert account["_id"] == IDENTIFIER  # unlocked long before the 120 minutes
    with pytest.raises(employees.EmployeeLoginRefused, match="not valid"):
        await employees.reset_password(
            db,
            token=token,
            new_password="yet another phrase 3",
            confirmation="yet another phrase 3",
            now=T0 + timedelta(minutes=31),
        )


async def test_a_late_link_fails(db) -> None:
    token = await reset_token(db, T0)
    with pytest.raises(employees.EmployeeLoginRefused, match="not valid"):
        await employees.reset_password(
            db,
            token=token,
            new_password="a brand new phrase 2",
            confirmation="a brand new phrase 2",
            now=T0 + timedelta(minutes=31),
        )


async def test_a_reset_for_a_wrong_email_sends_nothing(db) -> None:
    await employees.request_reset(db, identifier=IDENTIFIER, email="someone@else.be", now=T0, link_base="https://x")
    await employees.request_reset(db, identifier="999999999999", email="lou@example.be", now=T0, link_base="https://x")
    assert await db[employees.RESET_LINKS].count_documents({}) == 0
