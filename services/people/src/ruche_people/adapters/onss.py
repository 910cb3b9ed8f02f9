"""ONSS's Dimona REST web service (domain.md §4), or its simulator: OAuth 2.0 client credentials with a client
assertion signed RS256 with the expeditor's key (the access token cached until shortly before it expires),
`POST /declarations` → 201 with the declaration's `Location`, `GET /declarations/{id}` → 404 while ONSS processes
it, then its result.

Errors a later try may not meet (network, 5xx, 503, 401/403 from an expired token) raise `OnssUnavailable`; a
declaration ONSS refuses to take (400: not its schema) raises `OnssRejected` with its reasons. Nothing here logs
a declaration's body: it holds the worker's NISS."""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt

from ..domain.dimona import Anomaly, Result

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SCOPES = "scope:dimona:declaration:declarant scope:dimona:declaration:consult"
ASSERTION_SECONDS = 300  # ONSS takes assertions living at most 10 minutes
TOKEN_MARGIN_SECONDS = 30  # a cached token is renewed this long before it expires
log = logging.getLogger(__name__)


class OnssUnavailable(Exception):
    """Try again later: the network, ONSS (5xx, 503) or the token failed."""


class OnssRejected(Exception):
    """ONSS did not take the declaration (400): its reasons, as anomalies."""

    def __init__(self, anomalies: list[Anomaly]) -> None:
        super().__init__("declaration rejected")
        self.anomalies = anomalies


@dataclass(frozen=True)
class OnssAnswer:
    result: Result
    anomalies: list[Anomaly]
    period_id: str | None


class OnssClient:
    def __init__(
        self,
        *,
        token_url: str,
        api_url: str,
        audience: str,
        expeditor: str,
        private_key_file: str | Path,
        http: httpx.AsyncClient | None = None,
        timeout_seconds: float = 10.0,
    ) -> None:
        self._token_url, self._api_url = token_url, api_url.rstrip("/")
        self._audience, self._issuer = audience, f"self_service_expeditor_{expeditor}"
        self._key_file = Path(private_key_file)
        self._http = http or httpx.AsyncClient(timeout=timeout_seconds)
        self._token: str | None = None
        self._token_until = 0.0
        self._token_lock = asyncio.Lock()

    async def aclose(self) -> None:
        await self._http.aclose()

    # The access token --------------------------------------------------------------------------------------
    def _assertion(self) -> str:
        now = int(time.time())
        claims = {
            "iss": self._issuer,
            "sub": self._issuer,
            "aud": self._audience,
            "iat": now,
            "exp": now + ASSERTION_SECONDS,
            "jti": str(uuid.uuid4()),
        }
        return jwt.encode(claims, self._key_file.read_bytes(), algorithm="RS256")

    async def _access_token(self) -> str:
        async with self._token_lock:
            if self._token is not None and time.monotonic() < self._token_until:
                return self._token
            form = {
                "grant_type": "client_credentials",
                "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": self._assertion(),
                "scope": SCOPES,
            }
            answer = await self._send("POST", self._token_url, data=form)
            if answer.status_code != 200:
                log.warning("onss token refused", extra={"status": answer.status_code})
                raise OnssUnavailable(f"token endpoint answered {answer.status_code}")
            granted = answer.json()
            lifetime = float(granted.get("expires_in", 600))
            self._token = str(granted["access_token"])
            self._token_until = time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, lifetime / 2)
            return self._token

    def forget_token(self) -> None:
        self._token, self._token_until = None, 0.0

    # Declarations ------------------------------------------------------------------------------------------
    async def declare(self, body: dict[str, Any]) -> str:
        """POST the declaration; its id (from the `Location` ONSS answers with)."""
        answer = await self._authorized("POST", f"{self._api_url}/declarations", json=body)
        if answer.status_code == 400:
            raise OnssRejected(_schema_anomalies(answer))
        if answer.status_code != 201 or "location" not in answer.headers:
            raise OnssUnavailable(f"declarations answered {answer.status_code}")
        return answer.headers["location"].rstrip("/").rsplit("/", 1)[-1]

    async def answer(self, declaration_id: str) -> OnssAnswer | None:
        """The declaration's result, or None while ONSS is processing it (404)."""
        answer = await self._authorized("GET", f"{self._api_url}/declarations/{declaration_id}")
        if answer.status_code == 404:
            return None
        if answer.status_code != 200:
            raise OnssUnavailable(f"declaration answered {answer.status_code}")
        status = answer.json()["declarationStatus"]
        period = status.get("dimonaPeriodId")
        return OnssAnswer(
            result=status["result"],
            anomalies=[_anomaly(a) for a in status.get("anomalies") or []],
            period_id=str(period) if period is not None else None,
        )

    async def _authorized(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        token = await self._access_token()
        answer = await self._send(method, url, headers={"Authorization": f"Bearer {token}"}, **kwargs)
        if answer.status_code in (401, 403):
            self.forget_token()  # expired or revoked: the next try asks for a new one
            raise OnssUnavailable(f"{method} answered {answer.status_code}")
        if answer.status_code >= 500:
            raise OnssUnavailable(f"{method} answered {answer.status_code}")
        return answer

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise OnssUnavailable(type(error).__name__) from error


def _anomaly(raw: dict[str, Any]) -> Anomaly:
    return Anomaly(code=str(raw["code"]), severity=raw.get("severity"), label=dict(raw.get("label") or {}))


def _schema_anomalies(answer: httpx.Response) -> list[Anomaly]:
    try:
        problem = answer.json()
    except ValueError:
        problem = {}
    errors = problem.get("errors") or [{"field": "body", "message": problem.get("detail") or "refused"}]
    return [
        Anomaly(
            code="schema",
            severity="blocking",
            label={lang: f"{e.get('field', 'body')}: {e.get('message', '')}" for lang in ("fr", "nl", "en")},
        )
        for e in errors
    ]
