"""The user search and its complement, evaluated by the real FerretDB: for any users and any criteria, the
two are disjoint, together give everyone, and the search finds exactly who a plain reading of the criteria
says."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymongo import MongoClient
from ruche_identity.domain.applications import MANAGER_KINDS
from ruche_identity.domain.users import User, UserCriteria, search_key
from ruche_identity.repository.users import search_filter, user_document

TENANT, OTHER = "0403019261", "0428759497"
NAMES = ["Élodie", "elodie", "Émile", "Maes", "Martens", "De Smet", "desmet", "Ödön", "Jan", "Janssens"]
KINDS = ["access_manager", "co_manager", "user"]
APPS = ["people", "calendar", "presence", "vault", "access"]
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _users(seed: int) -> list[User]:
    import random

    rng = random.Random(seed)
    users = []
    for i in range(60):
        grants = {app: "reader" for app in APPS if rng.random() < 0.3}
        login = None if rng.random() < 0.3 else EPOCH + timedelta(days=rng.randint(0, 300))
        users.append(
            User(
                user_id=f"u{i}",
                tenant=TENANT if i % 10 else OTHER,
                username=f"{rng.choice(NAMES).lower()}{i}",
                last_name=rng.choice(NAMES),
                first_name=rng.choice(NAMES),
                niss=rng.choice(["85073003328", "93051822361"]),
                email="x@example.be",
                kind=rng.choice(KINDS),
                status=rng.choice(["active", "blocked"]),
                grants=grants,
                last_login_at=login,
            )
        )
    return users


USERS = _users(7)
# A machine client of the tenant: never among the users a search or its complement lists.
ROBOT = User(
    user_id="tu-robot",
    tenant=TENANT,
    username="tu-robot",
    last_name="Badge reader",
    first_name="",
    niss="",
    email="",
    kind="technical",
)


@pytest.fixture(scope="module")
def collection(scratch_mongodb_url: str):
    client: MongoClient = MongoClient(scratch_mongodb_url, tz_aware=True)
    db = client[f"scratch_{uuid.uuid4().hex[:8]}"]
    db.users.insert_many([user_document(u, password_hash="x", version=1) for u in [*USERS, ROBOT]])
    yield db.users
    client.drop_database(db.name)
    client.close()


def matches(user: User, c: UserCriteria) -> bool:
    """The criteria read plainly, with no database."""
    checks = [
        c.last_name is None or search_key(user.last_name).startswith(search_key(c.last_name)),
        c.first_name is None or search_key(user.first_name).startswith(search_key(c.first_name)),
        c.username is None or search_key(user.username).startswith(search_key(c.username)),
        c.kind is None or user.kind == c.kind,
        c.niss is None or user.niss == c.niss,
        c.status is None or user.status == c.status,
        c.application is None or c.application in user.grants or user.kind in MANAGER_KINDS,
        c.not_logged_in_since is None or user.last_login_at is None or user.last_login_at < c.not_logged_in_since,
    ]
    return all(checks)


prefixes = st.sampled_from(NAMES).flatmap(lambda n: st.integers(1, len(n)).map(lambda k: n[:k]))
criteria = st.builds(
    UserCriteria,
    last_name=st.none() | prefixes,
    first_name=st.none() | prefixes,
    username=st.none() | prefixes.map(str.lower),
    kind=st.none() | st.sampled_from(KINDS),
    niss=st.none() | st.sampled_from(["85073003328", "93051822361"]),
    status=st.none() | st.sampled_from(["active", "blocked"]),
    application=st.none() | st.sampled_from(APPS),
    not_logged_in_since=st.none() | st.integers(0, 320).map(lambda d: EPOCH + timedelta(days=d)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(c=criteria)
def test_search_and_complement_split_the_tenant_exactly(collection, c: UserCriteria) -> None:
    tenant_ids = {u.user_id for u in USERS if u.tenant == TENANT}
    found_query = search_filter(TENANT, c, complementary=False)
    other_query = search_filter(TENANT, c, complementary=True)
    assert found_query is not None
    found = {d["_id"] for d in collection.find(found_query, {"_id": 1})}
    others = {d["_id"] for d in collection.find(other_query, {"_id": 1})} if other_query else set()
    assert found.isdisjoint(others)
    assert found | others == tenant_ids  # never another tenant's user
    assert found == {u.user_id for u in USERS if u.tenant == TENANT and matches(u, c)}
