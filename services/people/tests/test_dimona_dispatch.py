"""The Dimona dispatcher against the real ONSS simulator (served by uvicorn on a free port): an IN accepted; a
refusal with its labelled anomaly, corrected by an amendment and accepted; UPDATE, OUT and CANCEL; S polled until
A; 503s retried; a late IN flagged. The dispatcher's step runs as the leased loop would, until the contract
settles, with a deadline."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from ruche_contracts.people import ContractSigned, DimonaAccepted, DimonaDeclared, DimonaRefused
from ruche_people.adapters.onss import OnssClient
from ruche_people.domain.contracts import Contract
from ruche_people.repository import dimona_queue
from ruche_people.use_cases import contracts, dimona, workers
from ruche_testing import pending_events, random_enterprise_number

from services.people.tests.onss_simulator import Simulator, onss_simulator

__all__ = ["onss_simulator"]
POLL = 0.05
ACCEPTED = ("accepted", "accepted_with_warnings")


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Brussels")).date()


def next_monday() -> date:
    day = today()
    return day + timedelta(days=(7 - day.weekday()) or 7)


@pytest.fixture
async def onss(onss_simulator: Simulator) -> AsyncIterator[OnssClient]:
    client = onss_simulator.client()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def control(onss_simulator: Simulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=onss_simulator.url, timeout=10) as client:
        yield client


class Hire:
    def __init__(self, db: Any, tenant: str, worker_id: str, niss: str) -> None:
        self.db, self.tenant, self.worker_id, self.niss = db, tenant, worker_id, niss

    async def sign(self, start: date, **overrides: Any) -> Contract:
        values = {
            "payroll_provider": "ruche",
            "start_date": start,
            "contract_type": "open_ended",
            "weekly_hours": "38",
            "gross_monthly_salary": "3150",
            "joint_committee": "200",
            "worker_type": "OTH",
        } | overrides
        return await contracts.sign_contract(
            self.db,
            tenant=self.tenant,
            worker_id=self.worker_id,
            contract_id=str(uuid.uuid4()),
            values=values,
            now=datetime.now(UTC),
        )

    async def contract(self, contract_id: str) -> Contract:
        return await contracts.get_contract(
            self.db, tenant=self.tenant, worker_id=self.worker_id, contract_id=contract_id
        )


@pytest.fixture
async def hire(db: Any, personal_data: Any) -> Hire:
    tenant, worker_id = random_enterprise_number(), str(uuid.uuid4())
    now = datetime.now(UTC)
    await workers.add_worker(
        db,
        tenant=tenant,
        worker_id=worker_id,
        first_name="Ines",
        last_name="Peeters",
        work_email="i@example.be",
        now=now,
    )
    data = personal_data()
    await workers.fill_personal_data(db, tenant=tenant, worker_id=worker_id, data=data, actor="hr", now=now)
    return Hire(db, tenant, worker_id, data["niss"])


async def settle(
    hire: Hire, onss: OnssClient, contract_id: str, done: Callable[[Contract], bool], *, timeout: float = 15
) -> Contract:
    """Run the dispatcher's step until the contract is `done` (or fail after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while True:
        await dimona.process_due(hire.db, datetime.now(UTC), onss=onss, poll_seconds=POLL)
        contract = await hire.contract(contract_id)
        if done(contract):
            return contract
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out; the Dimona is {contract.dimona}")
        await asyncio.sleep(POLL / 2)


def settled(*states: str) -> Callable[[Contract], bool]:
    return lambda c: (
        (c.dimona.state in states and c.dimona.in_flight is None and not c.dimona.hold)
        or ("refused" in states and c.dimona.state == "refused")
    )


def kinds(contract: Contract) -> list[tuple[str, str | None]]:
    return [(d.type, d.result) for d in contract.dimona.declarations]


