"""People's MongoDB collections, one module per noun: the only code of people that touches the database."""

from __future__ import annotations

from .names import OUTBOX_COLLECTIONS

__all__ = ["OUTBOX_COLLECTIONS", "create_indexes"]


async def create_indexes(db: object) -> None:
    """Each module's indexes (filled in as modules arrive)."""
