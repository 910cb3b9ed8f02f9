"""Calendar's HTTP edge, one module per noun: it validates requests, calls use cases and shapes answers."""

from __future__ import annotations

from fastapi import APIRouter

from . import calendars, codes

ROUTERS: tuple[APIRouter, ...] = (calendars.router, codes.router)
