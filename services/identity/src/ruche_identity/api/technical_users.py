"""Technical users: machine clients registered by their public key (OAuth 2.0 private_key_jwt)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from ruche_servicekit.app import Database, location
from ruche_servicekit.openapi import problems
from ruche_servicekit.paging import Limit, Offset, Page

from ..domain.users import User
from ..use_cases import technical_users
from .deps import Manager, Name, Reader, Strict

router = APIRouter(tags=["technical users"])


class TechnicalUserCreate(Strict):
    name: Name = Field(description="What the machine is, e.g. 'site badge reader, Gare du Midi'")
    public_key: str = Field(
        min_length=1, max_length=10_000, description="PEM public key or certificate (EC P-256 or RSA)"
    )
    grants: dict[str, str] = Field(default_factory=dict, description="Application id → profile id.")


class TechnicalUserOut(BaseModel):
    user_id: str
    client_id: str = Field(description="The assertion's iss and sub at the token endpoint.")
    name: str
    status: str
    grants: dict[str, str]
    permissions: list[str]
    key_type: str = Field(description="EC (signs ES256) or RSA (signs RS256 or PS256)")
    created_at: datetime | None

    @classmethod
    def of(cls, user: User, key_type: str) -> TechnicalUserOut:
        return cls(
            user_id=user.user_id,
            client_id=user.username,
            name=user.last_name,
            status=user.status,
            grants=dict(user.grants),
            permissions=list(user.permissions),
            key_type=key_type,
            created_at=user.created_at,
        )


@router.post(
    "/technical-users",
    status_code=201,
    response_model=TechnicalUserOut,
    responses=problems(409),
    summary="Register a machine client by its public key (OAuth 2.0 private_key_jwt)",
)
async def register(request: Request, body: TechnicalUserCreate, actor: Manager, db: Database, response: Response):
    user, key_type = await technical_users.register(
        db, actor, name=body.name, public_key=body.public_key, grants=body.grants, now=datetime.now(UTC)
    )
    response.headers["Location"] = location(request, f"/users/{user.user_id}")
    return TechnicalUserOut.of(user, key_type)


@router.get("/technical-users", response_model=Page[TechnicalUserOut], summary="The enterprise's technical users")
async def listed(actor: Reader, db: Database, limit: Limit = 50, offset: Offset = 0):
    found, total = await technical_users.listed(db, actor, limit=limit, offset=offset)
    return Page(items=[TechnicalUserOut.of(u, k) for u, k in found], total=total, limit=limit, offset=offset)
