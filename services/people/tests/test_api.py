"""People's HTTP edge in process (the use cases on a scratch database, a caller of the test's choosing): the
`Location` of what a POST created resolves, lists are pages, and refusals name the field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from ruche_contracts.permissions import Permission
from ruche_people.main import create_app
from ruche_people.settings import PeopleSettings
from ruche_servicekit.app import database
from ruche_servicekit.auth import Principal, current_principal
from ruche_testing import random_enterprise_number, random_niss

PREFIX = "/people"  # what the gateway strips: a Location must carry it
BIRTH = date(1991, 2, 3)


def today() -> date:
    """Today where the rules count the days: in Brussels."""
    return datetime.now(ZoneInfo("Europe/Brussels")).date()


@pytest.fixture
async def client(db) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(PeopleSettings(root_path=PREFIX))
    caller = Principal(
        subject="manager",
        tenant=random_enterprise_number(),
        permissions=frozenset({Permission.PEOPLE_READ, Permission.PEOPLE_WRITE}),
    )
    app.dependency_overrides[database] = lambda: db
    app.dependency_overrides[current_principal] = lambda: caller
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://people") as client:
        yield client


def worker_body() -> dict[str, Any]:
    return {
        "first_name": "Lotte",
        "last_name": "Maes",
        "niss": random_niss(BIRTH, "F"),
        "birth_date": BIRTH.isoformat(),
        "sex": "F",
        "nationality": "BE",
        "work_email": "lotte.maes@example.be",
    }


def contract_body(start: date, **overrides: Any) -> dict[str, Any]:
    body = {
        "start_date": start.isoformat(),
        "contract_type": "indefinite",
        "weekly_hours": "38",
        "gross_monthly_salary": "3150.00",
        "joint_committee": "200",
    }
    return body | overrides


def behind_the_gateway(location: str) -> str:
    """The path the gateway passes on for an absolute Location: without its prefix."""
    assert location.startswith(f"{PREFIX}/"), location
    return location.removeprefix(PREFIX)


async def test_the_location_of_a_worker_and_of_a_contract_resolve(client: httpx.AsyncClient) -> None:
    created = await client.post("/workers", json=worker_body())
    assert created.status_code == 201, created.text
    worker_id = created.json()["worker_id"]
    assert created.headers["location"] == f"{PREFIX}/workers/{worker_id}"
    assert (await client.get(behind_the_gateway(created.headers["location"]))).json() == created.json()

    signed = await client.post(f"/workers/{worker_id}/contracts", json=contract_body(today()))
    assert signed.status_code == 201, signed.text
    contract_id = signed.json()["contract_id"]
    assert signed.headers["location"] == f"{PREFIX}/workers/{worker_id}/contracts/{contract_id}"
    read = await client.get(behind_the_gateway(signed.headers["location"]))
    assert read.status_code == 200
    assert read.json() == signed.json()


async def test_a_workers_contracts_are_a_page_like_every_list(client: httpx.AsyncClient) -> None:
    worker_id = (await client.post("/workers", json=worker_body())).json()["worker_id"]
    signed = (await client.post(f"/workers/{worker_id}/contracts", json=contract_body(today()))).json()

    page = await client.get(f"/workers/{worker_id}/contracts", params={"limit": 10})

    assert page.status_code == 200
    assert page.json() == {"items": [signed], "total": 1, "limit": 10, "offset": 0}


async def test_an_unknown_contract_is_a_404_problem(client: httpx.AsyncClient) -> None:
    worker_id = (await client.post("/workers", json=worker_body())).json()["worker_id"]

    response = await client.get(f"/workers/{worker_id}/contracts/no-such-contract")

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/contract-not-found")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"gross_monthly_salary": "0"}, "gross_monthly_salary"),
        ({"start_date": "9999-01-04"}, "start_date"),
        ({"end_date": "9999-12-31"}, "end_date"),
        ({"start_date": (today() + timedelta(days=400)).isoformat()}, "start_date"),
    ],
)
async def test_a_zero_salary_or_a_far_date_is_refused_naming_the_field(
    client: httpx.AsyncClient, overrides: dict[str, str], field: str
) -> None:
    worker_id = (await client.post("/workers", json=worker_body())).json()["worker_id"]

    refused = await client.post(f"/workers/{worker_id}/contracts", json=contract_body(today(), **overrides))

    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == [field]
    assert (await client.get(f"/workers/{worker_id}/contracts")).json()["total"] == 0


def test_the_openapi_document_declares_the_conflicts_and_the_new_route() -> None:
    schema = create_app(PeopleSettings()).openapi()
    assert "409" in schema["paths"]["/workers"]["post"]["responses"]
    assert "409" in schema["paths"]["/workers/{worker_id}/contracts"]["post"]["responses"]
    one_contract = schema["paths"]["/workers/{worker_id}/contracts/{contract_id}"]["get"]["responses"]
    assert {"200", "401", "403", "404"} <= set(one_contract)
    contracts_page = schema["paths"]["/workers/{worker_id}/contracts"]["get"]["responses"]["200"]
    assert contracts_page["content"]["application/json"]["schema"]["$ref"].endswith("Page_ContractOut_")
