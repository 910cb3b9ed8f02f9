"""Calendar's HTTP edge, one module per noun: it validates requests, calls use cases and shapes answers."""

from __future__ import annotations

from fastapi import APIRouter

from . import calendars, codes, salary_elements

ROUTERS: tuple[APIRouter, ...] = (calendars.router, codes.router, salary_elements.router)
