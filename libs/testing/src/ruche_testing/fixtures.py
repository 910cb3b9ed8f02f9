"""pytest fixtures for the use-case tier: a real FerretDB of the tests' own (the same binary the stack runs, on
a free port, started in well under a second) and a scratch database per test, dropped afterwards.

Loaded by the root conftest (`pytest_plugins`). `RUCHE_TEST_MONGODB_URL` points the tier at another
MongoDB-wire server instead (a real MongoDB, say).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from ruche_devstack import ferretdb
from ruche_devstack.ports import HOST, free_port
from ruche_devstack.provision import provision_all

from .queries import QueryLog


@pytest.fixture(scope="session")
def scratch_mongodb_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if external := os.environ.get("RUCHE_TEST_MONGODB_URL"):
        yield external
        return
    binary = provision_all(kafka=False, nginx=False).ferretdb
    home: Path = tmp_path_factory.mktemp("ferretdb")
    port = free_port()
    process = ferretdb.process(binary, port, home / "data", home / "ferretdb.log", home)
    process.start()
    url = f"mongodb://{HOST}:{port}/?directConnection=true&maxPoolSize=1"
    try:
        ferretdb.wait_ready(url, timeout=30, process=process)
        yield url
    finally:
        process.stop()


@pytest.fixture
async def logged_db(
    scratch_mongodb_url: str, db: AsyncDatabase[Any]
) -> AsyncIterator[tuple[AsyncDatabase[Any], QueryLog]]:
    """The test's scratch database through a client that records every filter it sends."""
    log = QueryLog()
    client: AsyncMongoClient[Any] = AsyncMongoClient(
        scratch_mongodb_url, tz_aware=True, uuidRepresentation="standard", event_listeners=[log]
    )
    try:
        yield client[db.name], log
    finally:
        await client.close()


@pytest.fixture
async def db(scratch_mongodb_url: str) -> AsyncIterator[AsyncDatabase[Any]]:
    """A database of the test's own, with the client options every service uses (time zone aware)."""
    client: AsyncMongoClient[Any] = AsyncMongoClient(scratch_mongodb_url, tz_aware=True, uuidRepresentation="standard")
    name = f"scratch_{uuid.uuid4().hex[:12]}"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()
