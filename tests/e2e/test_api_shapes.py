"""What a client of the APIs relies on beyond each feature: a created resource's Location opens it through the
gateway, lists are pages, the OpenAPI documents declare the problem answers, identity publishes honest metadata,
and nothing starts with an error."""

from __future__ import annotations

import json

import httpx
import pytest
from ruche_devstack.stack import Stack

from .support import (
    Employer,
    contract_body,
    designation_body,
    eventually,
    random_enterprise_number,
    unique,
    worker_body,
)
from .test_hiring_flow import declare_workplace, today

SERVICES = ["identity", "people", "calendar", "presence", "vault"]


async def test_each_location_opens_what_was_created(employer: Employer) -> None:
    worker = await employer.post("/people/workers", worker_body())
    assert (await employer.get(worker.headers["location"])).json()["worker_id"] == worker.json()["worker_id"]
    contract = await employer.post(
        f"/people/workers/{worker.json()['worker_id']}/contracts",
        contract_body(today()),
    )
    assert contract.status_code == 201, contract.text
    opened = await employer.get(contract.headers["location"])
    assert opened.status_code == 200 and opened.json()["contract_id"] == contract.json()["contract_id"]
    contracts = (await employer.get(f"/people/workers/{worker.json()['worker_id']}/contracts")).json()
    assert set(contracts) == {"items", "total", "limit", "offset"} and contracts["total"] == 1

    workplace = await declare_workplace(employer)

    async def registered() -> httpx.Response | None:  # once presence learnt of the accepted Dimona
        answer = await employer.post(
            "/presence/registrations",
            {"worker_id": worker.json()["worker_id"], "workplace_id": workplace, "date": today().isoformat()},
        )
        return answer if answer.status_code == 201 else None

    registration = await eventually(registered, what="a presence registration")
    assert (await employer.get(registration.headers["location"])).json()["receipt_number"]


@pytest.mark.parametrize("service", SERVICES)
async def test_the_openapi_document_declares_problem_answers(gateway: httpx.AsyncClient, service: str) -> None:
    document = (await gateway.get(f"/{service}/openapi.json")).json()
    assert "HTTPValidationError" not in document["components"]["schemas"]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            errors = {code: r for code, r in responses.items() if code.isdigit() and int(code) >= 400}
            for code, response in errors.items():
                assert "application/problem+json" in response["content"], (method, path, code)
            if operation.get("security"):
                assert {"401", "403"} <= set(errors), (method, path)
            if "{" in path:
                assert "404" in errors, (method, path)


async def test_identity_publishes_authorization_server_metadata(gateway: httpx.AsyncClient, stack: Stack) -> None:
    metadata = (await gateway.get("/identity/.well-known/oauth-authorization-server")).json()
    issuer = f"{stack.gateway_url}/identity"
    assert metadata["issuer"] == issuer
    assert metadata["token_endpoint"] == f"{issuer}/token"
    assert (await gateway.get(metadata["jwks_uri"])).json()["keys"]
    assert {"RS256", "PS256", "ES256"} <= set(metadata["token_endpoint_auth_signing_alg_values_supported"])
    assert "response_types_supported" in metadata


async def test_my_enterprise_names_its_access_manager(employer: Employer) -> None:
    me = (await employer.get("/identity/enterprises/me")).json()
    assert me["access_manager"]["username"] == employer.username


async def test_a_ticket_tells_its_status_and_nothing_else(gateway: httpx.AsyncClient) -> None:
    body = designation_body(random_enterprise_number(), manager_email=f"{unique('x.')}@example.be")
    created = await gateway.post("/identity/designations", json=body)
    ticket = created.json()["ticket"]
    assert len(ticket.replace("-", "")) == 16
    followed = await gateway.get(created.headers["location"])
    assert followed.json()["status"] == "pending"
    assert (
        body["enterprise"]["name"] not in followed.text
        and body["enterprise"]["enterprise_number"][:4] not in followed.text
    )


# Kafka's retriable answers while a new topic's partition leaders settle: aiokafka logs them as errors, then
# retries by itself (the broker's state, not a fault of the service).
RETRIABLE_KAFKA = ("NotLeaderForPartitionError", "LeaderNotAvailableError", "UnknownTopicOrPartitionError")


async def test_the_services_started_without_errors(stack: Stack) -> None:
    for service in SERVICES:
        for line in (stack.logs_dir / f"{service}.log").read_text().splitlines():
            if not line.startswith("{"):
                continue
            record = json.loads(line)
            message = record.get("message", "")
            retriable = record.get("name", "").startswith("aiokafka") and any(e in message for e in RETRIABLE_KAFKA)
            if record.get("level") == "ERROR" and "dead-letter" not in message and not retriable:
                raise AssertionError(f"{service}: {message}")
