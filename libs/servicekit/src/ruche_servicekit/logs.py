"""Structured JSON logs on stdout, carrying the current trace and span ids, with personal data scrubbed.

Scrubbing is the last line of defence: code never logs a NISS, an address or a password on purpose,
but a library may echo a request or a document. Any run of 11 digits (a NISS, with or without the
usual separators) and any value under a sensitive key is replaced before the line is written.
"""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

from opentelemetry import trace
from pythonjsonlogger.json import JsonFormatter

_NISS = re.compile(r"(?<!\d)\d{2}[.\s]?\d{2}[.\s]?\d{2}[-.\s]?\d{3}[.\s]?\d{2}(?!\d)")
SENSITIVE_KEYS = frozenset(
    {
        "niss",
        "password",
        "new_password",
        "address",
        "street",
        "access_token",
        "refresh_token",
        "authorization",
        "mobile_phone",
        "birth_place",
        "private_number",
    }
)
REDACTED = "[redacted]"


def scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _NISS.sub(REDACTED, value)
    if isinstance(value, dict):
        return {k: REDACTED if str(k).lower() in SENSITIVE_KEYS else scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v) for v in value]
    return value


class _Formatter(JsonFormatter):
    def __init__(self, service: str) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"})
        self._service = service

    def add_fields(self, log_record: dict[str, Any], record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_record, record, message_dict)
        log_record["service"] = self._service
        context = trace.get_current_span().get_span_context()
        if context.is_valid:
            log_record["trace_id"] = format(context.trace_id, "032x")
            log_record["span_id"] = format(context.span_id, "016x")
        for key in list(log_record):
            if key.lower() in SENSITIVE_KEYS:
                log_record[key] = REDACTED
            else:
                log_record[key] = scrub(log_record[key])


def setup_logging(service: str, level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_Formatter(service))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("aiokafka", "pymongo", "httpx"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # uvicorn installs its own handlers; route its records through ours. Its access lines quote the path as
    # sent (reset tokens, tickets, NISS in queries): servicekit's AccessLog writes the route template instead.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("uvicorn.access").setLevel(logging.WARNING)
