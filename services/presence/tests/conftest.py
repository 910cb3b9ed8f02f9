"""The scratch database of `ruche_testing.fixtures`, with presence's indexes (receipt numbers are unique)."""

from __future__ import annotations

from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from ruche_presence import repository


@pytest.fixture
async def db(db: AsyncDatabase[Any]) -> AsyncDatabase[Any]:
    await repository.create_indexes(db)
    return db
