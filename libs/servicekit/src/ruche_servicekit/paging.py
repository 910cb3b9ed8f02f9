"""One shape for every list an API returns: a page of items with the total, and its query parameters."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from pymongo.asynchronous.collection import AsyncCollection

T = TypeVar("T")
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000  # deeper than any employer's list; also keeps `skip` inside what MongoDB accepts

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


async def find_page(
    collection: AsyncCollection[Any],
    query: dict[str, Any],
    *,
    sort: list[tuple[str, int]],
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """Documents of one page (without their outbox and inbox) and the count of all that match."""
    total = await collection.count_documents(query)
    cursor = collection.find(query, {"_outbox": 0, "_inbox": 0}).sort([*sort, ("_id", 1)])
    return await cursor.skip(offset).limit(limit).to_list(), total
