"""The OpenAPI document declares the errors a client really receives: RFC 9457 problem details.

FastAPI's default document shows 422 as its own `HTTPValidationError` shape and nothing else. Here every
operation gets the problem responses it can answer: 422 (with the `errors[]` list) when it takes parameters or a
body, 401 and 403 when it needs a token, 404 when its path names a resource, and whatever a route declares
itself with `problems(...)` (409 for conflicts, 400 for the token endpoint, ...). A generated client then
parses every error with one type.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from .problems import PROBLEM_JSON

PROBLEM_REF = "#/components/schemas/Problem"
VALIDATION_REF = "#/components/schemas/ValidationProblem"
DESCRIPTIONS = {
    400: "Bad request",
    401: "No valid access token",
    403: "The token lacks the permission",
    404: "No such resource (or not the caller's tenant's)",
    409: "Conflicts with the current state",
    410: "Gone",
    413: "Too large",
    415: "Unsupported media type",
    422: "Invalid request: `errors[]` names each field",
    429: "Too many requests",
    503: "A dependency is unavailable",
}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status"],
    "properties": {
        "type": {"type": "string", "description": "A URI naming the kind of problem"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "location", "message"],
                "properties": {
                    "field": {"type": "string", "description": "Dotted path of the field"},
                    "location": {"type": "string", "enum": ["body", "query", "path", "header", "cookie"]},
                    "message": {"type": "string"},
                    "type": {
                        "type": "string",
                        "description": "What is wrong, for a client to say in its own words: the validation error "
                        "(missing, string_too_short, ...) or the problem kind",
                    },
                },
            },
        },
    },
}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: the problem responses it answers besides the ones found by its shape."""
    return {status: _problem_response(status) for status in statuses}


def _problem_response(status: int) -> dict[str, Any]:
    ref = VALIDATION_REF if status == 422 else PROBLEM_REF
    return {
        "description": DESCRIPTIONS.get(status, "Error"),
        "content": {PROBLEM_JSON: {"schema": {"$ref": ref}}},
    }


def install_problem_openapi(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            app.openapi_schema = with_problems(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def with_problems(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    components["Problem"] = PROBLEM_SCHEMA
    components["ValidationProblem"] = {**PROBLEM_SCHEMA, "required": ["type", "title", "status", "errors"]}
    for path, item in schema.get("paths", {}).items():
        for operation in item.values():
            responses: dict[str, Any] = operation.setdefault("responses", {})
            needed: set[int] = set()
            if "422" in responses or operation.get("parameters") or operation.get("requestBody"):
                needed.add(422)
            if operation.get("security"):
                needed |= {401, 403}
            if "{" in path:
                needed.add(404)
            for code in needed:
                responses[str(code)] = _problem_response(code)
            for key, response in responses.items():  # explicit ones: always the problem shape
                if key.isdigit() and int(key) >= 400:
                    default = _problem_response(int(key))
                    response["content"] = default["content"]
                    response["description"] = response.get("description") or default["description"]
    return schema
