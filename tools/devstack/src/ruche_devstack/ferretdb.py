"""FerretDB (SQLite backend) built from infra/ferretdb, as the local MongoDB."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .ports import HOST
from .processes import ManagedProcess
from .readiness import wait_until


def process(binary: Path, port: int, data_dir: Path, log_path: Path, pid_dir: Path) -> ManagedProcess:
    argv = [str(binary), "-listen-addr", f"{HOST}:{port}", "-sqlite-dir", str(data_dir)]
    return ManagedProcess("ferretdb", argv, log_path=log_path, pid_dir=pid_dir)


def ping(url: str) -> bool:
    from pymongo import MongoClient

    client: MongoClient[dict[str, Any]]
    with MongoClient(url, serverSelectionTimeoutMS=1000, connectTimeoutMS=1000) as client:
        client.admin.command("ping")
    return True


def wait_ready(url: str, *, timeout: float, process: ManagedProcess | None = None) -> float:
    return wait_until(lambda: ping(url), what=f"MongoDB at {url}", timeout=timeout, process=process)
