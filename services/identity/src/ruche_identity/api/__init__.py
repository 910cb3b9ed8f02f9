"""Identity's HTTP edge, one module per noun: it validates requests, calls use cases and shapes answers."""

from __future__ import annotations

from fastapi import APIRouter

from . import audit, designations, employees, enterprises, mandates, technical_users, tokens, users

ROUTERS: tuple[APIRouter, ...] = (
    tokens.router,
    designations.router,
    enterprises.router,
    users.router,
    technical_users.router,
    mandates.router,
    employees.router,
    audit.router,
)
