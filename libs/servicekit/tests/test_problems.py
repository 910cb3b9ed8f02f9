"""problem+json from a real FastAPI app (in process, no infrastructure)."""

from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel
from ruche_contracts.identifiers import Niss
from ruche_servicekit.errors import DomainError
from ruche_servicekit.problems import Problem, install_problem_handlers


class Body(BaseModel):
    niss: Niss
    birth_date: date


class Refused(DomainError):
    status, kind, title, field = 409, "refused", "Refused", "birth_date"


app = FastAPI()
install_problem_handlers(app)


@app.post("/things")
async def create(body: Body) -> dict:
    if body.birth_date.year < 1900:
        raise Refused("too old")
    if body.birth_date.year > 2100:
        raise Problem(422, "Invalid", "in the future", field="birth_date")
    return {}


@app.get("/boom")
async def boom() -> dict:
    raise RuntimeError("secret internals 85073003328")


@pytest.fixture
async def client():
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_a_validation_error_names_each_field_and_never_echoes_the_value(client) -> None:
    response = await client.post("/things", json={"niss": "85073003329", "birth_date": "soon"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert [e["field"] for e in body["errors"]] == ["niss", "birth_date"]
    assert body["status"] == 422 and body["instance"] == "/things"
    assert "85073003329" not in response.text


async def test_malformed_json_is_a_problem_too(client) -> None:
    response = await client.post("/things", content=b"{", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body"


async def test_domain_errors_and_problems_keep_their_status_and_field(client) -> None:
    refused = await client.post("/things", json={"niss": "85073003328", "birth_date": "1800-01-01"})
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("/refused")
    assert refused.json()["errors"][0]["field"] == "birth_date"
    future = await client.post("/things", json={"niss": "85073003328", "birth_date": "2200-01-01"})
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "birth_date"


async def test_unknown_routes_and_unexpected_errors_are_problems_without_internals(client) -> None:
    assert (await client.get("/nowhere")).headers["content-type"] == "application/problem+json"
    boom = await client.get("/boom")
    assert boom.status_code == 500
    assert "secret" not in boom.text
