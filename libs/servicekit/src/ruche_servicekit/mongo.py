"""The one way services reach MongoDB: PyMongo's native async client (Motor reached end of life in May 2026).

`Db` is the type use cases name the database they pass on to their repository with, so that only repositories
import pymongo (an import-linter contract checks it).
"""

from __future__ import annotations

from typing import Any

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]
Db = AsyncDatabase[Document]


def connect(url: str) -> AsyncMongoClient[Document]:
    # Short server selection so /readyz answers quickly when the database is away.
    return AsyncMongoClient(url, serverSelectionTimeoutMS=3000, tz_aware=True, uuidRepresentation="standard")


async def is_reachable(db: Db) -> bool:
    try:
        await db.command("ping")
    except Exception:
        return False
    return True
