"""Idempotent provisioning of the local infrastructure into the cache dir (outside the clone).

- Kafka: the broker's jars, copied from Maven Central by infra/kafka/pom.xml.
- FerretDB: infra/ferretdb built with `go build`, keyed by version and a hash of its sources.
- nginx: Debian's nginx-light, installed with apt-get when no nginx binary exists.

Each step records a stamp and is skipped when the stamp still matches.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import ferretdb_fixes
from .paths import cache_dir, infra_dir

MAVEN_DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
NGINX_PACKAGE = "nginx-light"
CHROMIUM_PACKAGES = ("chromium", "chromium-driver")  # the browser tests' headless browser (Debian's)
CHROMIUM = Path("/usr/bin/chromium")


@dataclass(frozen=True)
class Tools:
    kafka_libs: Path
    ferretdb: Path
    nginx: Path


def report(message: str) -> None:
    print(f"[devstack] {message}", file=sys.stderr, flush=True)


def kafka_version() -> str:
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", (infra_dir() / "kafka" / "pom.xml").read_text())
    if not match:
        raise RuntimeError("infra/kafka/pom.xml has no <kafka.version> property")
    return match.group(1)


def ferretdb_version() -> str:
    match = re.search(r"github\.com/FerretDB/FerretDB v(\S+)", (infra_dir() / "ferretdb" / "go.mod").read_text())
    if not match:
        raise RuntimeError("infra/ferretdb/go.mod does not require github.com/FerretDB/FerretDB")
    return match.group(1)


def ensure_kafka_libs() -> Path:
    pom = infra_dir() / "kafka" / "pom.xml"
    home = cache_dir() / f"kafka-{kafka_version()}"
    libs = home / "libs"
    with _step("kafka jars") as done:
        stamp = _digest(pom)
        if _stamp_matches(home / "libs.stamp", stamp) and libs.is_dir():
            done(f"up to date in {libs}")
            return libs
        _require("mvn", "install Maven 3.8+ and Java 17")
        staging = home / "libs.partial"
        shutil.rmtree(staging, ignore_errors=True)
        _run(
            [
                "mvn",
                "-B",
                "-q",
                "-f",
                str(pom),
                f"{MAVEN_DEPENDENCY_PLUGIN}:copy-dependencies",
                "-DincludeScope=runtime",
                f"-DoutputDirectory={staging}",
            ],
            quiet=True,
        )
        shutil.rmtree(libs, ignore_errors=True)
        staging.rename(libs)
        (home / "libs.stamp").write_text(stamp)
        done(f"copied {len(list(libs.glob('*.jar')))} jars into {libs}")
    return libs


def ensure_ferretdb() -> Path:
    """infra/ferretdb built against FerretDB's module source with `ferretdb_fixes.SOURCE_FIXES` applied."""
    source = infra_dir() / "ferretdb"
    version = ferretdb_version()
    home = cache_dir() / f"ferretdb-{version}"
    binary = home / "ferretdb"
    with _step("ferretdb binary") as done:
        stamp = _digest(source / "go.mod", source / "go.sum", source / "main.go") + ferretdb_fixes.fingerprint()
        if _stamp_matches(home / "ferretdb.stamp", stamp) and binary.is_file():
            done(f"up to date at {binary}")
            return binary
        _require("go", "install Go 1.24+")
        home.mkdir(parents=True, exist_ok=True)
        module = _go_module_dir(f"github.com/FerretDB/FerretDB@v{version}", cwd=source)
        fixed, build = home / "src", home / "build"
        for stale in (fixed, build):
            shutil.rmtree(stale, ignore_errors=True)
        shutil.copytree(module, fixed)
        for path in (fixed, *fixed.rglob("*")):
            path.chmod(path.stat().st_mode | 0o200)  # the module cache is read-only
        ferretdb_fixes.apply(fixed)
        build.mkdir()
        for name in ("go.mod", "go.sum", "main.go"):
            shutil.copy2(source / name, build / name)
        _run(["go", "mod", "edit", f"-replace=github.com/FerretDB/FerretDB={fixed}"], cwd=build)
        staging = home / "ferretdb.partial"
        _run(["go", "build", "-trimpath", "-o", str(staging), "."], cwd=build)
        staging.replace(binary)
        (home / "ferretdb.stamp").write_text(stamp)
        done(f"built {binary} with {len(ferretdb_fixes.SOURCE_FIXES)} source fixes")
    return binary


