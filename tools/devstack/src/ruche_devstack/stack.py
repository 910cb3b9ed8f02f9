"""The whole local stack: infrastructure, the ONSS simulator, the five services, the console and the gateway, for
`make up` and e2e tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path
from types import TracebackType

from . import ferretdb, gateway, kafka, smtp
from .environment import (
    ONSS_EXPEDITOR,
    kafka_bootstrap,
    mongodb_url,
    onss_environment,
    onss_keys_dir,
    onss_private_key,
    onss_url,
    service_environment,
)
from .paths import repo_root, run_dir, service_python
from .ports import APPS, HOST, ONSS, Profile, free_port, get_profile, port_in_use
from .processes import ManagedProcess, RunDirLock, kill_recorded
from .provision import Tools, provision_all, report
from .readiness import http_ok, wait_until

ServiceCommand = Callable[[str, int], Sequence[str]]


def uvicorn_command(name: str, port: int) -> list[str]:
    return [
        str(service_python()),
        "-m",
        "uvicorn",
        f"ruche_{name}.main:app",
        "--host",
        HOST,
        "--port",
        str(port),
    ]


class Stack:
    """Starts and stops one profile's stack; every process logs to <run dir>/logs/<name>.log.

    `services` and `service_command` are injectable so the runner can be tested with stand-in apps.
    Kafka and FerretDB are not started when KAFKA_BOOTSTRAP_SERVERS / MONGODB_URL are set in `env`.
    The ONSS simulator (`onss`; by default whenever people is one of the services) runs on its own port, not
    behind the gateway, with the expeditor key pair the runner makes in the run dir; `onss_url` is its address.
    """

    def __init__(
        self,
        profile: Profile | str = "dev",
        *,
        services: Sequence[str] = APPS,
        service_command: ServiceCommand = uvicorn_command,
        run_dir_path: Path | None = None,
        env: Mapping[str, str] | None = None,
        infra_timeout: float = 90.0,
        service_timeout: float = 60.0,
        onss: bool | None = None,
        onss_command: ServiceCommand = uvicorn_command,
    ) -> None:
        self.profile = get_profile(profile)
        self.services = tuple(services)
        self.service_command = service_command
        self.run_dir = run_dir_path or run_dir(self.profile.name)
        self.env = dict(os.environ if env is None else env)
        self.infra_timeout = infra_timeout
        self.service_timeout = service_timeout
        self.onss = "people" in self.services if onss is None else onss
        self.onss_command = onss_command
        self.external_kafka = bool(self.env.get("KAFKA_BOOTSTRAP_SERVERS"))
        self.external_mongodb = bool(self.env.get("MONGODB_URL"))
        self.processes: dict[str, ManagedProcess] = {}
        self._tools: Tools | None = None
        self._lock = RunDirLock(self.run_dir)

    # Addresses ---------------------------------------------------------------------------------
    @property
    def kafka_bootstrap(self) -> str:
        return kafka_bootstrap(self.profile, self.env)

    @property
    def mongodb_url(self) -> str:
        return mongodb_url(self.profile, self.env)

    @property
    def gateway_url(self) -> str:
        return gateway.url(self.profile)

    @property
    def onss_url(self) -> str:
        """The ONSS simulator, e.g. for its `/_simulator` routes (scenarios, declarations received, periods)."""
        return onss_url(self.profile)

    @property
    def smtp_address(self) -> tuple[str, int]:
        return HOST, self.profile.smtp

    @property
    def maildir(self) -> Path:
        return self.run_dir / "smtp" / "maildir"

    @property
    def logs_dir(self) -> Path:
        return self.run_dir / "logs"

    @property
    def pid_dir(self) -> Path:
        return self.run_dir / "pids"

    def service_url(self, name: str) -> str:
        """The service itself, bypassing the gateway."""
        return f"http://{HOST}:{self.profile.service_port(name)}"

    def service_environment(self, name: str) -> dict[str, str]:
        return service_environment(name, self.profile, self.env, run_dir=self.run_dir)

    def emails(self) -> list[EmailMessage]:
        return smtp.messages(self.maildir)

    def process(self, name: str) -> ManagedProcess:
        return self.processes[name]

    # Whole stack -------------------------------------------------------------------------------
    def start(self) -> Stack:
        """prepare → provision → infra → ONSS simulator → services → gateway; on any failure stops what it
        started."""
        try:
            self.prepare()
            self.start_infra()
            if self.onss:
                self.start_onss()
            self.start_services()
            self.start_gateway()
        except BaseException:
            self.stop()
            raise
        return self

    def __enter__(self) -> Stack:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def prepare(self) -> None:
        """Kill what a previous run left (pid files), wipe the run dir, and check the ports are free."""
        self._lock.acquire()
        if killed := kill_recorded(self.pid_dir):
            report(f"killed leftovers of a previous run: {', '.join(killed)}")
        shutil.rmtree(self.run_dir, ignore_errors=True)
        self.logs_dir.mkdir(parents=True)
        busy = [f"{what} {port}" for what, port in self._ports_to_bind().items() if port_in_use(port)]
        if busy:
            raise RuntimeError(
                f"ports already in use on {HOST}: {', '.join(busy)}; is another `{self.profile.name}` stack "
                "(or another program) running?"
            )

    def stop(self) -> None:
        """Stop in reverse start order, one tier at a time: gateway, services, infrastructure."""
        replicas = [name for name in self.processes if name.rpartition("-")[0] in self.services]
        tiers = (["gateway"], [*replicas, *reversed(self.services), ONSS], ["smtp", "ferretdb", "kafka"])
        for tier in tiers:
            running = [self.processes[name] for name in tier if name in self.processes]
            for proc in running:
                proc.terminate()
            for proc in running:
                proc.wait_stopped(timeout=20.0 if proc.name == "kafka" else 10.0)
        self._lock.release()

    def leftovers(self) -> dict[str, list[int]]:
        """Processes still alive in any group this stack started; empty after `stop()`."""
        return {name: pids for name, proc in self.processes.items() if (pids := proc.leftovers())}

    # Infrastructure ----------------------------------------------------------------------------
    def tools(self) -> Tools:
        if self._tools is None:
            self._tools = provision_all(kafka=not self.external_kafka, ferretdb=not self.external_mongodb)
        return self._tools

    def start_infra(self) -> None:
        """Start Kafka, FerretDB and the SMTP sink side by side, then wait until each answers."""
        tools = self.tools()
        started = time.monotonic()
        self._add(smtp.process(self.profile.smtp, self.maildir, self._log("smtp"), self.pid_dir)).start()
        if not self.external_mongodb:
            data = self.run_dir / "ferretdb" / "data"
            self._add(
                ferretdb.process(tools.ferretdb, self.profile.ferretdb, data, self._log("ferretdb"), self.pid_dir)
            ).start()
        if not self.external_kafka:
            kafka_dir = self.run_dir / "kafka"
            kafka_dir.mkdir(parents=True, exist_ok=True)
            kafka.write_config(kafka_dir, self.profile)
            kafka.format_storage(tools.kafka_libs, kafka_dir, self._log("kafka"))
            self._add(kafka.broker_process(tools.kafka_libs, kafka_dir, self._log("kafka"), self.pid_dir)).start()

        smtp.wait_ready(self.profile.smtp, timeout=self.infra_timeout, process=self.processes["smtp"])
        ferretdb.wait_ready(self.mongodb_url, timeout=self.infra_timeout, process=self.processes.get("ferretdb"))
        kafka.wait_ready(self.kafka_bootstrap, timeout=self.infra_timeout, process=self.processes.get("kafka"))
        where = {
            "kafka": self.kafka_bootstrap,
            "mongodb": self.mongodb_url,
            "smtp": f"{HOST}:{self.profile.smtp}",
        }
        report(
            f"infrastructure ready in {time.monotonic() - started:.1f}s: "
            + ", ".join(f"{k} {v}" for k, v in where.items())
        )

    async def ensure_topics(self, names: Iterable[str]) -> list[str]:
        return await kafka.ensure_topics(self.kafka_bootstrap, names)

    # ONSS simulator ----------------------------------------------------------------------------
    def start_onss(self) -> None:
        """Make the expeditor's key pair in the run dir (the private key for people, the public one where the
        simulator reads it), start the simulator and wait for it."""
        keys = [str(onss_keys_dir(self.run_dir)), ONSS_EXPEDITOR, str(onss_private_key(self.run_dir))]
        made = subprocess.run(
            [str(service_python()), "-m", "ruche_onss.keys", *keys],
            cwd=repo_root(),
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            raise RuntimeError(f"could not make the ONSS expeditor's key pair:\n{made.stderr.strip()}")
        env = {**self.env, **onss_environment(self.profile, self.run_dir), "PYTHONUNBUFFERED": "1"}
        argv = self.onss_command(ONSS, self.profile.onss)
        proc = self._add(
            ManagedProcess(ONSS, argv, log_path=self._log(ONSS), pid_dir=self.pid_dir, cwd=repo_root(), env=env)
        )
        proc.start()
        wait_until(
            lambda: http_ok(f"{self.onss_url}/readyz"),
            what=f"ONSS simulator ({self.onss_url})",
            timeout=self.service_timeout,
            process=proc,
            interval=0.25,
        )
        report(f"ONSS simulator ready: {self.onss_url} (expeditor {ONSS_EXPEDITOR})")

    # Services ----------------------------------------------------------------------------------
    def start_services(self, extra_env: Mapping[str, Mapping[str, str]] | None = None) -> None:
        """Start every service at once, then wait for each one's /readyz."""
        started = time.monotonic()
        for name in self.services:
            self._launch_service(name, (extra_env or {}).get(name))
        for name in self.services:
            self._wait_service(name, self.service_timeout)
        report(f"services ready in {time.monotonic() - started:.1f}s: {', '.join(self.services)}")

    def start_service(
        self, name: str, extra_env: Mapping[str, str] | None = None, timeout: float | None = None
    ) -> None:
        """(Re)start one service, with `extra_env` on top of its usual environment, and wait for /readyz."""
        self._launch_service(name, extra_env)
        self._wait_service(name, self.service_timeout if timeout is None else timeout)

    def start_replica(self, name: str, replica: int, extra_env: Mapping[str, str] | None = None) -> str:
        """Another process of service `name` (same environment, consumer group and database) on a free port, as a
        second replica behind a load balancer would be; returns its URL once it is ready. Stopped with the stack;
        `kill_service(f"{name}-{replica}")` kills it."""
        if name not in self.services:
            raise KeyError(f"{name!r} is not one of this stack's services {self.services}")
        port = free_port()
        process_name = f"{name}-{replica}"
        env = {**self.env, **self.service_environment(name), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
        proc = self._add(
            ManagedProcess(
                process_name,
                self.service_command(name, port),
                log_path=self._log(process_name),
                pid_dir=self.pid_dir,
                cwd=repo_root(),
                env=env,
            )
        )
        proc.start()
        url = f"http://{HOST}:{port}"
        wait_until(
            lambda: http_ok(f"{url}/readyz"),
            what=f"replica {process_name}",
            timeout=self.service_timeout,
            process=proc,
            interval=0.25,
        )
        return url

    def stop_service(self, name: str) -> None:
        if name in self.processes:
            self.processes[name].stop()

    def kill_service(self, name: str) -> None:
        """SIGKILL, as a crash would: nothing in the service gets to clean up."""
        self.processes[name].kill()

    def restart_service(self, name: str, extra_env: Mapping[str, str] | None = None) -> None:
        self.stop_service(name)
        self.start_service(name, extra_env)

    def _launch_service(self, name: str, extra_env: Mapping[str, str] | None) -> None:
        if name not in self.services:
            raise KeyError(f"{name!r} is not one of this stack's services {self.services}")
        if (previous := self.processes.get(name)) is not None and previous.is_running():
            previous.stop()
        env = {**self.env, **self.service_environment(name), "PYTHONUNBUFFERED": "1", **(extra_env or {})}
        argv = self.service_command(name, self.profile.service_port(name))
        self._add(
            ManagedProcess(name, argv, log_path=self._log(name), pid_dir=self.pid_dir, cwd=repo_root(), env=env)
        ).start()

    def _wait_service(self, name: str, timeout: float) -> None:
        url = f"{self.service_url(name)}/readyz"
        wait_until(
            lambda: http_ok(url),
            what=f"service {name} ({url})",
            timeout=timeout,
            process=self.processes[name],
            interval=0.25,
        )

    # Gateway -----------------------------------------------------------------------------------
    def start_gateway(self) -> None:
        nginx = self.tools().nginx
        config = gateway.write_config(self.run_dir / "nginx", self.logs_dir, self.profile)
        gateway.check_config(nginx, config)
        proc = self._add(gateway.process(nginx, config, self._log("gateway"), self.pid_dir))
        proc.start()
        gateway.wait_ready(self.profile, timeout=self.infra_timeout, process=proc)

    # Helpers -----------------------------------------------------------------------------------
    def _add(self, proc: ManagedProcess) -> ManagedProcess:
        self.processes[proc.name] = proc
        return proc

    def _log(self, name: str) -> Path:
        return self.logs_dir / f"{name}.log"

    def _ports_to_bind(self) -> dict[str, int]:
        ports = {"smtp": self.profile.smtp, "gateway": self.profile.gateway}
        if not self.external_kafka:
            ports |= {"kafka": self.profile.kafka, "kafka-controller": self.profile.kafka_controller}
        if not self.external_mongodb:
            ports["ferretdb"] = self.profile.ferretdb
        if self.onss:
            ports[ONSS] = self.profile.onss
        return ports | {name: self.profile.service_port(name) for name in self.services}
