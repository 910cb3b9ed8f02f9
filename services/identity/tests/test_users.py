"""User management at the use-case tier: what is stored, which events leave, and which users are listed."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from ruche_contracts.identity import ApplicationGranted, UserBlocked, UserCreated, UserDeleted
from ruche_identity.domain.errors import InvalidPublicKey, NotAllowed, NotFound, UsernameTaken
from ruche_identity.domain.users import UserCriteria
from ruche_identity.repository import names
from ruche_identity.repository import users as users_repo
from ruche_identity.use_cases import technical_users, users
from ruche_testing import pending_events

from .conftest import T0, Enterprise


def fields(**overrides) -> dict:
    name = f"user.{uuid.uuid4().hex[:8]}"
    values = {
        "niss": "85073003328",
        "username": name,
        "last_name": "Janssens",
        "first_name": "Lotte",
        "title": None,
        "language": "nl",
        "email": f"{name}@example.be",
        "local_email": None,
    }
    return values | overrides


async def create(db, manager, **kw):
    return await users.create_user(
        db,
        manager,
        kind=kw.pop("kind", "user"),
        fields=fields(**kw),
        password="provisional pass 42",
        grants=kw.pop("grants", {}),
        now=T0,
    )


async def test_a_created_user_leaves_its_creation_and_each_grant_as_events(db, enterprise: Enterprise) -> None:
    created = await users.create_user(
        db,
        enterprise.manager,
        kind="user",
        fields=fields(),
        password="provisional pass 42",
        grants={"people": "reader"},
        now=T0,
    )
    events = await pending_events(db, names.USERS, created.user_id)
    assert [type(e.data) for e in events] == [UserCreated, ApplicationGranted]
    assert all(e.tenant == enterprise.number and e.data.actor_id == enterprise.manager.user_id for e in events)
    with pytest.raises(UsernameTaken):
        await users.create_user(
            db,
            enterprise.manager,
            kind="user",
            fields=fields(username=created.username),
            password="provisional pass 42",
            grants={},
            now=T0,
        )


async def test_blocking_ends_sessions_and_a_bulk_change_checks_every_target_first(db, enterprise: Enterprise) -> None:
    lotte = await users.create_user(
        db, enterprise.manager, kind="user", fields=fields(), password="provisional pass 42", grants={}, now=T0
    )
    blocked = await users.set_status(db, enterprise.manager, lotte.user_id, blocked=True, now=T0 + timedelta(minutes=5))
    assert blocked.status == "blocked"
    *_, blocked_event, ended = await pending_events(db, names.USERS, lotte.user_id)
    assert isinstance(blocked_event.data, UserBlocked)
    assert ended.data.subject == lotte.user_id  # SessionsEnded: every service refuses its tokens
    stored = await users_repo.find_by_id(db, lotte.user_id)
    assert stored is not None and users_repo.sessions_valid_after(stored) is not None

    # The access manager is among the selection: nothing is granted to anyone.
    with pytest.raises(NotAllowed):
        await users.grant_application(
            db, enterprise.manager, [lotte.user_id, enterprise.manager.user_id], application="vault", profile="reader"
        )
    unchanged, _ = await users_repo.get_user(db, tenant=enterprise.number, user_id=lotte.user_id)
    assert dict(unchanged.grants) == {}


async def test_a_deleted_user_keeps_no_personal_data(db, enterprise: Enterprise) -> None:
    lotte = await users.create_user(
        db, enterprise.manager, kind="user", fields=fields(), password="provisional pass 42", grants={}, now=T0
    )
    await users.delete_users(db, enterprise.manager, [lotte.user_id], confirm=True)
    tombstone = await db[names.USERS].find_one({"_id": lotte.user_id})
    assert {k for k in tombstone if not k.startswith("_")} == {"tenant", "username", "status", "version"}
    assert lotte.niss not in str(tombstone) and lotte.email not in str(tombstone)
    *_, deleted, ended = await pending_events(db, names.USERS, lotte.user_id)
    assert isinstance(deleted.data, UserDeleted) and ended.data.subject == lotte.user_id
    with pytest.raises(NotFound):
        await users.get_user(db, enterprise.manager, lotte.user_id)


async def test_technical_users_have_their_own_list_and_are_not_among_the_users(db, enterprise: Enterprise) -> None:
    pem = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    robot, key_type = await technical_users.register(
        db, enterprise.manager, name="badge reader", public_key=pem, grants={}, now=T0
    )
    assert key_type == "EC" and robot.user_id.startswith("tu-")
    listed, total = await users.search(
        db,
        enterprise.manager,
        UserCriteria(),
        complementary=False,
        sort="last_name",
        descending=False,
        limit=50,
        offset=0,
    )
    assert robot.user_id not in {u.user_id for u in listed} and total == len(listed)
    machines, _ = await technical_users.listed(db, enterprise.manager, limit=50, offset=0)
    assert [(u.user_id, k) for u, k in machines] == [(robot.user_id, "EC")]
    with pytest.raises(InvalidPublicKey) as bad:
        await technical_users.register(db, enterprise.manager, name="x", public_key="not a key", grants={}, now=T0)
    assert (bad.value.kind, bad.value.field) == ("invalid-public-key", "public_key")


async def test_my_enterprise_names_its_access_manager(db, enterprise: Enterprise) -> None:
    doc, manager = await users.my_enterprise(db, enterprise.number)
    assert doc["_id"] == enterprise.number
    assert manager is not None and manager.user_id == enterprise.manager.user_id
