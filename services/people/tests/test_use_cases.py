"""People's use cases against a scratch database: what they store, what they leave for the relay to publish,
and what they refuse (storing nothing)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from ruche_contracts.people import ContractSigned, WorkerRegistered
from ruche_people import repository, use_cases
from ruche_people.domain import (
    Contract,
    ContractNotFound,
    InvalidContract,
    InvalidWorker,
    Worker,
    WorkerAlreadyRegistered,
    WorkerNotFound,
)
from ruche_testing import pending_events, random_enterprise_number, random_niss, unique

BIRTH = date(1990, 5, 17)
TODAY = date(2026, 3, 2)


def new_worker(tenant: str, **overrides: Any) -> Worker:
    values: dict[str, Any] = dict(
        worker_id=unique("w-"),
        tenant=tenant,
        first_name="An",
        last_name=unique("Peeters-"),
        niss=random_niss(BIRTH, "F"),
        birth_date=BIRTH,
        sex="F",
        nationality="BE",
        work_email="an.peeters@example.be",
        birth_place="Gent",
    )
    return Worker(**(values | overrides))


def new_contract(start: date, end: date | None = None, **overrides: Any) -> Contract:
    values: dict[str, Any] = dict(
        contract_id=unique("c-"),
        start_date=start,
        end_date=end,
        contract_type="indefinite",
        weekly_hours=Decimal(38),
        gross_monthly_salary=Decimal("3150.00"),
        joint_committee="200",
        worker_type="OTH",
    )
    return Contract(**(values | overrides))


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


async def test_a_registered_worker_is_stored_with_its_event_pending(db, tenant) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))

    assert await use_cases.get_worker(db, tenant=tenant, worker_id=worker.worker_id) == replace(worker, version=1)
    [event] = await pending_events(db, repository.WORKERS, worker.worker_id)
    assert isinstance(event.data, WorkerRegistered)
    assert (event.tenant, event.subject) == (tenant, worker.worker_id)
    assert event.data.niss == worker.niss
    assert event.data.birth_place == "Gent"


async def test_a_niss_registers_once_per_employer(db, tenant) -> None:
    first = await use_cases.register_worker(db, new_worker(tenant))

    with pytest.raises(WorkerAlreadyRegistered):
        await use_cases.register_worker(db, new_worker(tenant, niss=first.niss))

    elsewhere = await use_cases.register_worker(db, new_worker(random_enterprise_number(), niss=first.niss))
    assert elsewhere.niss == first.niss
    workers, total = await use_cases.list_workers(db, tenant=tenant, limit=50, offset=0)
    assert ([w.worker_id for w in workers], total) == ([first.worker_id], 1)


async def test_a_birth_date_the_niss_contradicts_is_refused_and_nothing_stored(db, tenant) -> None:
    worker = new_worker(tenant, birth_date=BIRTH + timedelta(days=1))

    with pytest.raises(InvalidWorker):
        await use_cases.register_worker(db, worker)

    assert await use_cases.list_workers(db, tenant=tenant, limit=50, offset=0) == ([], 0)


async def test_a_signed_contract_is_stored_and_its_event_follows_the_registration(db, tenant) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))
    contract = new_contract(TODAY, TODAY + timedelta(days=180), contract_type="fixed_term")

    signed = await use_cases.sign_contract(
        db, tenant=tenant, worker_id=worker.worker_id, contract=contract, today=TODAY
    )

    assert signed == contract
    stored = await use_cases.get_contract(
        db, tenant=tenant, worker_id=worker.worker_id, contract_id=contract.contract_id
    )
    assert stored == contract
    registered, contract_signed = await pending_events(db, repository.WORKERS, worker.worker_id)
    assert isinstance(registered.data, WorkerRegistered)
    assert isinstance(contract_signed.data, ContractSigned)
    assert (contract_signed.tenant, contract_signed.subject) == (tenant, worker.worker_id)
    assert contract_signed.data.contract_id == contract.contract_id
    assert contract_signed.data.gross_monthly_salary == Decimal("3150.00")
    assert contract_signed.data.end_date == TODAY + timedelta(days=180)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"gross_monthly_salary": Decimal(0)}, "gross_monthly_salary"),
        ({"gross_monthly_salary": Decimal(2_000_000)}, "gross_monthly_salary"),
        ({"start_date": date(9999, 1, 4)}, "start_date"),
        ({"start_date": TODAY + timedelta(days=367)}, "start_date"),
        ({"start_date": BIRTH - timedelta(days=1)}, "start_date"),
        ({"end_date": date(9999, 12, 31)}, "end_date"),
    ],
)
async def test_an_insane_contract_is_refused_and_nothing_stored(db, tenant, overrides, field) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))

    with pytest.raises(InvalidContract) as refused:
        await use_cases.sign_contract(
            db, tenant=tenant, worker_id=worker.worker_id, contract=new_contract(TODAY, **overrides), today=TODAY
        )

    assert refused.value.field == field
    assert (await use_cases.get_worker(db, tenant=tenant, worker_id=worker.worker_id)).contracts == ()
    assert [type(e.data) for e in await pending_events(db, repository.WORKERS, worker.worker_id)] == [WorkerRegistered]


async def test_a_contract_a_year_ahead_is_accepted(db, tenant) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))
    a_year_ahead = TODAY.replace(year=TODAY.year + 1)

    await use_cases.sign_contract(
        db, tenant=tenant, worker_id=worker.worker_id, contract=new_contract(a_year_ahead), today=TODAY
    )

    assert [
        c.start_date for c in (await use_cases.get_worker(db, tenant=tenant, worker_id=worker.worker_id)).contracts
    ] == [a_year_ahead]


async def test_two_overlapping_contracts_signed_at_once_store_only_one(db, tenant) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))
    first, second = new_contract(TODAY), new_contract(TODAY + timedelta(days=10))

    results = await asyncio.gather(
        *(
            use_cases.sign_contract(db, tenant=tenant, worker_id=worker.worker_id, contract=c, today=TODAY)
            for c in (first, second)
        ),
        return_exceptions=True,
    )

    assert sorted(type(r).__name__ for r in results) == ["Contract", "OverlappingContract"]
    stored = (await use_cases.get_worker(db, tenant=tenant, worker_id=worker.worker_id)).contracts
    assert len(stored) == 1
    events = await pending_events(db, repository.WORKERS, worker.worker_id)
    assert [e.data.contract_id for e in events if isinstance(e.data, ContractSigned)] == [stored[0].contract_id]


async def test_contracts_are_listed_by_start_date_a_page_at_a_time(db, tenant) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))
    later = new_contract(date(2026, 7, 1), date(2026, 8, 31), contract_type="fixed_term")
    earlier = new_contract(date(2026, 4, 1), date(2026, 5, 31), contract_type="fixed_term")
    latest = new_contract(date(2026, 9, 1))
    for contract in (later, earlier, latest):
        await use_cases.sign_contract(db, tenant=tenant, worker_id=worker.worker_id, contract=contract, today=TODAY)

    first_page = await use_cases.list_contracts(db, tenant=tenant, worker_id=worker.worker_id, limit=2, offset=0)
    second_page = await use_cases.list_contracts(db, tenant=tenant, worker_id=worker.worker_id, limit=2, offset=2)

    assert first_page == ([earlier, later], 3)
    assert second_page == ([latest], 3)


async def test_another_employer_neither_sees_nor_signs_for_the_worker(db, tenant) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))
    contract = await use_cases.sign_contract(
        db, tenant=tenant, worker_id=worker.worker_id, contract=new_contract(TODAY), today=TODAY
    )
    other = random_enterprise_number()

    with pytest.raises(WorkerNotFound):
        await use_cases.get_worker(db, tenant=other, worker_id=worker.worker_id)
    with pytest.raises(WorkerNotFound):
        await use_cases.get_contract(db, tenant=other, worker_id=worker.worker_id, contract_id=contract.contract_id)
    with pytest.raises(WorkerNotFound):
        await use_cases.list_contracts(db, tenant=other, worker_id=worker.worker_id, limit=50, offset=0)
    with pytest.raises(WorkerNotFound):
        await use_cases.sign_contract(
            db, tenant=other, worker_id=worker.worker_id, contract=new_contract(date(2027, 1, 1)), today=TODAY
        )
    assert await use_cases.list_workers(db, tenant=other, limit=50, offset=0) == ([], 0)


async def test_an_unknown_contract_is_not_found(db, tenant) -> None:
    worker = await use_cases.register_worker(db, new_worker(tenant))

    with pytest.raises(ContractNotFound):
        await use_cases.get_contract(db, tenant=tenant, worker_id=worker.worker_id, contract_id="no-such-contract")
