"""SMTP sink: aiosmtpd writing every message it receives into a Maildir."""

from __future__ import annotations

import email
import socket
import sys
from email import policy
from email.message import EmailMessage
from pathlib import Path

from .ports import HOST
from .processes import ManagedProcess
from .readiness import wait_until


def process(port: int, maildir: Path, log_path: Path, pid_dir: Path) -> ManagedProcess:
    maildir.parent.mkdir(parents=True, exist_ok=True)
    argv = [
        sys.executable,
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        f"{HOST}:{port}",
        "-c",
        "aiosmtpd.handlers.Mailbox",
        str(maildir),
    ]
    return ManagedProcess("smtp", argv, log_path=log_path, pid_dir=pid_dir)


def greets(port: int) -> bool:
    with socket.create_connection((HOST, port), timeout=1) as sock:
        return sock.recv(64).startswith(b"220")


def wait_ready(port: int, *, timeout: float, process: ManagedProcess | None = None) -> float:
    return wait_until(lambda: greets(port), what=f"SMTP sink on {HOST}:{port}", timeout=timeout, process=process)


def messages(maildir: Path) -> list[EmailMessage]:
    """Messages received so far, oldest first."""
    files = [f for sub in ("new", "cur") if (maildir / sub).is_dir() for f in (maildir / sub).iterdir()]
    files.sort(key=lambda f: f.stat().st_mtime_ns)
    return [email.message_from_bytes(f.read_bytes(), _class=EmailMessage, policy=policy.default) for f in files]
