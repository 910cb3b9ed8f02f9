"""Bulk hire through people's HTTP edge in process: a result per item (created, or refused with that item's
problem naming the field), the same Idempotency-Key returns the same answer and creates nothing, a retry after a
crash mid-batch duplicates nothing, and 500 workers go in one call."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from ruche_contracts.permissions import Permission
from ruche_people.api.deps import now
from ruche_people.main import create_app
from ruche_people.settings import PeopleSettings
from ruche_people.use_cases import bulk
from ruche_servicekit.app import database
from ruche_servicekit.auth import Principal, current_principal
from ruche_testing import random_enterprise_number, random_niss

PersonalDataFactory = Callable[..., dict[str, Any]]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START = date(2026, 3, 9)


@pytest.fixture
async def hr(db: Any) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    app = create_app(PeopleSettings(dimona_enabled=False))
    tenant = random_enterprise_number()
    caller = Principal(
        subject="hr-1", tenant=tenant, permissions=frozenset({Permission.PEOPLE_READ, Permission.PEOPLE_WRITE})
    )
    app.dependency_overrides[database] = lambda: db
    app.dependency_overrides[now] = lambda: NOW
    app.dependency_overrides[current_principal] = lambda: caller
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://people") as client:
        yield client, tenant


def item(personal_data: PersonalDataFactory, n: int = 0, **contract: Any) -> dict[str, Any]:
    birth = date(1970, 1, 1) + timedelta(days=n)  # a NISS of its own for each n
    return {
        "first_name": "Lotte",
        "last_name": f"Maes{n}",
        "work_email": f"lotte{n}@example.be",
        "personal_data": personal_data(niss=random_niss(birth, "F"), birth_date=birth.isoformat()),
        "contract": {
            "payroll_provider": "ruche",
            "start_date": START.isoformat(),
            "contract_type": "open_ended",
            "weekly_hours": "38",
            "gross_monthly_salary": "3150.00",
            "joint_committee": "200",
        }
        | contract,
    }


async def post(client: httpx.AsyncClient, items: list[dict[str, Any]], key: str | None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key is not None else {}
    return await client.post("/workers/bulk", json={"items": items}, headers=headers)


async def test_each_item_is_created_or_refused_with_its_problem_and_a_replay_creates_nothing(
    db: Any, hr: tuple[httpx.AsyncClient, str], personal_data: PersonalDataFactory
) -> None:
    client, tenant = hr
    twin = item(personal_data, 5)
    items = [
        item(personal_data, 0),
        item(personal_data, 1)
        | {"personal_data": item(personal_data, 1)["personal_data"] | {"iban": "BE00000000000000"}},
        item(personal_data, 2, contract_type="fixed_term"),
        item(personal_data, 3, start_date="someday"),
        item(personal_data, 4) | {"first_name": ""},
        twin,
        twin | {"last_name": "Twin"},
        item(personal_data, 7),
    ]
    first = await post(client, items, "batch-1")
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["index"] for r in results] == list(range(8))
    assert [r["status"] for r in results] == [
        "created",
        "refused",
        "refused",
        "refused",
        "refused",
        "created",
        "refused",
        "created",
    ]
    fields = {r["index"]: [e["field"] for e in r["problem"].get("errors", [])] for r in results if r["problem"]}
    assert fields == {
        1: ["personal_data.iban"],
        2: ["contract.end_date"],
        3: ["contract.start_date"],
        4: ["first_name"],
        6: ["personal_data.niss"],
    }
    assert results[1]["problem"]["status"] == 422 and results[1]["problem"]["type"].endswith("invalid-personal-data")
    created = [r for r in results if r["status"] == "created"]
    for result in created:
        contract = await client.get(f"/workers/{result['worker_id']}/contracts/{result['contract_id']}")
        assert contract.status_code == 200 and contract.json()["dimona"]["state"] == "to_declare"
        assert (await client.get(f"/workers/{result['worker_id']}")).json()["registered"] is True
    assert await db["workers"].count_documents({"tenant": tenant}) == 3

    again = await post(client, items, "batch-1")
    assert again.status_code == 200 and again.json() == first.json()
    assert await db["workers"].count_documents({"tenant": tenant}) == 3
    assert await db["contracts"].count_documents({"tenant": tenant}) == 3


async def test_a_key_is_required_and_a_batch_holds_1_to_500_items(
    hr: tuple[httpx.AsyncClient, str], personal_data: PersonalDataFactory
) -> None:
    client, _ = hr
    missing = await post(client, [item(personal_data)], None)
    assert missing.status_code == 400 and missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["errors"][0]["field"] == "Idempotency-Key"
    assert (await post(client, [], "k")).status_code == 422
    assert (await post(client, [{}] * 501, "k")).status_code == 422


async def test_a_retry_after_a_crash_mid_batch_duplicates_nothing(db: Any, personal_data: PersonalDataFactory) -> None:
    tenant = random_enterprise_number()
    items = [
        bulk.Item(
            i,
            "Lotte",
            f"Maes{i}",
            f"l{i}@example.be",
            item(personal_data, i)["personal_data"],
            item(personal_data)["contract"],
        )
        for i in range(4)
    ]
    first = await bulk.hire(db, tenant=tenant, key="k", items=items, actor="hr", now=NOW)
    await db["bulk_hires"].delete_many({})  # as if the process died before storing the answer
    await db["contracts"].delete_one({"_id": first["results"][2]["contract_id"]})  # ... and before this contract
    again = await bulk.hire(db, tenant=tenant, key="k", items=items, actor="hr", now=NOW)
    assert again == first
    assert await db["workers"].count_documents({"tenant": tenant}) == 4
    assert await db["contracts"].count_documents({"tenant": tenant}) == 4
    assert await db["contract_ledgers"].count_documents({"tenant": tenant}) == 4


async def test_500_workers_in_one_call(
    db: Any, hr: tuple[httpx.AsyncClient, str], personal_data: PersonalDataFactory
) -> None:
    client, tenant = hr
    started = time.perf_counter()
    items = []
    for n in range(500):
        birth = date(1970, 1, 1) + timedelta(days=n)  # each a NISS of its own
        items.append(
            item(personal_data, n)
            | {"personal_data": personal_data(niss=random_niss(birth, "F"), birth_date=str(birth))}
        )
    answer = await post(client, items, "big")
    elapsed = time.perf_counter() - started
    assert answer.status_code == 200, answer.text
    assert all(r["status"] == "created" for r in answer.json()["results"])
    assert await db["contracts"].count_documents({"tenant": tenant}) == 500
    assert await db["dimona_queue"].count_documents({"tenant": tenant}) == 500
    print(f"500 hires in {elapsed:.2f}s")
