"""The OAuth 2.0 token endpoint, first login, the public keys and the authorization server's metadata."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from ruche_contracts.identifiers import EnterpriseNumber
from ruche_servicekit.app import Database, Settings
from ruche_servicekit.openapi import problems
from ruche_servicekit.problems import problem_response

from ..domain.errors import LoginRefused
from ..use_cases import keys, sign_in, tokens
from .deps import Strict

router = APIRouter(tags=["tokens"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str | None = Field(
        default=None, description="Single use: exchange it with grant_type=refresh_token for a new pair."
    )


class FirstLogin(Strict):
    username: str = Field(min_length=1, description="The provisional username, or the user's own.")
    password: str = Field(min_length=1, description="The provisional password.")
    new_username: str | None = Field(
        default=None,
        min_length=3,
        max_length=64,
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Required when the username is provisional: chosen once, never changeable.",
    )
    new_username_confirmation: str | None = None
    new_password: str = Field(min_length=1, max_length=256)
    new_password_confirmation: str


def oauth_error(request: Request, refused: LoginRefused) -> JSONResponse:
    # RFC 6749 §5.2 wants `error`; RFC 9457 the rest. Both fit in one body.
    return problem_response(
        request, 400, "Token request refused", str(refused), kind=refused.error, extra={"error": refused.error}
    )


@router.post(
    "/token",
    response_model=TokenOut,
    responses=problems(400),
    summary="OAuth 2.0 token endpoint: password, refresh_token and client_credentials (private_key_jwt) grants",
)
async def token(
    request: Request,
    db: Database,
    settings: Settings,
    grant_type: Annotated[str, Form()],
    username: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
    refresh_token: Annotated[str | None, Form()] = None,
    client_assertion_type: Annotated[str | None, Form()] = None,
    client_assertion: Annotated[str | None, Form()] = None,
    acting_for: Annotated[
        EnterpriseNumber | None, Form(description="Act for this employer under its mandate to your enterprise")
    ] = None,
) -> Response:
    asked = tokens.TokenRequest(
        grant_type=grant_type,
        username=username,
        password=password,
        refresh_token=refresh_token,
        client_assertion_type=client_assertion_type,
        client_assertion=client_assertion,
        acting_for=acting_for,
    )
    issuer = tokens.Issuer(
        key=request.app.state.signing_key,
        issuer=settings.issuer,
        audience=settings.token_audience,
        token_endpoint=f"{settings.issuer}/token",
    )
    try:
        issued = await tokens.grant(db, asked, issuer, now=datetime.now(UTC))
    except LoginRefused as refused:
        return oauth_error(request, refused)
    body = TokenOut(access_token=issued.access_token, refresh_token=issued.refresh_token, expires_in=issued.expires_in)
    return JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store"})


@router.post(
    "/revoke",
    status_code=200,
    summary="Revoke a refresh token and its family (RFC 7009): sign-out; the answer is the same for any token",
)
async def revoke(
    db: Database,
    token: Annotated[str, Form(min_length=1, max_length=512)],
    token_type_hint: Annotated[str | None, Form()] = None,
) -> Response:
    await tokens.revoke(db, token)
    return Response(status_code=200, headers={"Cache-Control": "no-store"})


@router.post(
    "/first-login",
    status_code=204,
    responses=problems(400, 409),
    summary="Replace provisional credentials by one's own (each typed twice), then log in at /token",
)
async def first_login(request: Request, body: FirstLogin, db: Database) -> Response:
    try:
        await sign_in.first_login(
            db,
            username=body.username,
            password=body.password,
            new_password=body.new_password,
            new_password_confirmation=body.new_password_confirmation,
            new_username=body.new_username,
            new_username_confirmation=body.new_username_confirmation,
            now=datetime.now(UTC),
        )
    except LoginRefused as refused:
        return oauth_error(request, refused)
    return Response(status_code=204)


@router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def jwks(db: Database) -> JSONResponse:
    return JSONResponse(await keys.public_jwks(db), headers={"Cache-Control": "public, max-age=300"})


@router.get(
    "/.well-known/oauth-authorization-server",
    summary="Authorization server metadata (RFC 8414)",
)
async def metadata(settings: Settings) -> dict[str, Any]:
    """Ruche issues OAuth 2.0 access tokens, not OpenID Connect ID tokens, and has no browser redirect flow: it
    publishes RFC 8414 metadata (no `authorization_endpoint`, no response types) rather than an OpenID Provider
    document whose required parts it could not honour."""
    issuer = settings.issuer
    return {
        "issuer": issuer,
        "token_endpoint": f"{issuer}/token",
        "jwks_uri": f"{issuer}/.well-known/jwks.json",
        "grant_types_supported": ["password", "refresh_token", "client_credentials"],
        "revocation_endpoint": f"{issuer}/revoke",
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": tokens.ASSERTION_ALGORITHMS,
        "access_token_signing_alg_values_supported": [tokens.SIGNING_ALGORITHM],
        "service_documentation": f"{issuer}/docs",
    }
