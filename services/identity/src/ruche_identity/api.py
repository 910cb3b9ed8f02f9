"""Identity's HTTP edge: enterprise registration, the OAuth 2.0 token endpoint, JWKS and discovery."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from ruche_servicekit.app import Database, Relay
from ruche_servicekit.auth import Principal, current_principal
from ruche_servicekit.identifiers import EnterpriseNumber, Niss
from ruche_servicekit.problems import problem_response

from . import domain, keys, repository, use_cases
from .domain import Language
from .users_api import UserOut

router = APIRouter()
Caller = Annotated[Principal, Depends(current_principal)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class AccessManagerIn(Strict):
    last_name: Name
    first_name: Name
    niss: Niss
    email: EmailStr
    username: str = Field(min_length=3, max_length=64, pattern=r"^[A-Za-z0-9._@-]+$")
    password: str = Field(min_length=1, max_length=256)
    language: Language = "fr"


class EnterpriseCreate(Strict):
    enterprise_number: EnterpriseNumber = Field(description="BCE/KBO number, e.g. 0403.019.261")
    name: Name
    access_manager: AccessManagerIn


class EnterpriseOut(BaseModel):
    enterprise_number: str
    name: str
    access_manager: UserOut | None = None


class FirstLogin(Strict):
    username: str = Field(min_length=1)
    password: str = Field(min_length=1, description="The provisional password.")
    new_password: str = Field(min_length=1, max_length=256)
    new_password_confirmation: str


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int


@router.post(
    "/enterprises",
    status_code=201,
    response_model=EnterpriseOut,
    tags=["enterprises"],
    summary="Register an employer with its first access manager",
)
async def register_enterprise(body: EnterpriseCreate, db: Database, relay: Relay, response: Response):
    manager = body.access_manager.model_dump(exclude={"password", "language"})
    user = await use_cases.register_enterprise(
        db,
        enterprise_number=body.enterprise_number,
        name=body.name,
        manager=manager,
        password=body.access_manager.password,
        language=body.access_manager.language,
        now=datetime.now(UTC),
    )
    relay.wake()
    response.headers["Location"] = "enterprises/me"
    return EnterpriseOut(enterprise_number=body.enterprise_number, name=body.name, access_manager=UserOut.of(user))


@router.post(
    "/token", response_model=TokenOut, tags=["tokens"], summary="OAuth 2.0 token endpoint (grant_type=password)"
)
async def token(
    request: Request,
    db: Database,
    grant_type: Annotated[str, Form()],
    username: Annotated[str, Form(min_length=1)],
    password: Annotated[str, Form(min_length=1)],
):
    if grant_type != "password":
        return _oauth_error(request, "unsupported_grant_type", "Only grant_type=password is supported.")
    try:
        user = await use_cases.authenticate(db, username=username, password=password, now=datetime.now(UTC))
    except use_cases.LoginRefused as refused:
        return _oauth_error(request, refused.error, str(refused))
    settings = request.app.state.settings
    access_token = use_cases.issue_access_token(
        user,
        request.app.state.signing_key,
        now=datetime.now(UTC),
        issuer=settings.token_issuer,
        audience=settings.token_audience,
    )
    return JSONResponse(
        TokenOut(access_token=access_token, expires_in=int(domain.ACCESS_TOKEN_TTL.total_seconds())).model_dump(),
        headers={"Cache-Control": "no-store"},
    )


def _oauth_error(request: Request, error: str, detail: str) -> JSONResponse:
    # RFC 6749 §5.2 wants `error`; RFC 9457 the rest. Both fit in one body.
    return problem_response(request, 400, "Token request refused", detail, kind=error, extra={"error": error})


@router.get("/.well-known/jwks.json", tags=["tokens"], summary="Public keys that verify access tokens")
async def jwks(db: Database) -> JSONResponse:
    return JSONResponse(await keys.public_jwks(db), headers={"Cache-Control": "public, max-age=300"})


@router.get("/.well-known/openid-configuration", tags=["tokens"], summary="Discovery document")
async def discovery(request: Request) -> dict[str, Any]:
    base = str(request.base_url).rstrip("/")
    return {
        "issuer": request.app.state.settings.token_issuer,
        "token_endpoint": f"{base}/token",
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "grant_types_supported": ["password"],
        "token_endpoint_auth_methods_supported": ["none"],
        "id_token_signing_alg_values_supported": [keys.ALGORITHM],
    }


@router.get(
    "/enterprises/me", response_model=EnterpriseOut, tags=["enterprises"], summary="The enterprise the caller acts for"
)
async def my_enterprise(principal: Caller, db: Database):
    doc = await repository.get_enterprise(db, tenant=principal.tenant)
    return EnterpriseOut(enterprise_number=doc["_id"], name=doc["name"])


@router.post(
    "/first-login",
    status_code=204,
    tags=["tokens"],
    summary="Replace a provisional password by one's own (typed twice), then log in at /token",
)
async def first_login(request: Request, body: FirstLogin, db: Database, relay: Relay) -> Response:
    try:
        await use_cases.first_login(
            db,
            username=body.username,
            password=body.password,
            new_password=body.new_password,
            new_password_confirmation=body.new_password_confirmation,
            now=datetime.now(UTC),
        )
    except use_cases.LoginRefused as refused:
        return _oauth_error(request, refused.error, str(refused))
    relay.wake()
    return Response(status_code=204)
