"""What `make up` promises a newcomer: every service's API and event docs answer through the gateway."""

from __future__ import annotations

import httpx
import pytest

SERVICES = ["identity", "people", "calendar", "presence", "vault"]


async def test_the_gateway_answers_its_own_health(gateway: httpx.AsyncClient) -> None:
    assert (await gateway.get("/healthz")).status_code == 200


@pytest.mark.parametrize("service", SERVICES)
async def test_each_service_serves_its_docs_behind_its_prefix(gateway: httpx.AsyncClient, service: str) -> None:
    ready = await gateway.get(f"/{service}/readyz")
    assert ready.json() == {"status": "ready", "checks": {"database": "ok", "kafka": "ok"}}
    docs = await gateway.get(f"/{service}/docs")
    assert docs.status_code == 200
    assert f"/{service}/openapi.json" in docs.text  # the page loads its schema through the same prefix
    openapi = (await gateway.get(f"/{service}/openapi.json")).json()
    assert openapi["info"]["title"] == f"Ruche {service}"
    asyncapi_page = await gateway.get(f"/{service}/docs/asyncapi")
    assert asyncapi_page.status_code == 200 and "AsyncAPI" in asyncapi_page.text
    asyncapi = (await gateway.get(f"/{service}/asyncapi.json")).json()
    assert asyncapi["asyncapi"].startswith("3.")
    assert any(name.startswith(f"{service}.") for name in asyncapi["channels"])  # what it produces
