"""Polling until a component answers, failing early (with its log tail) if its process dies."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable

from .processes import ManagedProcess


class NotReadyError(RuntimeError):
    pass


def wait_until(
    check: Callable[[], object],
    *,
    what: str,
    timeout: float,
    process: ManagedProcess | None = None,
    interval: float = 0.2,
) -> float:
    """Call `check` until it returns truthy without raising; return the seconds waited."""
    started = time.monotonic()
    deadline = started + timeout
    last_error = "not ready"
    while True:
        if process is not None and not process.is_running():
            raise NotReadyError(
                f"{what}: process exited with code {process.returncode}\n"
                f"--- last lines of {process.log_path} ---\n{process.log_tail()}"
            )
        try:
            if check():
                return time.monotonic() - started
        except Exception as exc:
            last_error = f"{type(exc).__name__}: {exc}"
        if time.monotonic() >= deadline:
            tail = f"\n--- last lines of {process.log_path} ---\n{process.log_tail()}" if process else ""
            raise NotReadyError(f"{what}: not ready after {timeout:.0f}s ({last_error}){tail}")
        time.sleep(interval)


def tcp_open(host: str, port: int, timeout: float = 1.0) -> bool:
    with socket.create_connection((host, port), timeout=timeout):
        return True


def http_ok(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (loopback URLs only)
            return bool(response.status == 200)
    except urllib.error.HTTPError as exc:
        raise NotReadyError(f"GET {url} answered {exc.code}") from None
