"""Where things live: the repository, the per-profile run dirs, and the cache outside the clone."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def repo_root() -> Path:
    """The clone's root: $RUCHE_REPO_ROOT, else the nearest parent holding infra/kafka/pom.xml."""
    if override := os.environ.get("RUCHE_REPO_ROOT"):
        return Path(override).resolve()
    for start in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        for candidate in (start, *start.parents):
            if (candidate / "infra" / "kafka" / "pom.xml").is_file():
                return candidate
    raise RuntimeError("cannot find the Ruche repository root; set RUCHE_REPO_ROOT")


def infra_dir() -> Path:
    return repo_root() / "infra"


def cache_dir() -> Path:
    """Provisioned jars and binaries: $RUCHE_CACHE_DIR, else ${XDG_CACHE_HOME:-~/.cache}/ruche."""
    if override := os.environ.get("RUCHE_CACHE_DIR"):
        return Path(override).expanduser().resolve()
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser().resolve() / "ruche"


def run_dir(profile_name: str) -> Path:
    """Logs, pid files and data of one profile's stack (git-ignored)."""
    return repo_root() / ".run" / profile_name


def service_python() -> Path:
    """The workspace venv's interpreter, which has every service installed."""
    venv_python = repo_root() / ".venv" / "bin" / "python"
    return venv_python if venv_python.exists() else Path(sys.executable)
