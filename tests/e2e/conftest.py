"""End-to-end fixtures: a client of the gateway and freshly registered employers (the stack comes from the
root conftest)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from ruche_devstack.stack import Stack

from .support import Employer, register_employer


@pytest.fixture
async def gateway(stack: Stack) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=stack.gateway_url, timeout=30) as client:
        yield client


@pytest.fixture
async def employer(gateway: httpx.AsyncClient, stack: Stack) -> Employer:
    return await register_employer(gateway, stack)


@pytest.fixture
async def other_employer(gateway: httpx.AsyncClient, stack: Stack) -> Employer:
    return await register_employer(gateway, stack)
