"""The one way services reach MongoDB: PyMongo's native async client (Motor reached end of life in May 2026)."""

from __future__ import annotations

from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase

Document = dict


def connect(url: str) -> AsyncMongoClient[Document]:
    # Short server selection so /readyz answers quickly when the database is away.
    return AsyncMongoClient(url, serverSelectionTimeoutMS=3000, tz_aware=True, uuidRepresentation="standard")


async def is_reachable(db: AsyncDatabase[Document]) -> bool:
    try:
        await db.command("ping")
    except Exception:
        return False
    return True
