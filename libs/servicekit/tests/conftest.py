"""Integration fixtures: a throwaway database on the real FerretDB of the test stack, and a sample payload."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import date
from typing import Any

import pytest
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from ruche_contracts.people import WorkerRegistered


@pytest.fixture
async def db(mongodb_url: str) -> AsyncIterator[AsyncDatabase[Any]]:
    client: AsyncMongoClient[Any] = AsyncMongoClient(mongodb_url)
    name = f"scratch_{uuid.uuid4().hex[:8]}"
    yield client[name]
    await client.drop_database(name)
    await client.close()


@pytest.fixture
def registered() -> Callable[[str], WorkerRegistered]:
    """Builds a valid WorkerRegistered payload for a worker id."""
    return _registered


def _registered(worker_id: str) -> WorkerRegistered:
    return WorkerRegistered(
        worker_id=worker_id,
        first_name="A",
        last_name="B",
        niss="85073003328",
        birth_date=date(1985, 7, 30),
        sex="M",
        nationality="BE",
        work_email="a@example.be",
    )
