"""Designation of access managers at the use-case tier: the stored state and the events and mails each step
leaves for the relay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from ruche_contracts.identity import (
    AccessManagerReplaced,
    DesignationApproved,
    DesignationRequested,
    EnterpriseRegistered,
    PasswordChanged,
    SessionsEnded,
    UserCreated,
)
from ruche_identity.domain.errors import DesignationDecided, LoginRefused, ManagerInPlace, SignedFormMissing
from ruche_identity.repository import names
from ruche_identity.repository import users as users_repo
from ruche_identity.use_cases import designations, sign_in
from ruche_testing import pending_events, pending_mails, random_enterprise_number, unique

from .conftest import MANAGER_PASSWORD, T0, credentials_in, designate, designation_form, operator


async def test_approval_creates_the_manager_with_mailed_credentials_and_registers_the_enterprise(db) -> None:
    number, email = random_enterprise_number(), f"{unique('am.')}@example.be"
    the_operator = await operator(db)
    requested = await designations.request(db, **designation_form(number, email=email), now=T0)
    [event] = await pending_events(db, names.DESIGNATIONS, requested["_id"])
    assert isinstance(event.data, DesignationRequested) and event.tenant == number

    with pytest.raises(SignedFormMissing):
        await designations.approve(db, the_operator, requested["_id"], now=T0)
    await designations.record_form_received(db, requested["_id"], now=T0)
    approved = await designations.approve(db, the_operator, requested["_id"], now=T0)
    assert approved["status"] == "approved"
    with pytest.raises(DesignationDecided):
        await designations.reject(db, the_operator, requested["_id"], reason="late", now=T0)

    manager_id = approved["access_manager_id"]
    created, mail = (
        (await pending_events(db, names.USERS, manager_id)),
        (await pending_mails(db, names.USERS, manager_id)),
    )
    assert [type(e.data) for e in created] == [UserCreated]
    assert created[0].data.kind == "access_manager"
    [credentials] = mail
    assert credentials["to"] == email and requested["_id"] in credentials["body"]
    [registered] = await pending_events(db, names.ENTERPRISES, number)
    assert isinstance(registered.data, EnterpriseRegistered) and registered.data.access_manager_id == manager_id
    assert [type(e.data) for e in await pending_events(db, names.DESIGNATIONS, requested["_id"])] == [
        DesignationRequested,
        DesignationApproved,
    ]
    # The provisional credentials open only the first login, and only for 30 days.
    username, password = credentials_in(credentials)
    with pytest.raises(LoginRefused) as provisional:
        await sign_in.authenticate_user(db, username=username, password=password, now=T0)
    assert provisional.value.error == "password_change_required"
    with pytest.raises(LoginRefused, match="expired"):
        await sign_in.first_login(
            db,
            username=username,
            password=password,
            new_password=MANAGER_PASSWORD,
            new_password_confirmation=MANAGER_PASSWORD,
            new_username="an.peeters",
            new_username_confirmation="an.peeters",
            now=T0 + timedelta(days=31),
        )


async def test_a_second_manager_needs_a_replacement_request_which_demotes_the_first(db) -> None:
    number = random_enterprise_number()
    first = await designate(db, number)
    with pytest.raises(ManagerInPlace) as refused:
        await designations.request(db, **designation_form(number, email="x@example.be"), now=T0)
    assert refused.value.field == "replace_current"

    later = T0 + timedelta(hours=1)
    second = await designate(db, number, replace_current=True, now=later)
    demoted, _ = await users_repo.get_user(db, tenant=number, user_id=first.user_id)
    assert (demoted.kind, dict(demoted.grants)) == ("user", {})
    events = await pending_events(db, names.USERS, first.user_id)
    replaced = [e for e in events if isinstance(e.data, AccessManagerReplaced)]
    assert [e.data.replaced_by for e in replaced] == [second.user_id]
    ended = [e for e in events if isinstance(e.data, SessionsEnded)]
    assert (first.user_id, AccessManagerReplaced.event_type) in [(e.data.subject, e.data.reason) for e in ended]
    stored = await users_repo.find_by_id(db, first.user_id)
    assert stored is not None and stored["sessions_valid_after"] == later  # refresh tokens issued before stop
    assert second.kind == "access_manager"
    assert [type(e.data) for e in await pending_events(db, names.USERS, second.user_id)] == [
        UserCreated,
        PasswordChanged,
        SessionsEnded,
    ]


async def test_a_ticket_says_only_its_status_and_is_found_however_it_is_typed(db) -> None:
    doc = await designations.request(db, **designation_form(random_enterprise_number(), email="a@example.be"), now=T0)
    ticket = doc["_id"]
    assert (await designations.get(db, ticket.lower().replace("-", "")))["_id"] == ticket
