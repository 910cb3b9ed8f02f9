"""Contracts: sign, amend, end, cancel, read; each change stores its events with the contract."""

from __future__ import annotations

from datetime import datetime

from ruche_servicekit.mongo import Db


async def on_worker_registered(db: Db, *, tenant: str, worker_id: str, now: datetime) -> int:
    """The worker's personal data now count: their contracts waiting for data are to be declared (Dimona IN).
    Returns how many contracts were queued. (Stub: filled in with the Dimona half.)"""
    return 0
