"""RFC 9457 `application/problem+json` for every error a service returns.

Validation errors name each failing field (`errors[].field`, a dotted path in the body, query or path)
and never echo the submitted value back, since it may be personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from .errors import DomainError

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://ruche.example/problems/"
log = logging.getLogger(__name__)


class Problem(Exception):
    """An error a client can act on; raised at the edge (api modules) or mapped from a domain error."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        *,
        kind: str | None = None,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.title, self.detail, self.kind, self.field = status, title, detail, kind, field
        self.headers = headers


def problem_response(
    request: Request,
    status: int,
    title: str,
    detail: str | None = None,
    *,
    kind: str | None = None,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": f"{PROBLEM_BASE}{kind}" if kind else "about:blank",
        "title": title,
        "status": status,
        "instance": request.url.path,
    }
    if detail:
        body["detail"] = detail
    body.update(extra or {})
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=dict(headers or {}))


def _field_of(loc: tuple[Any, ...]) -> tuple[str, str]:
    location = str(loc[0]) if loc else "body"
    parts = [str(p) for p in loc[1:]]
    return location, ".".join(parts) or location


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = []
        for error in exc.errors():
            location, field = _field_of(tuple(error.get("loc", ())))
            if error.get("type") == "json_invalid":
                field = "body"
            errors.append(
                {
                    "field": field,
                    "location": location,
                    "message": error.get("msg", "invalid"),
                    "type": error.get("type", "value_error"),  # lets a client say it in its own words
                }
            )
        fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
        return problem_response(
            request,
            422,
            "Invalid request",
            f"Invalid value for: {fields}",
            kind="validation-error",
            extra={"errors": errors},
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed", 401: "Unauthorized", 403: "Forbidden"}.get(
            exc.status_code, str(exc.detail)
        )
        return problem_response(
            request, exc.status_code, title, str(exc.detail) if exc.detail != title else None, headers=exc.headers
        )

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        extra = (
            {"errors": [{"field": exc.field, "location": "body", "message": exc.detail or exc.title, "type": exc.kind}]}
            if exc.field
            else None
        )
        return problem_response(
            request, exc.status, exc.title, exc.detail, kind=exc.kind, extra=extra, headers=exc.headers
        )

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> JSONResponse:
        extra = (
            {"errors": [{"field": exc.field, "location": "body", "message": str(exc), "type": exc.kind}]}
            if exc.field
            else None
        )
        return problem_response(request, exc.status, exc.title, str(exc), kind=exc.kind, extra=extra)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error", extra={"path": request.url.path})
        return problem_response(request, 500, "Internal error", "The error was logged.", kind="internal-error")


# Bulk routes -------------------------------------------------------------------------------------------------
LONGEST_IDEMPOTENCY_KEY = 200


def item_problem(invalid: ValidationError, *, prefix: Sequence[str] = ()) -> dict[str, Any]:
    """The problem details of one item of a bulk that fails its schema, shaped as the API's 422 (each field as a
    path under `prefix`, e.g. `items.3.amount`), for the item's result rather than the whole answer."""
    errors = [
        {
            "field": ".".join([*prefix, *(str(p) for p in e["loc"])]) or "body",
            "location": "body",
            "message": e["msg"],
            "type": e["type"],
        }
        for e in invalid.errors(include_input=False)
    ]
    fields = ", ".join(dict.fromkeys(e["field"] for e in errors))
    return {
        "type": f"{PROBLEM_BASE}validation-error",
        "title": "Invalid request",
        "status": 422,
        "detail": f"Invalid value for: {fields}",
        "errors": errors,
    }


def required_idempotency_key(header: str | None, *, what: str) -> str:
    """The bulk's `Idempotency-Key`, or a 400 naming the header when it is missing or too long."""
    key = (header or "").strip()
    if not key or len(key) > LONGEST_IDEMPOTENCY_KEY:
        raise Problem(
            400,
            "Idempotency-Key required",
            f"{what} needs an Idempotency-Key header (1 to {LONGEST_IDEMPOTENCY_KEY} characters), the same on a retry.",
            kind="idempotency-key-required",
            field="Idempotency-Key",
        )
    return key
