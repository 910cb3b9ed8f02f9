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


async def _raw(stack_url: str, request_line: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send a raw request line, as a broken client could, and read the gateway's whole answer."""
    import asyncio
    from urllib.parse import urlsplit

    where = urlsplit(stack_url)
    reader, writer = await asyncio.open_connection(where.hostname, where.port)
    writer.write(request_line + b"\r\nHost: gateway\r\nConnection: close\r\n\r\n")
    await writer.drain()
    answer = await reader.read()
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in header_lines)}
    return int(status_line.split()[1]), headers, body


async def test_the_gateways_own_errors_are_problem_details(gateway: httpx.AsyncClient) -> None:
    import json

    unknown = await gateway.get("/payroll/things")
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["status"] == 404 and "/people/" in unknown.json()["detail"]
    too_long = await gateway.get("/people/workers?q=" + "x" * 20_000)
    assert too_long.status_code == 414 and too_long.headers["content-type"] == "application/problem+json"
    assert too_long.json()["title"] == "URI too long"
    status, headers, body = await _raw(str(gateway.base_url), b"GET /people/../../etc/passwd HTTP/1.1")
    assert status == 400 and headers["content-type"] == "application/problem+json"
    assert json.loads(body)["status"] == 400
