"""The HTTP face of the simulator: ONSS's token endpoint, its Dimona declarations, and the control routes tests
use to make it refuse, wait or be unavailable on purpose."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Body, Form, Header, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ValidationError

from .declarations import Declaration
from .office import Office, Scenario, Unavailable
from .tokens import CONSULT, DECLARANT, Grant, TokenDesk, TokenRefused

router = APIRouter()
DECLARATIONS = "/REST/dimona/v1/declarations"
PROBLEM = "application/problem+json"


def _problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"status": status, "title": title, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _office(request: Request) -> Office:
    office: Office = request.app.state.office
    return office


def _desk(request: Request) -> TokenDesk:
    desk: TokenDesk = request.app.state.tokens
    return desk


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/Brussels")).date()


def _grant(request: Request, authorization: str | None, scope: str) -> Grant | JSONResponse:
    if not authorization or not authorization.lower().startswith("bearer "):
        return _problem(401, "Unauthorized", "a Bearer access token is required")
    grant = _desk(request).grant_of(authorization[7:].strip())
    if grant is None:
        return _problem(401, "Unauthorized", "the access token is unknown or expired")
    if scope not in grant.scopes:
        return _problem(403, "Forbidden", f"the access token lacks {scope}")
    return grant


@router.post("/REST/oauth/v3/token", summary="Access token for a signed client assertion (client credentials)")
async def token(
    request: Request,
    grant_type: Annotated[str, Form()] = "",
    client_assertion_type: Annotated[str, Form()] = "",
    client_assertion: Annotated[str, Form()] = "",
    scope: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    try:
        access_token, grant = _desk(request).issue(
            grant_type=grant_type, assertion_type=client_assertion_type, assertion=client_assertion, scope=scope
        )
    except TokenRefused as refused:
        return JSONResponse({"error": refused.error, "error_description": refused.description}, status_code=400)
    return JSONResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": int(grant.expires_at - time.time()),
            "scope": " ".join(sorted(grant.scopes)),
        },
        headers={"Cache-Control": "no-store"},
    )


@router.post(DECLARATIONS, status_code=201, summary="Declare (IN, OUT, UPDATE or CANCEL); the result comes later")
async def declare(
    request: Request,
    body: Annotated[dict[str, Any], Body()],
    authorization: Annotated[str | None, Header()] = None,
) -> Response:
    grant = _grant(request, authorization, DECLARANT)
    if isinstance(grant, JSONResponse):
        return grant
    try:
        declaration = Declaration.model_validate(body)
    except ValidationError as invalid:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"]) or "body", "message": e["msg"]} for e in invalid.errors()
        ]
        return _problem(400, "Bad Request", "the declaration does not follow the schema", errors=errors)
    try:
        declaration_id = _office(request).receive(
            declaration, body, expeditor=grant.expeditor, today=_today(), now=time.monotonic()
        )
    except Unavailable:
        return _problem(503, "Service Unavailable", "Dimona is unavailable; try again later")
    return Response(status_code=201, headers={"Location": f"{DECLARATIONS}/{declaration_id}"})


@router.get(f"{DECLARATIONS}/{{declaration_id}}", summary="A declaration's result: 404 while it is processed")
async def consult(
    request: Request, declaration_id: int, authorization: Annotated[str | None, Header()] = None
) -> JSONResponse:
    grant = _grant(request, authorization, CONSULT)
    if isinstance(grant, JSONResponse):
        return grant
    received = _office(request).received.get(declaration_id)
    now = time.monotonic()
    if received is None or received.expeditor != grant.expeditor or now < received.ready_at:
        return _problem(404, "Not Found", "no processed declaration with this id (yet)")
    answer: dict[str, Any] = {"declarationStatus": received.status(now), "declaration": received.body}
    period = _office(request).periods.get(received.period_id or 0)
    if period is not None:
        answer["dimonaPeriod"] = period.as_json()
    return JSONResponse(answer)


# Control routes: not part of ONSS's API, for tests and demonstrations -------------------------------------------
control = APIRouter(prefix="/_simulator", tags=["simulator control"])


class ScenarioIn(BaseModel):
    ssin: str
    result: str | None = None
    anomalies: list[str] = []
    delay_seconds: float | None = None
    unavailable: bool = False
    count: int = 1


@control.post("/scenarios", status_code=204, summary="What the next declarations about a worker get, on purpose")
async def add_scenario(request: Request, scenario: ScenarioIn) -> Response:
    _office(request).scenarios.append(Scenario(**scenario.model_dump()))
    return Response(status_code=204)


@control.get("/declarations", summary="Every declaration received (optionally about one worker), oldest first")
async def received(request: Request, ssin: str | None = None) -> list[dict[str, Any]]:
    now = time.monotonic()
    return [
        {**r.status(now), "processed": now >= r.ready_at, "body": r.body}
        for r in _office(request).received.values()
        if ssin is None or r.ssin == ssin
    ]


@control.get("/periods", summary="The Dimona periods (optionally of one worker)")
async def periods(request: Request, ssin: str | None = None) -> list[dict[str, Any]]:
    return [
        {**p.as_json(), "employer": p.employer, "history": p.history}
        for p in _office(request).periods.values()
        if ssin is None or p.ssin == ssin
    ]


@control.delete("", status_code=204, summary="Forget every declaration, period and scenario")
async def reset(request: Request) -> Response:
    _office(request).reset()
    return Response(status_code=204)
