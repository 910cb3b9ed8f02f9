"""nginx as the API gateway, run from its own prefix under the run dir (no system service)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .paths import infra_dir
from .ports import APPS, HOST, Profile
from .processes import ManagedProcess
from .readiness import http_ok, wait_until
from .templates import render_file


def write_config(nginx_dir: Path, logs_dir: Path, profile: Profile) -> Path:
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (nginx_dir / "tmp" / temp).mkdir(parents=True, exist_ok=True)
    logs_dir.mkdir(parents=True, exist_ok=True)
    values: dict[str, object] = {
        "nginx_dir": nginx_dir,
        "logs_dir": logs_dir,
        "gateway_port": profile.gateway,
        "infra_dir": infra_dir(),
        "user_directive": "user root;" if os.geteuid() == 0 else "",
    }
    values.update({f"{name}_port": profile.service_port(name) for name in APPS})
    return render_file(infra_dir() / "nginx" / "nginx.conf.tmpl", nginx_dir / "nginx.conf", values)


def check_config(nginx: Path, config: Path) -> None:
    """`nginx -t`; raises with nginx's own message when the config is rejected."""
    result = subprocess.run(
        [str(nginx), "-t", "-q", "-p", str(config.parent), "-c", str(config)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"nginx rejected {config}:\n{result.stderr.strip()}")


def process(nginx: Path, config: Path, log_path: Path, pid_dir: Path) -> ManagedProcess:
    argv = [str(nginx), "-p", str(config.parent), "-c", str(config), "-g", "daemon off;"]
    return ManagedProcess("gateway", argv, log_path=log_path, pid_dir=pid_dir)


def url(profile: Profile) -> str:
    return f"http://{HOST}:{profile.gateway}"


def wait_ready(profile: Profile, *, timeout: float, process: ManagedProcess | None = None) -> float:
    return wait_until(
        lambda: http_ok(f"{url(profile)}/healthz"),
        what=f"gateway at {url(profile)}",
        timeout=timeout,
        process=process,
    )
