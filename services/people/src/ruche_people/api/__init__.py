"""People's HTTP edge, one module per noun: it validates requests, calls use cases and shapes answers."""

from __future__ import annotations

from fastapi import APIRouter

from . import onboarding, personal_data, workers

ROUTERS: tuple[APIRouter, ...] = (workers.router, personal_data.router, onboarding.router, onboarding.public)
