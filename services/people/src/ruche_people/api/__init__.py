"""People's HTTP edge, one module per noun: it validates requests, calls use cases and shapes answers."""

from __future__ import annotations

from fastapi import APIRouter

from . import bulk, contracts, onboarding, personal_data, reference, workers

# bulk first: POST /workers/bulk must not be read as a worker id
ROUTERS: tuple[APIRouter, ...] = (
    bulk.router,
    workers.router,
    personal_data.router,
    onboarding.router,
    onboarding.public,
    contracts.router,
    reference.router,
)
