"""The console's only way to the platform: the services' public APIs through the gateway, with the signed-in
person's token, like any other client. Access tokens are refreshed here, on the server, shortly before they
expire (refresh tokens rotate: the session keeps the newest); the browser never sees a token.

The console reads a token's claims (who, which enterprise, which permissions) only to build its menus; every
decision is the services', which verify each token themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import jwt

from .sessions import Session, Signed

REFRESH_MARGIN = timedelta(seconds=60)


class SessionEnded(Exception):
    """The signed-in session cannot go on (its refresh failed, or the services refuse its token): sign in again."""


@dataclass
class ApiError(Exception):
    status: int
    problem: dict[str, Any]

    def __str__(self) -> str:
        return f"{self.status} {self.problem.get('title', '')}: {self.problem.get('detail', '')}"

    @property
    def kind(self) -> str:
        return str(self.problem.get("type", "")).rsplit("/", 1)[-1]

    @property
    def field_errors(self) -> list[dict[str, Any]]:
        return list(self.problem.get("errors") or [])


def signed_from_token(answer: dict[str, Any], login: str, now: datetime) -> Signed:
    claims = jwt.decode(answer["access_token"], options={"verify_signature": False})
    return Signed(
        subject=str(claims["sub"]),
        tenant=str(claims["tenant"]),
        kind=str(claims.get("kind", "")),
        permissions=list(claims.get("permissions", [])),
        login=login,
        access_token=answer["access_token"],
        access_expires_at=now + timedelta(seconds=int(answer["expires_in"])),
        refresh_token=answer.get("refresh_token"),
    )


class Gateway:
    def __init__(self, base_url: str) -> None:
        self.http = httpx.AsyncClient(base_url=base_url.rstrip("/"), timeout=30)

    async def close(self) -> None:
        await self.http.aclose()

    async def request(
        self,
        session: Session | None,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> httpx.Response:
        """Call an API; with a session, as its signed-in person. Raises ApiError for an error answer, and
        SessionEnded when the token no longer works. `headers` adds some (Accept-Language, for instance)."""
        headers = {"Accept": "application/json", **(headers or {})}
        if session is not None:
            signed = await self._fresh(session)
            headers["Authorization"] = f"Bearer {signed.access_token}"
        clean = {k: v for k, v in (params or {}).items() if v not in (None, "")}
        response = await self.http.request(method, path, json=json, data=data, params=clean, headers=headers)
        if response.status_code == 401 and session is not None:
            raise SessionEnded(path)
        if response.status_code >= 400:
            raise ApiError(response.status_code, _problem(response))
        return response

    async def get(self, session: Session | None, path: str, **params: Any) -> Any:
        return (await self.request(session, "GET", path, params=params)).json()

    async def post(
        self, session: Session | None, path: str, json: Any = None, *, headers: Mapping[str, str] | None = None
    ) -> Any:
        response = await self.request(session, "POST", path, json=json, headers=headers)
        return response.json() if response.content else None

    async def put(
        self, session: Session | None, path: str, json: Any = None, *, headers: Mapping[str, str] | None = None
    ) -> Any:
        response = await self.request(session, "PUT", path, json=json, headers=headers)
        return response.json() if response.content else None

    async def delete(self, session: Session | None, path: str, *, headers: Mapping[str, str] | None = None) -> Any:
        response = await self.request(session, "DELETE", path, headers=headers)
        return response.json() if response.content else None

    async def token(self, form: dict[str, str]) -> dict[str, Any]:
        """The token endpoint (OAuth errors come back as ApiError with `error` in the problem)."""
        response = await self.http.post("/identity/token", data=form)
        if response.status_code != 200:
            raise ApiError(response.status_code, _problem(response))
        return dict(response.json())

    async def sign_in(self, session: Session, login: str, password: str, now: datetime) -> Signed:
        answer = await self.token({"grant_type": "password", "username": login, "password": password})
        session.signed = signed_from_token(answer, login, now)
        session.changed = True
        return session.signed

    async def sign_out(self, session: Session) -> None:
        """End the session here and revoke its refresh token at identity."""
        signed = session.signed
        if signed is not None and signed.refresh_token:
            await self._revoke(signed.refresh_token)
        session.ended = True

    async def _revoke(self, refresh_token: str) -> None:
        """Identity's RFC 7009 endpoint: the refresh token and its family stop working."""
        try:
            await self.http.post("/identity/revoke", data={"token": refresh_token, "token_type_hint": "refresh_token"})
        except httpx.HTTPError:
            pass  # the session ends here anyway; the refresh token expires on its own

    async def _fresh(self, session: Session) -> Signed:
        signed = session.signed
        if signed is None:
            raise SessionEnded("not signed in")
        now = datetime.now(UTC)
        if signed.access_expires_at - now > REFRESH_MARGIN:
            return signed
        if not signed.refresh_token:  # employees and machines sign in again
            raise SessionEnded("expired")
        try:
            answer = await self.token({"grant_type": "refresh_token", "refresh_token": signed.refresh_token})
        except ApiError as exc:
            raise SessionEnded("refresh refused") from exc
        session.signed = signed_from_token(answer, signed.login, now)
        session.changed = True
        return session.signed


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {"title": response.reason_phrase, "status": response.status_code}
    return body if isinstance(body, dict) else {"status": response.status_code}
