"""The access manager's enterprise pages (to be written): own data, co-managers, replacing the access manager,
mandates, technical users, the audit trail."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
