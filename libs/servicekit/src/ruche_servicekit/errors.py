"""The base of every service's domain errors: plain Python, so domain modules stay free of I/O and HTTP.

A subclass says what the client should hear: `status` (the HTTP status the edge answers with), `kind`
(the problem type), `title`, and optionally the `field` it is about.
"""

from __future__ import annotations


class DomainError(Exception):
    status = 422
    kind = "domain-error"
    title = "Request refused"
    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        if field:
            self.field = field
