"""Single-node KRaft Kafka run from the Maven-provisioned jars, plus client-side helpers."""

from __future__ import annotations

import asyncio
import logging
import subprocess
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from .paths import infra_dir
from .ports import HOST, Profile
from .processes import ManagedProcess
from .readiness import tcp_open, wait_until
from .templates import render_file

# Any valid base64 UUID works; a fixed one spares a JVM start for `random-uuid`.
CLUSTER_ID = "cnVjaGUtbG9jYWwta2Fmaw"
PROBE_TOPIC = "_ruche_devstack_probe"
_JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:MaxGCPauseMillis=20",
    "-XX:InitiatingHeapOccupancyPercent=35",
    "-XX:+ExplicitGCInvokesConcurrent",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
]
T = TypeVar("T")


def write_config(kafka_dir: Path, profile: Profile) -> Path:
    """Render server.properties and log4j2.properties into `kafka_dir`; return server.properties."""
    values = {
        "broker_port": profile.kafka,
        "controller_port": profile.kafka_controller,
        "data_dir": kafka_dir / "data",
    }
    (kafka_dir / "log4j2.properties").write_text((infra_dir() / "kafka" / "log4j2.properties").read_text())
    return render_file(infra_dir() / "kafka" / "server.properties.tmpl", kafka_dir / "server.properties", values)


def _java(libs: Path, kafka_dir: Path, heap: list[str], main: str, *args: str) -> list[str]:
    return [
        "java",
        *heap,
        *_JVM_OPTIONS,
        f"-Dkafka.logs.dir={kafka_dir / 'logs'}",
        f"-Dlog4j2.configurationFile={kafka_dir / 'log4j2.properties'}",
        "-cp",
        f"{libs}/*",
        main,
        *args,
    ]


def format_storage(libs: Path, kafka_dir: Path, log_path: Path) -> None:
    config = kafka_dir / "server.properties"
    argv = _java(
        libs,
        kafka_dir,
        ["-Xmx256m", "-XX:TieredStopAtLevel=1"],
        "kafka.tools.StorageTool",
        "format",
        "-t",
        CLUSTER_ID,
        "-c",
        str(config),
        "--ignore-formatted",
    )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("ab") as log:
        result = subprocess.run(argv, stdout=log, stderr=subprocess.STDOUT, check=False)
    if result.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise RuntimeError(f"formatting Kafka storage failed ({result.returncode}):\n{tail}")


def broker_process(libs: Path, kafka_dir: Path, log_path: Path, pid_dir: Path) -> ManagedProcess:
    argv = _java(libs, kafka_dir, ["-Xms256m", "-Xmx512m"], "kafka.Kafka", str(kafka_dir / "server.properties"))
    return ManagedProcess("kafka", argv, log_path=log_path, pid_dir=pid_dir, cwd=kafka_dir)


def wait_ready(bootstrap: str, *, timeout: float, process: ManagedProcess | None = None) -> float:
    """TCP first (cheap), then a real produce, which needs a live controller, broker and auto-create."""
    host, _, port = bootstrap.split(",")[0].rpartition(":")
    waited = wait_until(
        lambda: tcp_open(host or HOST, int(port)),
        what=f"Kafka at {bootstrap}",
        timeout=timeout,
        process=process,
    )
    return waited + wait_until(
        lambda: run_async(lambda: _produce_probe(bootstrap)),
        what=f"Kafka produce at {bootstrap}",
        timeout=max(5.0, timeout - waited),
        process=process,
        interval=0.5,
    )


async def _produce_probe(bootstrap: str) -> bool:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

    # Created up front, or the producer logs "Topic … not found in cluster metadata" while auto-creating it.
    await ensure_topics(bootstrap, [PROBE_TOPIC])
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, request_timeout_ms=5000)
    await producer.start()
    try:
        await asyncio.wait_for(producer.send_and_wait(PROBE_TOPIC, b"ready"), 10)
    finally:
        await producer.stop()
    # A consumer group joins once too: the broker creates its offsets topic and group coordinator now, rather than
    # while the services' consumers join (each would log GroupCoordinatorNotAvailable errors meanwhile).
    consumer = AIOKafkaConsumer(
        PROBE_TOPIC, bootstrap_servers=bootstrap, group_id=PROBE_TOPIC, auto_offset_reset="earliest"
    )
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # the coordinator's birth pains are the point here
    await consumer.start()
    try:
        await asyncio.wait_for(consumer.getone(), 20)
        await consumer.commit()
    finally:
        await consumer.stop()
    return True


async def ensure_topics(
    bootstrap: str, names: Iterable[str], *, partitions: int = 1, replication_factor: int = 1
) -> list[str]:
    """Create the topics that do not exist yet; return the ones created."""
    from aiokafka.admin import AIOKafkaAdminClient, NewTopic

    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        missing = sorted(set(names) - set(await admin.list_topics()))
        if missing:
            await admin.create_topics(
                [NewTopic(name, num_partitions=partitions, replication_factor=replication_factor) for name in missing]
            )
        return missing
    finally:
        await admin.close()


def run_async(make_coroutine: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion from sync code, even when the caller is inside an event loop."""

    async def runner() -> T:
        return await make_coroutine()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, runner()).result()
