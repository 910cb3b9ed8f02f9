"""Delivery that loses nothing: a killed service keeps its pending events, duplicates change nothing,
bad records go to the dead-letter topic and the consumers go on."""

from __future__ import annotations

import json

from pymongo import AsyncMongoClient
from ruche_devstack.stack import Stack

from .support import Employer, eventually, hire, publish_raw, read_topic, worker_body
from .test_hiring_flow import today

WORKERS_TOPIC = "people.workers.v1"
vault_topic = "vault.vaults.v1"


async def vault_of(employer: Employer, worker_id: str) -> dict | None:
    r = await employer.get(f"/vault/workers/{worker_id}/vault")
    return r.json() if r.status_code == 200 else None


async def events_about(kafka: str, topic: str, subject: str, event_type: str) -> list[dict]:
    records = await read_topic(kafka, topic)
    events = []
    for record in records:
        try:
            event = json.loads(record.value)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("subject") == subject and event.get("type") == event_type:
            events.append(event)
    return events


async def test_a_killed_service_publishes_its_pending_event_after_restart(
    stack: Stack, employer: Employer, kafka: str
) -> None:
    # people stores state and event together, but its relay is off: nothing is published yet
    stack.restart_service("people", extra_env={"OUTBOX_RELAY_ENABLED": "false"})
    try:
        created = await employer.post("/people/workers", worker_body())
        assert created.status_code == 201
        worker_id = created.json()["worker_id"]
        client: AsyncMongoClient = AsyncMongoClient(stack.mongodb_url)
        try:
            doc = await client["ruche_people"]["workers"].find_one({"_id": worker_id})
        finally:
            await client.close()
        assert doc is not None  # the events are stored with the state
        assert sorted(json.loads(e["event"])["type"] for e in doc["_outbox"]) == [
            "be.ruche.people.address-changed.v1",
            "be.ruche.people.personal-data-changed.v1",
            "be.ruche.people.worker-added.v1",
            "be.ruche.people.worker-registered.v1",
        ]
        stack.kill_service("people")  # SIGKILL: no chance to publish on the way out
        assert await events_about(kafka, WORKERS_TOPIC, worker_id, "be.ruche.people.worker-registered.v1") == []
        assert await vault_of(employer, worker_id) is None
    finally:
        stack.restart_service("people")

    vault = await eventually(
        lambda: vault_of(employer, worker_id), what="the vault of the worker stored before the kill"
    )
    published = await eventually(
        lambda: events_about(kafka, WORKERS_TOPIC, worker_id, "be.ruche.people.worker-registered.v1"),
        what="the pending event on Kafka",
    )
    assert len(published) == 1
    opened = await eventually(
        lambda: events_about(kafka, "vault.vaults.v1", worker_id, "be.ruche.vault.vault-opened.v1"), what="VaultOpened"
    )
    assert [e["data"]["identifier"] for e in opened] == [vault["identifier"]]


async def test_a_redelivered_event_changes_nothing(employer: Employer, kafka: str) -> None:
    worker, _ = await hire(employer, today())
    worker_id = worker["worker_id"]
    vault = await eventually(lambda: vault_of(employer, worker_id), what="the vault")

    async def calendars():
        r = await employer.get("/calendar/calendars", params={"worker_id": worker_id})
        return r.json()["items"]

    await eventually(calendars, what="the calendar")
    vault_opened = (vault_topic, worker_id, "be.ruche.vault.vault-opened.v1")
    calendar_opened = ("calendar.calendars.v1", worker_id, "be.ruche.calendar.calendar-opened.v1")
    await eventually(lambda: events_about(kafka, *vault_opened), what="VaultOpened")
    await eventually(lambda: events_about(kafka, *calendar_opened), what="CalendarOpened")
    originals = await read_topic(kafka, WORKERS_TOPIC)
    mine = list(
        {json.loads(r.value)["id"]: r for r in originals if json.loads(r.value).get("subject") == worker_id}.values()
    )
    types = {json.loads(r.value)["type"] for r in mine}
    assert {"be.ruche.people.contract-signed.v1", "be.ruche.people.worker-registered.v1"} <= types
    for record in mine:  # deliver each again, byte for byte
        await publish_raw(kafka, WORKERS_TOPIC, record.value, key=record.key, headers=list(record.headers))

    # a later worker on the same partition: once its effects show, the duplicates were consumed before it
    marker, _ = await hire(employer, today())
    await eventually(lambda: vault_of(employer, marker["worker_id"]), what="the marker's vault")
    await eventually(
        lambda: events_about(kafka, vault_topic, marker["worker_id"], "be.ruche.vault.vault-opened.v1"),
        what="the marker's VaultOpened",
    )
    assert await vault_of(employer, worker_id) == vault
    assert len(await calendars()) == 1
    assert len(await events_about(kafka, *vault_opened)) == 1
    assert len(await events_about(kafka, *calendar_opened)) == 1


async def test_a_malformed_record_goes_to_the_dead_letter_topic_and_consumers_go_on(
    employer: Employer, kafka: str
) -> None:
    garbage = b'{"this is": not json'
    wrong_schema = json.dumps(
        {
            "specversion": "1.0",
            "id": "bad-1",
            "source": "/ruche/people",
            "type": "be.ruche.people.worker-registered.v1",
            "subject": "w",
            "time": "2026-01-01T00:00:00Z",
            "tenant": employer.enterprise_number,
            "data": {"worker_id": 3},
        }
    ).encode()
    await publish_raw(kafka, WORKERS_TOPIC, garbage, key=b"garbage", headers=[("origin", b"e2e")])
    await publish_raw(kafka, WORKERS_TOPIC, wrong_schema, key=b"bad-1")
    worker, _ = await hire(employer, today())  # the next good message

    await eventually(lambda: vault_of(employer, worker["worker_id"]), what="the good message's vault")

    async def dead_letters():
        records = await read_topic(kafka, f"{WORKERS_TOPIC}.dlq")
        return [r for r in records if r.value in (garbage, wrong_schema)]

    async def all_groups_dead_lettered():
        records = await dead_letters()
        groups = {(r.value, dict(r.headers).get("x-ruche-consumer-group")) for r in records}
        wanted = {(v, g) for v in (garbage, wrong_schema) for g in (b"calendar", b"presence", b"vault")}
        return records if wanted <= groups else None

    records = await eventually(all_groups_dead_lettered, what="dead letters from every consumer group")
    for record in records:
        headers = dict(record.headers)
        assert headers["x-ruche-original-topic"] == WORKERS_TOPIC.encode()
        assert headers["x-ruche-error"]
        if record.value == garbage:
            assert headers["origin"] == b"e2e"  # the original headers travel with the dead letter
            assert headers["x-ruche-error"].startswith(b"not JSON")
        else:
            assert b"data.worker_id" in headers["x-ruche-error"]