async def test_an_in_is_declared_and_accepted_with_its_events(
    hire: Hire, onss: OnssClient, control: httpx.AsyncClient
) -> None:
    contract = await hire.sign(next_monday())

    done = await settle(hire, onss, contract.contract_id, settled(*ACCEPTED))

    assert kinds(done) == [("IN", "A")] and done.dimona.period_id and len(done.dimona.period_id) == 12
    [declaration] = done.dimona.declarations
    assert declaration.body["dimonaIn"]["dimonaFeatures"] == {"jointCommissionNumber": "200", "workerType": "OTH"}
    assert declaration.body["employer"] == {"enterpriseNumber": hire.tenant} and not declaration.late
    events = await pending_events(hire.db, "contracts", contract.contract_id)
    assert [type(e.data) for e in events] == [ContractSigned, DimonaDeclared, DimonaAccepted]
    accepted = events[-1].data
    assert accepted.start_date == next_monday() and accepted.end_date is None and not accepted.cancelled
    assert await dimona_queue.get(hire.db, contract.contract_id) is None
    [seen] = (await control.get("/_simulator/declarations", params={"ssin": hire.niss})).json()
    assert seen["result"] == "A" and seen["declarationType"] == "IN"


async def test_a_refused_in_keeps_its_anomalies_and_its_correction_is_accepted(hire: Hire, onss: OnssClient) -> None:
    start = date(today().year + 1, 1, 5)  # 20 weeks of 38 hours: 760, over a student's 650 hours in a year
    student = {
        "contract_type": "student",
        "worker_type": "STU",
        "end_date": start + timedelta(weeks=20) - timedelta(1),
        "gross_monthly_salary": None,
        "hourly_wage": "13.50",
    }
    contract = await hire.sign(start, **student)

    refused = await settle(hire, onss, contract.contract_id, settled("refused"))
    assert kinds(refused) == [("IN", "B")] and refused.dimona.hold
    [anomaly] = refused.dimona.declarations[0].anomalies
    assert anomaly.code == "00070-002" and anomaly.label["fr"] and anomaly.label["nl"]
    assert refused.dimona.declarations[0].body["dimonaIn"]["plannedHoursNumber"] == 760
    assert isinstance((await pending_events(hire.db, "contracts", contract.contract_id))[-1].data, DimonaRefused)
    await dimona.process_due(hire.db, datetime.now(UTC), onss=onss, poll_seconds=POLL)
    assert kinds(await hire.contract(contract.contract_id)) == [("IN", "B")]  # a refusal is not sent again by itself

    await contracts.amend_contract(
        hire.db,
        tenant=hire.tenant,
        worker_id=hire.worker_id,
        contract_id=contract.contract_id,
        effective_date=start,
        values={"end_date": start + timedelta(weeks=10) - timedelta(1)},
        now=datetime.now(UTC),
    )
    accepted = await settle(hire, onss, contract.contract_id, settled(*ACCEPTED))
    assert kinds(accepted) == [("IN", "B"), ("IN", "A")]
    assert accepted.dimona.declarations[1].body["dimonaIn"]["plannedHoursNumber"] == 380


