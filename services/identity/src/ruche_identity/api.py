"""Identity's HTTP edge: designation of access managers, the OAuth 2.0 token endpoint, first login, JWKS
and discovery."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, EmailStr, Field
from ruche_servicekit.app import Database, Relay
from ruche_servicekit.auth import Principal, current_principal, require
from ruche_servicekit.identifiers import EnterpriseNumber, Niss
from ruche_servicekit.paging import Limit, Offset, Page
from ruche_servicekit.problems import problem_response

from . import designations, domain, employees, keys, mandates, refresh_tokens, repository, technical_users, use_cases
from .domain import DesignationStatus, Language, ManagerCapacity, SignatoryCapacity
from .users_api import UserOut

router = APIRouter()
EMPLOYEE_IDENTIFIER = re.compile(r"\d{12}")
Caller = Annotated[Principal, Depends(current_principal)]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EnterpriseIn(Strict):
    enterprise_number: EnterpriseNumber = Field(description="BCE/KBO number, e.g. 0403.019.261")
    name: Name


class ManagerIn(Strict):
    last_name: Name
    first_name: Name
    niss: Niss
    capacity: ManagerCapacity
    email: EmailStr
    phone: str | None = Field(default=None, max_length=30)
    language: Language = "fr"


class SignatoryIn(Strict):
    last_name: Name
    first_name: Name
    niss: Niss
    capacity: SignatoryCapacity
    email: EmailStr
    phone: str | None = Field(default=None, max_length=30)


class DesignationCreate(Strict):
    enterprise: EnterpriseIn
    manager: ManagerIn = Field(description="The future access manager.")
    signatory: SignatoryIn = Field(description="Who signs the request: a director, manager or partner.")
    replace_current: bool = Field(default=False, description="Replace the enterprise's current access manager.")


class DesignationOut(BaseModel):
    ticket: str
    enterprise_number: str
    enterprise_name: str
    status: DesignationStatus
    replace_current: bool
    created_at: datetime

    @classmethod
    def of(cls, doc: dict[str, Any]) -> DesignationOut:
        return cls(
            ticket=doc["_id"],
            enterprise_number=doc["tenant"],
            enterprise_name=doc["enterprise"]["name"],
            status=doc["status"],
            replace_current=doc["replace_current"],
            created_at=doc["created_at"],
        )


class Rejection(Strict):
    reason: str = Field(min_length=1, max_length=500)


class EnterpriseOut(BaseModel):
    enterprise_number: str
    name: str
    access_manager: UserOut | None = None


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


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "Bearer"
    expires_in: int
    refresh_token: str | None = Field(
        default=None, description="Single use: exchange it with grant_type=refresh_token for a new pair."
    )


async def _operator(request: Request, principal: Annotated[Principal, Depends(require("platform:designations"))]):
    user, _ = await repository.get_user(request.app.state.db, tenant=principal.tenant, user_id=principal.subject)
    return user


Operator = Annotated[domain.User, Depends(_operator)]


def _wake_relays(request: Request) -> None:
    request.app.state.relay.wake()
    request.app.state.mail_relay.wake()


@router.post(
    "/designations",
    status_code=201,
    response_model=DesignationOut,
    tags=["designations"],
    summary="Ask for an enterprise's access manager; the answer's ticket follows the request",
)
async def request_designation(request: Request, body: DesignationCreate, db: Database, response: Response):
    doc = await designations.request(
        db,
        enterprise=body.enterprise.model_dump(),
        manager=body.manager.model_dump(),
        signatory=body.signatory.model_dump(),
        replace_current=body.replace_current,
        now=datetime.now(UTC),
    )
    _wake_relays(request)
    response.headers["Location"] = f"designations/{doc['_id']}"
    return DesignationOut.of(doc)


@router.get(
    "/designations/{ticket}", response_model=DesignationOut, tags=["designations"], summary="Where a request stands"
)
async def designation_status(ticket: str, db: Database):
    return DesignationOut.of(await designations.get(db, ticket))


@router.get(
    "/designations",
    response_model=Page[DesignationOut],
    tags=["designations"],
    summary="Requests for the operator, oldest first",
)
async def list_designations(
    _: Operator, db: Database, status: DesignationStatus | None = None, limit: Limit = 50, offset: Offset = 0
):
    docs, total = await designations.list_requests(db, status=status, limit=limit, offset=offset)
    return Page(items=[DesignationOut.of(d) for d in docs], total=total, limit=limit, offset=offset)


@router.post(
    "/designations/{ticket}/form-received",
    response_model=DesignationOut,
    tags=["designations"],
    summary="The operator records that the signed form arrived",
)
async def form_received(ticket: str, _: Operator, db: Database):
    return DesignationOut.of(await designations.record_form_received(db, ticket, now=datetime.now(UTC)))


@router.post(
    "/designations/{ticket}/approve",
    response_model=DesignationOut,
    tags=["designations"],
    summary="The operator approves: the manager gets provisional credentials by e-mail",
)
async def approve(request: Request, ticket: str, operator: Operator, db: Database):
    doc = await designations.approve(db, operator, ticket, now=datetime.now(UTC))
    _wake_relays(request)
    return DesignationOut.of(doc)


@router.post(
    "/designations/{ticket}/reject",
    response_model=DesignationOut,
    tags=["designations"],
    summary="The operator rejects, with a reason the requester receives by e-mail",
)
async def reject(request: Request, ticket: str, body: Rejection, operator: Operator, db: Database):
    doc = await designations.reject(db, operator, ticket, reason=body.reason, now=datetime.now(UTC))
    _wake_relays(request)
    return DesignationOut.of(doc)


@router.post(
    "/token",
    response_model=TokenOut,
    tags=["tokens"],
    summary="OAuth 2.0 token endpoint: password, refresh_token and client_credentials (private_key_jwt) grants",
)
async def token(
    request: Request,
    db: Database,
    grant_type: Annotated[str, Form()],
    username: Annotated[str | None, Form()] = None,
    password: Annotated[str | None, Form()] = None,
    refresh_token: Annotated[str | None, Form()] = None,
    client_assertion_type: Annotated[str | None, Form()] = None,
    client_assertion: Annotated[str | None, Form()] = None,
    acting_for: Annotated[
        EnterpriseNumber | None, Form(description="Act for this employer under its mandate to your enterprise")
    ] = None,
):
    now = datetime.now(UTC)
    family = None
    if grant_type == "password":
        if not username or not password:
            return _oauth_error(request, "invalid_request", "grant_type=password needs username and password.")
        try:
            if EMPLOYEE_IDENTIFIER.fullmatch(username) or "@" in username:  # identifier or personal e-mail
                account = await employees.authenticate(db, identifier=username, password=password, now=now)
                user = employees.as_user(account)
            else:
                user = await use_cases.authenticate(db, username=username, password=password, now=now)
        except (use_cases.LoginRefused, employees.EmployeeLoginRefused) as refused:
            request.app.state.mail_relay.wake()  # a lockout may have queued a mail
            return _oauth_error(request, refused.error, str(refused))
    elif grant_type == "refresh_token":
        if not refresh_token:
            return _oauth_error(request, "invalid_request", "grant_type=refresh_token needs refresh_token.")
        try:
            user_id, tenant, family = await refresh_tokens.rotate(db, refresh_token, now=now)
            user, _ = await repository.get_user(db, tenant=tenant, user_id=user_id)
        except (refresh_tokens.RefreshRefused, domain.NotFound) as refused:
            return _oauth_error(request, "invalid_grant", str(refused))
    elif grant_type == "client_credentials":
        if client_assertion_type != technical_users.ASSERTION_TYPE or not client_assertion:
            return _oauth_error(request, "invalid_client", "Authenticate with a private_key_jwt client assertion.")
        token_endpoint = f"{str(request.base_url).rstrip('/')}/token"
        audiences = [request.app.state.settings.token_issuer, token_endpoint]
        try:
            user = await technical_users.authenticate(db, assertion=client_assertion, audiences=audiences, now=now)
        except technical_users.AssertionRefused as refused:
            return _oauth_error(request, "invalid_client", str(refused))
    else:
        return _oauth_error(
            request, "unsupported_grant_type", "Use grant_type=password, refresh_token or client_credentials."
        )
    settings = request.app.state.settings
    mandate = None
    if acting_for is not None:
        if user.kind in ("employee", "operator"):
            return _oauth_error(request, "invalid_request", "Only an enterprise's users act under mandates.")
        try:
            mandate_id, permissions = await mandates.acting_for(db, user, acting_for)
        except domain.NotAllowed as refused:
            return _oauth_error(request, "invalid_grant", str(refused))
        mandate = (mandate_id, acting_for, permissions)
    access_token = use_cases.issue_access_token(
        user,
        request.app.state.signing_key,
        now=now,
        issuer=settings.token_issuer,
        audience=settings.token_audience,
        mandate=mandate,
    )
    refresh = None
    # Employees log in again (their vault holds sensitive documents); mandated sessions ask again too.
    if user.kind not in ("employee", "technical") and mandate is None:
        refresh = await refresh_tokens.issue(db, user_id=user.user_id, tenant=user.tenant, now=now, family=family)
    body = TokenOut(
        access_token=access_token, refresh_token=refresh, expires_in=int(domain.ACCESS_TOKEN_TTL.total_seconds())
    )
    return JSONResponse(body.model_dump(), headers={"Cache-Control": "no-store"})


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
        "grant_types_supported": ["password", "refresh_token", "client_credentials"],
        "token_endpoint_auth_methods_supported": ["none", "private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": technical_users.ASSERTION_ALGORITHMS,
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
    summary="Replace provisional credentials by one's own (each typed twice), then log in at /token",
)
async def first_login(request: Request, body: FirstLogin, db: Database, relay: Relay) -> Response:
    try:
        await use_cases.first_login(
            db,
            username=body.username,
            password=body.password,
            new_password=body.new_password,
            new_password_confirmation=body.new_password_confirmation,
            new_username=body.new_username,
            new_username_confirmation=body.new_username_confirmation,
            now=datetime.now(UTC),
        )
    except use_cases.LoginRefused as refused:
        return _oauth_error(request, refused.error, str(refused))
    relay.wake()
    return Response(status_code=204)
