"""CLI: `python -m ruche_devstack provision | up | down | env`."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import time
from types import FrameType

from .environment import service_environment
from .paths import run_dir
from .ports import APPS, CONSOLE, ONSS, PROFILES
from .processes import RunDirLock, kill_recorded
from .provision import provision_all, report
from .stack import Stack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ruche_devstack", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("provision", help="install Kafka jars, build FerretDB, install nginx and Chromium (idempotent)")
    up = commands.add_parser("up", help="run the whole stack until Ctrl-C / SIGTERM")
    up.add_argument("--infra-only", action="store_true", help="Kafka, FerretDB and SMTP only (no services, gateway)")
    down = commands.add_parser("down", help="kill whatever a crashed `up` left running")
    env = commands.add_parser("env", help="print a service's environment as shell assignments")
    env.add_argument("service", choices=(*APPS, ONSS))
    for sub in (up, down, env):
        sub.add_argument("--profile", choices=sorted(PROFILES), default="dev")
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except RuntimeError as exc:  # readiness, provisioning, busy ports: the message says it all
        report(f"ERROR: {exc}")
        return 1


def _run(args: argparse.Namespace) -> int:
    if args.command == "provision":
        provision_all(chromium=True)
    elif args.command == "up":
        return _up(args.profile, infra_only=args.infra_only)
    elif args.command == "down":
        lock = RunDirLock(run_dir(args.profile))
        lock.acquire()
        try:
            killed = kill_recorded(run_dir(args.profile) / "pids")
        finally:
            lock.release()
        report(f"killed: {', '.join(killed)}" if killed else "nothing was running")
    elif args.command == "env":
        for key, value in service_environment(args.service, args.profile).items():
            print(f"{key}={shlex.quote(value)}")
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _up(profile: str, *, infra_only: bool) -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    stack = Stack(profile, services=() if infra_only else APPS)
    started = time.monotonic()
    try:
        stack.prepare()
        stack.start_infra()
        if not infra_only:
            if stack.onss:
                stack.start_onss()
            stack.start_services()
            stack.start_gateway()
        _print_urls(stack, time.monotonic() - started)
        _watch(stack)
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C must not cut the shutdown short; stop() has its own SIGKILL deadlines.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        report("stopping…")
        stack.stop()
        if leftovers := stack.leftovers():
            report(f"WARNING: processes still running after stop: {leftovers}")
        else:
            report(f"stopped; no process left (checked {len(stack.processes)} process groups)")
    return 0


def _print_urls(stack: Stack, seconds: float) -> None:
    lines = [
        f"stack '{stack.profile.name}' up in {seconds:.1f}s (logs: {stack.logs_dir})",
        f"  kafka     {stack.kafka_bootstrap}",
        f"  mongodb   {stack.mongodb_url}",
        f"  smtp      {stack.smtp_address[0]}:{stack.smtp_address[1]} -> {stack.maildir}",
    ]
    if stack.services:
        lines.append(f"  gateway   {stack.gateway_url}")
        if CONSOLE in stack.services:
            lines.append(f"  console   {stack.gateway_url}/   (the web pages: sign in, designations, users, ...)")
        for name in stack.services:
            if name != CONSOLE:
                lines.append(
                    f"  {name:<9} {stack.gateway_url}/{name}/docs   AsyncAPI {stack.gateway_url}/{name}/docs/asyncapi"
                )
        if stack.onss:
            lines.append(
                f"  onss      {stack.onss_url}   (ONSS Dimona simulator, not behind the gateway: "
                f"{stack.onss_url}/_simulator/declarations)"
            )
        if "identity" in stack.services:
            identity = stack.service_environment("identity")
            lines.append(
                f"  operator  {identity['OPERATOR_USERNAME']} / {identity['OPERATOR_PASSWORD']}"
                f"   (signs in at {stack.gateway_url}/sign-in to handle designations)"
            )
    lines.append("Ctrl-C to stop.")
    print("\n".join(lines), flush=True)


def _watch(stack: Stack) -> None:
    """Block until interrupted, reporting (once) any process that exits on its own."""
    reported: set[str] = set()
    while True:
        time.sleep(1.0)
        for name, proc in stack.processes.items():
            if not proc.is_running() and name not in reported:
                reported.add(name)
                report(f"WARNING: {name} exited with code {proc.returncode}; see {proc.log_path}")


if __name__ == "__main__":
    sys.exit(main())