async def test_update_out_and_cancel_follow_the_contract(
    hire: Hire, onss: OnssClient, control: httpx.AsyncClient
) -> None:
    start = next_monday()
    contract = await hire.sign(start, contract_type="fixed_term", end_date=start + timedelta(days=180))
    await settle(hire, onss, contract.contract_id, settled(*ACCEPTED))
    now = datetime.now(UTC)
    ids = {"tenant": hire.tenant, "worker_id": hire.worker_id, "contract_id": contract.contract_id}

    await contracts.amend_contract(
        hire.db, **ids, effective_date=start, values={"end_date": start + timedelta(days=270)}, now=now
    )
    updated = await settle(
        hire, onss, contract.contract_id, lambda c: len(c.dimona.declarations) == 2 and settled(*ACCEPTED)(c)
    )
    assert kinds(updated) == [("IN", "A"), ("UPDATE", "A")]
    assert updated.dimona.declared is not None and updated.dimona.declared.end == start + timedelta(days=270)

    await contracts.end_contract(hire.db, **ids, end_date=start + timedelta(days=30), reason="trial", now=now)
    ended = await settle(
        hire, onss, contract.contract_id, lambda c: len(c.dimona.declarations) == 3 and settled(*ACCEPTED)(c)
    )
    assert kinds(ended)[-1] == ("OUT", "A")
    assert ended.dimona.declarations[-1].body["dimonaOut"]["endingDate"] == (start + timedelta(days=30)).isoformat()

    later = await hire.sign(start + timedelta(days=60))
    await settle(hire, onss, later.contract_id, settled(*ACCEPTED))
    await contracts.cancel_contract(
        hire.db, tenant=hire.tenant, worker_id=hire.worker_id, contract_id=later.contract_id, reason="withdrew", now=now
    )
    cancelled = await settle(
        hire, onss, later.contract_id, lambda c: len(c.dimona.declarations) == 2 and settled(*ACCEPTED)(c)
    )
    assert kinds(cancelled) == [("IN", "A"), ("CANCEL", "A")]
    assert cancelled.dimona.declared is not None and cancelled.dimona.declared.cancelled
    last = (await pending_events(hire.db, "contracts", later.contract_id))[-1].data
    assert isinstance(last, DimonaAccepted) and last.cancelled and last.declaration_type == "CANCEL"
    periods = (await control.get("/_simulator/periods", params={"ssin": hire.niss})).json()
    assert sorted(p["cancelled"] for p in periods) == [False, True]


async def test_waiting_for_identification_is_polled_until_accepted(
    hire: Hire, onss: OnssClient, control: httpx.AsyncClient
) -> None:
    await control.post("/_simulator/scenarios", json={"ssin": hire.niss, "result": "S"})
    contract = await hire.sign(next_monday())
    waiting = await settle(hire, onss, contract.contract_id, lambda c: c.dimona.state == "waiting_for_identification")
    assert waiting.dimona.in_flight is not None and waiting.dimona.period_id
    accepted = await settle(hire, onss, contract.contract_id, settled(*ACCEPTED))
    assert kinds(accepted) == [("IN", "A")]


async def test_an_unavailable_onss_is_tried_again_and_nothing_is_lost(
    hire: Hire, onss: OnssClient, control: httpx.AsyncClient
) -> None:
    await control.post("/_simulator/scenarios", json={"ssin": hire.niss, "unavailable": True, "count": 2})
    contract = await hire.sign(next_monday())
    await dimona.process_due(hire.db, datetime.now(UTC), onss=onss, poll_seconds=POLL)
    entry = await dimona_queue.get(hire.db, contract.contract_id)
    assert entry is not None and entry.attempts == 1
    assert (await hire.contract(contract.contract_id)).dimona.state == "to_declare"
    accepted = await settle(hire, onss, contract.contract_id, settled(*ACCEPTED))
    assert kinds(accepted) == [("IN", "A")]
    received = (await control.get("/_simulator/declarations", params={"ssin": hire.niss})).json()
    assert len(received) == 1  # the two 503s took nothing


async def test_an_in_after_the_start_is_flagged_late(hire: Hire, onss: OnssClient) -> None:
    contract = await hire.sign(today() - timedelta(days=3))
    done = await settle(hire, onss, contract.contract_id, settled(*ACCEPTED))
    assert done.dimona.state == "accepted_with_warnings" and done.dimona.declarations[0].late
    assert [a.code for a in done.dimona.declarations[0].anomalies] == ["00030-900"]
    declared = [
        e.data
        for e in await pending_events(hire.db, "contracts", contract.contract_id)
        if isinstance(e.data, DimonaDeclared)
    ]
    assert declared[0].late


async def test_an_ordinary_worker_in_horeca_is_declared_with_xxx(hire: Hire, onss: OnssClient) -> None:
    contract = await hire.sign(next_monday(), joint_committee="302")
    done = await settle(hire, onss, contract.contract_id, settled(*ACCEPTED))
    assert done.dimona.declarations[0].body["dimonaIn"]["dimonaFeatures"]["jointCommissionNumber"] == "XXX"
    assert done.dimona.state == "accepted"
