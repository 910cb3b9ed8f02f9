"""People's MongoDB collections, one module per noun: the only code of people that touches the database."""

from __future__ import annotations

from ruche_servicekit.mongo import Db

from . import contracts, dimona_queue, onboarding_links, workers
from .names import OUTBOX_COLLECTIONS

__all__ = ["HOUSEKEEPING", "OUTBOX_COLLECTIONS", "create_indexes"]

# Expired records, removed by the service itself (FerretDB has no TTL index).
HOUSEKEEPING = (onboarding_links.remove_expired,)


async def create_indexes(db: Db) -> None:
    """Each module's indexes."""
    await workers.create_indexes(db)
    await onboarding_links.create_indexes(db)
    await contracts.create_indexes(db)
    await dimona_queue.create_indexes(db)
