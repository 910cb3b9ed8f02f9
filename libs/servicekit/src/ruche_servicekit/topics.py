"""Kafka topics created before first use, with the partition count of the settings.

A service creates, at start, the topics it produces and consumes and the dead-letter twins of those it
consumes. Left to the broker's auto-creation, the first publish logs "Topic not found" errors and topics get the
broker's default partition count. Two services creating one topic at once is harmless: the second is told it
exists already.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

log = logging.getLogger(__name__)


async def ensure_topics(
    bootstrap: str, names: Iterable[str], *, partitions: int, replication_factor: int = 1
) -> list[str]:
    """Create those of `names` that do not exist yet; returns the ones this call created."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=10_000)
    await admin.start()
    try:
        wanted = sorted(set(names))
        missing = sorted(set(wanted) - set(await admin.list_topics()))
        if not missing:
            await _leaders_elected(admin, wanted)  # another service may have created them a moment ago
            return []
        response = await admin.create_topics(
            [NewTopic(name, num_partitions=partitions, replication_factor=replication_factor) for name in missing]
        )
        created = []
        for name, code, *_ in response.topic_errors:
            if code == 0:
                created.append(name)
            elif code != TopicAlreadyExistsError.errno:  # created meanwhile by another service: fine
                raise for_code(code)(f"creating topic {name}")
        await _leaders_elected(admin, wanted)
        if created:
            log.info("topics created", extra={"topics": created, "partitions": partitions})
        return created
    finally:
        await admin.close()


LEADERS_WAIT_SECONDS = 15.0


async def _leaders_elected(admin: AIOKafkaAdminClient, names: list[str]) -> None:
    """Until every partition of the new topics has a leader: a consumer asking before then gets (and logs)
    NotLeaderForPartition errors."""
    deadline = time.monotonic() + LEADERS_WAIT_SECONDS
    while time.monotonic() < deadline:
        described = await admin.describe_topics(names)
        if all(p["leader"] >= 0 for topic in described for p in topic["partitions"]) and all(
            topic["partitions"] for topic in described
        ):
            return
        await asyncio.sleep(0.1)