def _go_module_dir(module: str, *, cwd: Path) -> Path:
    """Download a module through the Go module proxy; its directory in the (read-only) module cache."""
    report(f"$ go mod download -json {module}")
    result = subprocess.run(
        ["go", "mod", "download", "-json", module], cwd=cwd, check=False, capture_output=True, text=True
    )
    if result.returncode != 0:
        raise RuntimeError(f"`go mod download {module}` failed:\n{result.stdout}{result.stderr}")
    return Path(json.loads(result.stdout)["Dir"])


def ensure_nginx() -> Path:
    with _step("nginx") as done:
        if found := _find_nginx():
            done(f"found {found}")
            return found
        _apt_install(NGINX_PACKAGE)
        installed = _find_nginx()
        if installed is None:
            raise RuntimeError(f"apt-get installed {NGINX_PACKAGE} but no nginx binary was found")
        done(f"installed {NGINX_PACKAGE} ({installed})")
        return installed


def ensure_chromium() -> Path:
    with _step("chromium") as done:
        if CHROMIUM.exists():
            done(f"found {CHROMIUM}")
            return CHROMIUM
        _apt_install(*CHROMIUM_PACKAGES)
        if not CHROMIUM.exists():
            raise RuntimeError(f"apt-get installed {' '.join(CHROMIUM_PACKAGES)} but {CHROMIUM} is missing")
        done(f"installed {' '.join(CHROMIUM_PACKAGES)} ({CHROMIUM})")
        return CHROMIUM


def _apt_install(*packages: str) -> None:
    if os.geteuid() != 0:
        raise RuntimeError(f"missing; run: sudo apt-get install -y {' '.join(packages)}")
    _run(["apt-get", "update", "-q"])
    with _services_not_started():
        _run(
            ["apt-get", "install", "-y", "-q", "--no-install-recommends", *packages],
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def provision_all(*, kafka: bool = True, ferretdb: bool = True, nginx: bool = True, chromium: bool = False) -> Tools:
    """Provision what is asked for; a skipped part's path is where it would be, unchecked."""
    with _cache_lock():
        if chromium:
            ensure_chromium()
        return Tools(
            kafka_libs=ensure_kafka_libs() if kafka else cache_dir() / f"kafka-{kafka_version()}" / "libs",
            ferretdb=ensure_ferretdb() if ferretdb else cache_dir() / f"ferretdb-{ferretdb_version()}" / "ferretdb",
            nginx=ensure_nginx() if nginx else Path("/usr/sbin/nginx"),
        )


def _find_nginx() -> Path | None:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    return Path(found) if found else None


@contextmanager
def _services_not_started() -> Iterator[None]:
    """Debian's maintainer scripts ask policy-rc.d before starting a service; 101 means "don't"."""
    policy = Path("/usr/sbin/policy-rc.d")
    if policy.exists():
        yield
        return
    policy.write_text("#!/bin/sh\nexit 101\n")
    policy.chmod(0o755)
    try:
        yield
    finally:
        policy.unlink(missing_ok=True)


@contextmanager
def _cache_lock() -> Iterator[None]:
    """Serialise provisioning between concurrent runners (e.g. `make up` and a test run)."""
    cache_dir().mkdir(parents=True, exist_ok=True)
    with (cache_dir() / ".provision.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


class _Done:
    def __init__(self) -> None:
        self.message = "done"

    def __call__(self, message: str) -> None:
        self.message = message


@contextmanager
def _step(what: str) -> Iterator[_Done]:
    done = _Done()
    started = time.monotonic()
    yield done
    report(f"{what}: {done.message} ({time.monotonic() - started:.1f}s)")


def _digest(*files: Path) -> str:
    sha = hashlib.sha256()
    for file in files:
        sha.update(file.name.encode() + b"\0" + file.read_bytes() + b"\0")
    return sha.hexdigest()


def _stamp_matches(stamp: Path, expected: str) -> bool:
    return stamp.is_file() and stamp.read_text() == expected


def _require(tool: str, hint: str) -> None:
    if shutil.which(tool) is None:
        raise RuntimeError(f"`{tool}` is not on PATH: {hint}")


def _run(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None, quiet: bool = False) -> None:
    """Run a step's command; `quiet` keeps its output unless it fails (Maven 3.8 prints stray ANSI codes)."""
    report("$ " + " ".join(argv))
    result = subprocess.run(argv, cwd=cwd, env=env, check=False, capture_output=quiet, text=True)
    if result.returncode != 0:
        output = f":\n{result.stdout}{result.stderr}" if quiet else ""
        raise RuntimeError(f"`{argv[0]}` failed with exit code {result.returncode}{output}")
