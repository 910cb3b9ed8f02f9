"""The access manager's enterprise pages, under /access/: own data and password, the co-managers and how to
replace the access manager, mandates given and received, technical users, and the audit trail. One module per
subject; every page reads and writes through identity's API with the signed-in person's token."""

from __future__ import annotations

from fastapi import APIRouter

from . import audit, managers, mandates, own, technical_users

router = APIRouter()
for _module in (own, managers, mandates, technical_users, audit):
    router.include_router(_module.router)
