"""The console's pages, one module per area; each area's templates live under `templates/<area>/` and its texts in
`locales/<language>/LC_MESSAGES/<area>.po`."""

from __future__ import annotations

from fastapi import APIRouter

from . import access, account, employee, enterprise, hr, onboarding, operator, public

ROUTERS: tuple[APIRouter, ...] = (
    account.router,
    public.router,
    onboarding.router,
    operator.router,
    access.router,
    enterprise.router,
    employee.router,
    hr.router,
)
