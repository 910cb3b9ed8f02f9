"""Contracts' use cases on a scratch database: each change is stored with its event, the ledger keeps the overlap
rule, the Dimona queue is noted when a declaration is due, and a worker's registration moves their contracts on."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from ruche_contracts.people import ContractAmended, ContractCancelled, ContractEnded, ContractSigned
from ruche_people.domain.errors import (
    ContractNotChangeable,
    ContractNotFound,
    InvalidContract,
    NothingToRetry,
    OverlappingContract,
    WorkerNotFound,
)
from ruche_people.repository import dimona_queue
from ruche_people.use_cases import contracts, workers
from ruche_testing import pending_events, random_enterprise_number

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START = date(2026, 3, 9)  # a Monday


def contract_values(start: date = START, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "payroll_provider": "ruche",
        "start_date": start,
        "contract_type": "open_ended",
        "weekly_hours": "38",
        "schedule": {"mon": "9.5", "tue": "9.5", "wed": "9.5", "thu": "9.5"},
        "gross_monthly_salary": "3150.00",
        "joint_committee": "200",
        "worker_type": "OTH",
        "job_title": "Vendeuse",
    }
    return values | overrides


async def worker(db: Any, tenant: str, personal_data: Any = None) -> str:
    worker_id = str(uuid.uuid4())
    await workers.add_worker(
        db, tenant=tenant, worker_id=worker_id, first_name="Lotte", last_name="Maes", work_email="l@example.be", now=NOW
    )
    if personal_data is not None:
        await workers.fill_personal_data(
            db, tenant=tenant, worker_id=worker_id, data=personal_data(), actor="hr", now=NOW
        )
    return worker_id


async def sign(db: Any, tenant: str, worker_id: str, **overrides: Any) -> Any:
    return await contracts.sign_contract(
        db,
        tenant=tenant,
        worker_id=worker_id,
        contract_id=str(uuid.uuid4()),
        values=contract_values(**overrides),
        now=NOW,
    )


async def ledger(db: Any, worker_id: str) -> dict[str, Any]:
    doc = await db["contract_ledgers"].find_one({"_id": worker_id})
    assert doc is not None
    return dict(doc)


async def test_a_contract_of_a_registered_worker_is_signed_with_its_event_and_its_in_queued(
    db: Any, personal_data: Any
) -> None:
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant, personal_data)

    contract = await sign(db, tenant, worker_id)

    assert contract.dimona.state == "to_declare"
    assert await dimona_queue.get(db, contract.contract_id) is not None
    [event] = await pending_events(db, "contracts", contract.contract_id)
    assert isinstance(event.data, ContractSigned) and event.subject == worker_id
    assert event.data.minutes_by_weekday == {
        "mon": 570,
        "tue": 570,
        "wed": 570,
        "thu": 570,
        "fri": 0,
        "sat": 0,
        "sun": 0,
    }
    assert event.data.payroll_provider == "ruche" and event.data.full_time_weekly_hours == 38
    stored = await contracts.get_contract(db, tenant=tenant, worker_id=worker_id, contract_id=contract.contract_id)
    assert stored.terms == contract.terms and stored.revision == 1
    assert (await ledger(db, worker_id)) == {
        "_id": worker_id,
        "tenant": tenant,
        "version": 1,
        "periods": [{"contract_id": contract.contract_id, "start": "2026-03-09", "end": None, "cancelled": False}],
    }
    assert (
        await contracts.missing_for_dimona(db, tenant=tenant, worker_id=worker_id, contract_id=contract.contract_id)
        == []
    )


async def test_a_contract_waits_for_the_personal_data_then_moves_on_when_they_count(
    db: Any, personal_data: Any
) -> None:
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant)
    contract = await sign(db, tenant, worker_id)
    assert contract.dimona.state == "waiting_for_data"
    assert await dimona_queue.get(db, contract.contract_id) is None
    missing = await contracts.missing_for_dimona(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract.contract_id
    )
    assert missing == ["worker.personal_data", "worker.niss", "worker.birth_date"]

    await workers.fill_personal_data(db, tenant=tenant, worker_id=worker_id, data=personal_data(), actor="hr", now=NOW)

    moved = await contracts.get_contract(db, tenant=tenant, worker_id=worker_id, contract_id=contract.contract_id)
    assert moved.dimona.state == "to_declare"
    assert await dimona_queue.get(db, contract.contract_id) is not None


async def test_another_payroll_provider_declares_nothing(db: Any, personal_data: Any) -> None:
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant, personal_data)
    contract = await sign(db, tenant, worker_id, payroll_provider="other")
    assert contract.dimona.state == "not_applicable"
    assert await dimona_queue.get(db, contract.contract_id) is None
    [event] = await pending_events(db, "contracts", contract.contract_id)
    assert event.data.payroll_provider == "other"


async def test_overlapping_contracts_are_refused_and_the_ledger_follows_ends_and_cancels(
    db: Any, personal_data: Any
) -> None:
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant, personal_data)
    first = await sign(db, tenant, worker_id, contract_type="fixed_term", end_date=START + timedelta(days=60))
    with pytest.raises(OverlappingContract) as clash:
        await sign(db, tenant, worker_id, start=START + timedelta(days=30))
    assert clash.value.field == "start_date"
    with pytest.raises(InvalidContract) as invalid:
        await sign(db, tenant, worker_id, start=START + timedelta(days=90), joint_committee="999")
    assert invalid.value.field == "joint_committee"

    await contracts.end_contract(
        db,
        tenant=tenant,
        worker_id=worker_id,
        contract_id=first.contract_id,
        end_date=START + timedelta(days=20),
        reason="trial",
        now=NOW,
    )
    second = await sign(db, tenant, worker_id, start=START + timedelta(days=30))
    [first_period, second_period] = (await ledger(db, worker_id))["periods"]
    assert first_period["end"] == (START + timedelta(days=20)).isoformat()
    assert second_period["contract_id"] == second.contract_id

    cancelled = await contracts.cancel_contract(
        db, tenant=tenant, worker_id=worker_id, contract_id=second.contract_id, reason="withdrew", now=NOW
    )
    assert cancelled.status(NOW.date()) == "cancelled"
    assert (await ledger(db, worker_id))["periods"][1]["cancelled"] is True
    third = await sign(db, tenant, worker_id, start=START + timedelta(days=40))
    assert third.contract_id
    events = await pending_events(db, "contracts", first.contract_id)
    assert [type(e.data) for e in events] == [ContractSigned, ContractEnded]
    assert isinstance((await pending_events(db, "contracts", second.contract_id))[-1].data, ContractCancelled)
    with pytest.raises(ContractNotChangeable):
        await contracts.cancel_contract(
            db, tenant=tenant, worker_id=worker_id, contract_id=second.contract_id, reason=None, now=NOW
        )


async def test_a_period_claimed_by_a_contract_that_never_came_is_forgotten(
    db: Any, personal_data: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contracts, "STALE_CLAIM_WAIT_SECONDS", 0.01)
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant, personal_data)
    ghost = {"contract_id": "crashed", "start": "2026-01-01", "end": None, "cancelled": False}
    await db["contract_ledgers"].insert_one({"_id": worker_id, "tenant": tenant, "version": 1, "periods": [ghost]})
    contract = await sign(db, tenant, worker_id)
    assert [p["contract_id"] for p in (await ledger(db, worker_id))["periods"]] == [contract.contract_id]


async def test_amendments_are_versions_with_their_events(db: Any, personal_data: Any) -> None:
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant, personal_data)
    contract = await sign(db, tenant, worker_id)
    part_time = {"weekly_hours": "19", "schedule": {"mon": "9.5", "tue": "9.5"}, "gross_monthly_salary": "1575"}

    amended = await contracts.amend_contract(
        db,
        tenant=tenant,
        worker_id=worker_id,
        contract_id=contract.contract_id,
        effective_date=START + timedelta(days=28),
        values=part_time,
        now=NOW,
    )

    assert [v.version for v in amended.versions] == [1, 2] and amended.terms.weekly_hours == 19
    assert amended.terms.job_title == "Vendeuse"  # what the amendment does not name is kept
    on_day = amended.terms_on(START + timedelta(days=27))
    assert on_day is not None and on_day.terms.weekly_hours == 38
    event = (await pending_events(db, "contracts", contract.contract_id))[-1]
    assert isinstance(event.data, ContractAmended) and event.data.version == 2
    assert event.data.minutes_by_weekday is not None and event.data.minutes_by_weekday["tue"] == 570
    with pytest.raises(InvalidContract) as early:
        await contracts.amend_contract(
            db,
            tenant=tenant,
            worker_id=worker_id,
            contract_id=contract.contract_id,
            effective_date=START - timedelta(days=1),
            values=part_time,
            now=NOW,
        )
    assert early.value.field == "effective_date"
    with pytest.raises(NothingToRetry):
        await contracts.retry_dimona(db, tenant=tenant, worker_id=worker_id, contract_id=contract.contract_id, now=NOW)


async def test_another_employer_sees_nothing(db: Any, personal_data: Any) -> None:
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant, personal_data)
    contract = await sign(db, tenant, worker_id)
    stranger = random_enterprise_number()
    with pytest.raises(ContractNotFound):
        await contracts.get_contract(db, tenant=stranger, worker_id=worker_id, contract_id=contract.contract_id)
    with pytest.raises(WorkerNotFound):
        await contracts.list_contracts(db, tenant=stranger, worker_id=worker_id)
    with pytest.raises(WorkerNotFound):
        await sign(db, stranger, worker_id)


async def test_signing_again_with_the_same_id_keeps_what_was_stored(db: Any, personal_data: Any) -> None:
    tenant = random_enterprise_number()
    worker_id = await worker(db, tenant, personal_data)
    contract_id = str(uuid.uuid4())
    values = contract_values()
    first = await contracts.sign_contract(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, values=values, now=NOW
    )
    again = await contracts.sign_contract(
        db, tenant=tenant, worker_id=worker_id, contract_id=contract_id, values=values, now=NOW
    )
    assert again.contract_id == first.contract_id
    assert len(await contracts.list_contracts(db, tenant=tenant, worker_id=worker_id)) == 1
