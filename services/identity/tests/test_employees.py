"""Employee accounts at the use-case tier with an injected clock: the account opens once per vault, the letter's
password opens only the first login, three failures lock for 120 minutes, the e-mailed link works once within
30 minutes and lifts the lockout, and a lost identifier is replaced only when every answer matches."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from ruche_contracts import new_event
from ruche_contracts.document_vault import VaultOpened
from ruche_contracts.identity import AccountLocked, EmployeeAccountOpened, PasswordChanged
from ruche_contracts.people import WorkerRegistered
from ruche_identity.domain.errors import AccountActivated, LoginRefused
from ruche_identity.repository import names
from ruche_identity.use_cases import employees, lost_identifier
from ruche_testing import pending_events, pending_mails, random_enterprise_number

from .conftest import T0

IDENTIFIER = "100000000195"
OWN = "the first password 1"


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


async def open_and_activate(db, tenant: str, *, identifier: str = IDENTIFIER, worker_id: str = "w1") -> str:
    opened = new_event(
        VaultOpened(vault_id=worker_id, worker_id=worker_id, identifier=identifier), tenant=tenant, subject=worker_id
    )
    assert await employees.open_account(db, opened) is True
    assert await employees.open_account(db, opened) is False  # redelivered: one account
    [event] = await pending_events(db, names.EMPLOYEES, identifier)
    assert isinstance(event.data, EmployeeAccountOpened) and event.data.worker_id == worker_id
    letter = await employees.enrollment_letter(db, tenant=tenant, worker_id=worker_id, now=T0)
    with pytest.raises(LoginRefused) as provisional:
        await employees.authenticate(db, login=identifier, password=letter.provisional_password, now=T0)
    assert provisional.value.error == "password_change_required"
    await employees.first_login(
        db,
        identifier=identifier,
        password=letter.provisional_password,
        new_password=OWN,
        new_password_confirmation=OWN,
        email="lou@example.be",
        email_confirmation="LOU@example.be",
        now=T0,
    )
    with pytest.raises(AccountActivated):
        await employees.enrollment_letter(db, tenant=tenant, worker_id=worker_id, now=T0)
    return letter.private_number


async def reset_token(db, now) -> str:
    await employees.request_reset(db, identifier=IDENTIFIER, email="LOU@example.be", now=now)
    link = await db[names.RESET_LINKS].find_one({}, sort=[("expires_at", -1)])
    match = re.search(r"\{site\}/password-reset/(\S+)", link["_outbox"][0]["body"])  # the console's reset page
    assert match
    return match.group(1)


async def test_a_reset_link_works_once_and_lifts_the_lockout(db, tenant) -> None:
    await open_and_activate(db, tenant)
    for _ in range(3):
        with pytest.raises(LoginRefused):
            await employees.authenticate(db, login=IDENTIFIER, password="wrong password", now=T0)
    with pytest.raises(LoginRefused, match="120 minutes"):
        await employees.authenticate(db, login=IDENTIFIER, password=OWN, now=T0)
    assert any(isinstance(e.data, AccountLocked) for e in await pending_events(db, names.EMPLOYEES, IDENTIFIER))
    [locked] = await pending_mails(db, names.EMPLOYEES, IDENTIFIER)
    assert locked["template"] == "employee-account-locked"
    assert "{site}/forgotten-password" in locked["body"]  # the mail leads to the page that unlocks

    token = await reset_token(db, T0)
    assert (await employees.check_reset_link(db, token=token, now=T0))["identifier"] == IDENTIFIER
    await employees.reset_password(
        db,
        token=token,
        new_password="a brand new phrase 2",
        confirmation="a brand new phrase 2",
        now=T0 + timedelta(minutes=29),
    )
    account = await employees.authenticate(
        db, login=IDENTIFIER, password="a brand new phrase 2", now=T0 + timedelta(minutes=30)
    )
    assert account["_id"] == IDENTIFIER  # unlocked long before the 120 minutes
    *_, changed, ended = await pending_events(db, names.EMPLOYEES, IDENTIFIER)
    assert isinstance(changed.data, PasswordChanged)
    assert (ended.data.subject, ended.data.reason) == (IDENTIFIER, PasswordChanged.event_type)  # other sessions end
    with pytest.raises(LoginRefused, match="not valid"):
        await employees.reset_password(
            db,
            token=token,
            new_password="yet another phrase 3",
            confirmation="yet another phrase 3",
            now=T0 + timedelta(minutes=31),
        )


async def test_a_late_link_fails_and_a_wrong_email_gets_no_link(db, tenant) -> None:
    await open_and_activate(db, tenant)
    token = await reset_token(db, T0)
    with pytest.raises(LoginRefused, match="not valid"):
        await employees.check_reset_link(db, token=token, now=T0 + timedelta(minutes=31))
    await db[names.RESET_LINKS].delete_many({})
    await employees.request_reset(db, identifier=IDENTIFIER, email="someone@else.be", now=T0)
    await employees.request_reset(db, identifier="999999999999", email="lou@example.be", now=T0)
    assert await db[names.RESET_LINKS].count_documents({}) == 0


async def test_the_personal_email_is_a_second_identifier(db, tenant) -> None:
    await open_and_activate(db, tenant)
    account = await employees.authenticate(db, login="Lou@Example.be", password=OWN, now=T0)
    assert account["_id"] == IDENTIFIER


async def test_a_lost_identifier_is_replaced_only_when_every_answer_matches(db, tenant) -> None:
    private_number = await open_and_activate(db, tenant)
    registered = WorkerRegistered(
        worker_id="w1",
        first_name="Lou",
        last_name="Dubois",
        niss="85073003328",
        birth_date=date(1985, 7, 30),
        sex="M",
        nationality="BE",
        work_email="lou@work.be",
        birth_place="Liège",
        mobile_phone="+32 475 12 34 56",
    )
    await lost_identifier.learn_identity(db, new_event(registered, tenant=tenant, subject="w1"))
    answers = lost_identifier.Answers(
        last_name="dubois",
        first_name="LOU",
        birth_place="liege",
        birth_month=7,
        mobile="0475/12.34.56",
        email="lou.new@example.be",
        private_number="000000" if private_number != "000000" else "111111",
    )
    await lost_identifier.recover_identifier(db, answers, now=T0)  # a wrong private number: nothing happens
    assert (await db[names.EMPLOYEES].find_one({"_id": IDENTIFIER}))["identifier"] == IDENTIFIER

    await lost_identifier.recover_identifier(
        db, lost_identifier.Answers(**{**answers.__dict__, "private_number": private_number}), now=T0
    )
    stored = await db[names.EMPLOYEES].find_one({"_id": IDENTIFIER})
    assert stored["identifier"] != IDENTIFIER
    [mail] = [m for m in await pending_mails(db, names.EMPLOYEES, IDENTIFIER) if m["template"] == "lost-identifier"]
    assert mail["to"] == "lou.new@example.be" and stored["identifier"] in mail["body"]
    with pytest.raises(LoginRefused):  # the old identifier stopped working
        await employees.authenticate(db, login=IDENTIFIER, password=OWN, now=T0)
