"""The edges every service shares, in process: the relay is woken after writes, and the OpenAPI document declares
the problem responses a client really gets."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI
from pydantic import BaseModel
from ruche_servicekit.app import AccessLog, WakeRelay
from ruche_servicekit.auth import Principal, current_principal
from ruche_servicekit.openapi import install_problem_openapi, problems
from ruche_servicekit.problems import install_problem_handlers


class _Relay:
    def __init__(self) -> None:
        self.wakes = 0

    def wake(self) -> None:
        self.wakes += 1


class Thing(BaseModel):
    name: str


def _app(relay: _Relay | None = None) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    install_problem_openapi(app)

    @app.get("/things/{thing_id}")
    async def read(thing_id: str, principal: Annotated[Principal, Depends(current_principal)]) -> Thing:
        return Thing(name=thing_id)

    @app.post("/things", status_code=201, responses=problems(409))
    async def create(thing: Thing) -> Thing:
        return thing

    @app.get("/open")
    async def open_route() -> dict[str, str]:
        return {}

    if relay is not None:
        app.add_middleware(WakeRelay, wake=relay.wake)
    return app


async def test_the_relay_is_woken_after_every_request_that_may_have_written() -> None:
    relay = _Relay()
    transport = httpx.ASGITransport(app=_app(relay))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/open")
        await client.head("/open")
        assert relay.wakes == 0
        assert (await client.post("/things", json={"name": "a"})).status_code == 201
        assert relay.wakes == 1
        assert (await client.post("/things", json={"nom": "a"})).status_code == 422  # refused writes wake too
        assert relay.wakes == 2


def test_the_openapi_document_declares_problem_responses() -> None:
    schema: dict[str, Any] = _app().openapi()
    read = schema["paths"]["/things/{thing_id}"]["get"]["responses"]
    create = schema["paths"]["/things"]["post"]["responses"]
    assert set(read) == {"200", "401", "403", "404", "422"}
    assert set(create) == {"201", "409", "422"}
    assert "404" not in schema["paths"]["/open"]["get"]["responses"]
    for response in (read["401"], read["404"], create["409"]):
        assert response["content"] == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    assert create["422"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/ValidationProblem")
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    assert "errors" in schema["components"]["schemas"]["ValidationProblem"]["required"]


async def test_the_access_log_names_the_route_never_the_path_as_sent(caplog) -> None:
    app = _app()
    app.add_middleware(AccessLog)
    transport = httpx.ASGITransport(app=app)
    caplog.set_level("INFO", logger="ruche.access")
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        await client.get("/things/s3cr3t-t0ken?niss=85073003328")
    [line] = [r for r in caplog.records if r.name == "ruche.access"]
    assert (line.method, line.route, line.status) == ("GET", "/things/{thing_id}", 401)
    assert "s3cr3t" not in caplog.text and "85073003328" not in caplog.text
