"""Salary elements, the bulk and the message through calendar's HTTP edge in process (a scratch database, a
caller of the test's choosing, a fixed clock): JSON shapes, the month grid's elements, totals and message,
refusals as problem+json naming the field, 409 in a locked month, a replayed Idempotency-Key."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from ruche_calendar import use_cases
from ruche_calendar.api.calendars import now
from ruche_calendar.main import create_app
from ruche_calendar.repository import calendars as calendar_store
from ruche_calendar.settings import CalendarSettings
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import database
from ruche_servicekit.auth import Principal, current_principal
from ruche_testing import random_enterprise_number, unique

NOW = datetime(2026, 6, 3, 9, 30, tzinfo=UTC)
PROBLEM = "application/problem+json"
MON_FRI_8 = {d: 480 for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture
def caller() -> Principal:
    return Principal(
        subject="hr-7",
        tenant=random_enterprise_number(),
        permissions=frozenset({Permission.CALENDAR_READ, Permission.CALENDAR_WRITE}),
    )


@pytest.fixture
async def api(db: Any, caller: Principal) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(CalendarSettings(root_path="/calendar"))
    app.dependency_overrides[database] = lambda: db
    app.dependency_overrides[now] = lambda: NOW
    app.dependency_overrides[current_principal] = lambda: caller
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://calendar") as client:
        yield client


async def hire(db: Any, tenant: str, start: date = date(2026, 5, 4), end: date | None = None) -> dict[str, str]:
    worker_id, contract_id = unique("w-"), unique("c-")
    await use_cases.open_first_calendar(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=worker_id,
        contract_id=contract_id,
        start_date=start,
        end_date=end,
        weekly_hours=Decimal(40),
        minutes_by_weekday=MON_FRI_8,
    )
    return {"worker_id": worker_id, "contract_id": contract_id}


def fields_of(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM, response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def test_elements_are_added_listed_shown_in_the_grid_and_removed(api, db, caller) -> None:
    hired = await hire(db, caller.tenant)
    base = f"/workers/{hired['worker_id']}/months/2026-06/salary-elements"

    bonus = await api.post(base, json={"code": "BONUS", "amount": "400", "comment": "Q2"})
    await api.put("/codes/5003/settings", json={"active": True})
    per_day = await api.post(base, json={"code": "5003", "unit_amount": 12.35, "days": 7})

    assert bonus.status_code == 201, bonus.text
    element_id = bonus.json()["element_id"]
    assert bonus.headers["location"] == f"/calendar{base}/{element_id}"
    assert bonus.json() == {
        "element_id": element_id,
        "code": "BONUS",
        "unit": "amount",
        "amount": "400.00",
        "unit_amount": None,
        "days": None,
        "comment": "Q2",
        "added_by": "hr-7",
        "added_at": "2026-06-03T09:30:00Z",
    }
    assert per_day.status_code == 201, per_day.text
    assert (per_day.json()["amount"], per_day.json()["unit_amount"], per_day.json()["days"]) == ("86.45", "12.35", 7)
    assert (await api.get(f"{base}/{element_id}")).json() == bonus.json()
    listed = (await api.get(base)).json()
    assert [e["code"] for e in listed["items"]] == ["BONUS", "5003"]
    assert listed["totals"] == [
        {"code": "5003", "amount": "86.45", "count": 1},
        {"code": "BONUS", "amount": "400.00", "count": 1},
    ]
    assert listed["total"] == "486.45"
    grid = (await api.get(f"/workers/{hired['worker_id']}/months/2026-06")).json()
    assert grid["salary_elements"] == listed["items"] and grid["salary_element_totals"] == listed["totals"]
    assert grid["message"] is None and grid["totals"][0]["code"] == "WORK"

    removed = await api.delete(f"{base}/{element_id}")
    assert removed.status_code == 204, removed.text
    assert [e["code"] for e in (await api.get(base)).json()["items"]] == ["5003"]
    again = await api.delete(f"{base}/{element_id}")
    assert again.status_code == 404 and again.json()["type"].endswith("salary-element-not-found")


async def test_bad_elements_are_refused_naming_the_field(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, end=date(2026, 6, 30))
    base = f"/workers/{hired['worker_id']}/months/2026-06/salary-elements"

    async def refused(body: dict[str, Any], status: int = 422) -> list[str]:
        answer = await api.post(base, json=body)
        assert answer.status_code == status, answer.text
        return fields_of(answer)

    assert await refused({"code": "BONUS", "amount": -5}) == ["amount"]
    assert await refused({"code": "BONUS", "amount": 1e9}) == ["amount"]
    assert await refused({"code": "BONUS", "amount": "10.001"}) == ["amount"]
    assert await refused({"code": "BONUS", "amount": "ten"}) == ["amount"]
    assert await refused({"code": "BONUS"}) == ["amount"]
    assert await refused({"code": "BONUS", "amount": 10, "days": 2}) == ["days"]
    assert await refused({"code": "HOL", "amount": 10}) == ["code"]
    assert await refused({"code": "3110", "amount": 10}) == ["code"]  # inactive
    assert await refused({"code": "NOPE", "amount": 10}, 404) == ["code"]
    assert await refused({"code": "BONUS", "amount": 10, "comment": "x" * 501}) == ["comment"]
    await api.put("/codes/5071/settings", json={"active": True})
    assert await refused({"code": "5071", "unit_amount": 20, "days": 31}) == ["days"]  # June has 30
    assert await refused({"code": "5071", "unit_amount": 2000, "days": 3}) == ["unit_amount"]
    outside = await api.post(
        f"/workers/{hired['worker_id']}/months/2026-07/salary-elements", json={"code": "BONUS", "amount": 1}
    )
    assert outside.status_code == 404 and outside.json()["type"].endswith("month-not-found")
    other = await hire(db, random_enterprise_number())
    foreign = await api.get(f"/workers/{other['worker_id']}/months/2026-06/salary-elements")
    assert foreign.status_code == 404


async def test_the_message_is_written_read_shown_in_the_grid_and_removed(api, db, caller) -> None:
    hired = await hire(db, caller.tenant)
    path = f"/workers/{hired['worker_id']}/months/2026-06/message"

    assert (await api.get(path)).json()["text"] == ""
    written = await api.put(path, json={"text": "Advance of 200 EUR paid on 15 June."})
    assert written.status_code == 200, written.text
    assert written.json() == {
        "worker_id": hired["worker_id"],
        "month": "2026-06",
        "text": "Advance of 200 EUR paid on 15 June.",
        "changed_by": "hr-7",
        "changed_at": "2026-06-03T09:30:00Z",
    }
    assert (await api.get(path)).json() == written.json()
    grid = (await api.get(f"/workers/{hired['worker_id']}/months/2026-06")).json()
    assert grid["message"] == written.json()
    too_long = await api.put(path, json={"text": "x" * 2001})
    assert too_long.status_code == 422 and fields_of(too_long) == ["text"]
    removed = await api.put(path, json={"text": ""})
    assert removed.json()["text"] == "" and removed.json()["changed_by"] is None


async def test_a_locked_month_refuses_elements_and_the_message(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, start=date(2026, 6, 1))
    base = f"/workers/{hired['worker_id']}/months/2026-06"
    added = await api.post(f"{base}/salary-elements", json={"code": "BONUS", "amount": 10})
    await calendar_store.set_locked(db, tenant=caller.tenant, calendar_id=f"{hired['contract_id']}:2026-06")

    for answer in (
        await api.post(f"{base}/salary-elements", json={"code": "BONUS", "amount": 10}),
        await api.delete(f"{base}/salary-elements/{added.json()['element_id']}"),
        await api.put(f"{base}/message", json={"text": "late"}),
    ):
        assert answer.status_code == 409, answer.text
        assert answer.json()["type"].endswith("month-locked")
    bulk = await api.post(
        "/months/2026-06/salary-elements/bulk",
        json={"code": "BONUS", "items": [{"worker_id": hired["worker_id"], "amount": 5}]},
        headers={"Idempotency-Key": "locked"},
    )
    [result] = bulk.json()["results"]
    assert result["status"] == "refused" and result["problem"]["status"] == 409
    assert result["problem"]["errors"][0]["field"] == "items.0.worker_id"


async def test_a_bulk_with_good_and_bad_items_and_a_replayed_key(api, db, caller) -> None:
    first, second, third = (
        await hire(db, caller.tenant),
        await hire(db, caller.tenant),
        await hire(db, caller.tenant),
    )
    body = {
        "code": "BONUS",
        "items": [
            {"worker_id": first["worker_id"], "amount": "250.00"},
            {"worker_id": second["worker_id"], "amount": 300, "comment": "Team lead"},
            {"worker_id": unique("w-"), "amount": 250},
            {"worker_id": third["worker_id"], "amount": "-1"},
            {"amount": 250},
            {"worker_id": third["worker_id"], "amount": 5, "colour": "red"},
            {"worker_id": first["worker_id"], "amount": 5},
        ],
    }
    headers = {"Idempotency-Key": str(uuid.uuid4())}

    answer = await api.post("/months/2026-06/salary-elements/bulk", json=body, headers=headers)

    assert answer.status_code == 200, answer.text
    results = answer.json()["results"]
    assert answer.json()["month"] == "2026-06" and answer.json()["code"] == "BONUS"
    assert [r["status"] for r in results] == ["created", "created"] + ["refused"] * 5
    assert [r["index"] for r in results] == list(range(7))
    refused = {r["index"]: [e["field"] for e in r["problem"]["errors"]] for r in results if r["status"] == "refused"}
    assert refused == {
        2: ["items.2.worker_id"],  # no contract in June
        3: ["items.3.amount"],
        4: ["items.4.worker_id"],  # missing
        5: ["items.5.colour"],
        6: ["items.6.worker_id"],  # twice in the bulk
    }
    assert results[6]["problem"]["type"].endswith("worker-twice-in-bulk")
    replayed = await api.post("/months/2026-06/salary-elements/bulk", json=body, headers=headers)
    assert replayed.json() == answer.json()
    listed = (await api.get(f"/workers/{second['worker_id']}/months/2026-06/salary-elements")).json()
    assert [(e["amount"], e["comment"], e["element_id"]) for e in listed["items"]] == [
        ("300.00", "Team lead", results[1]["element_id"])
    ]


async def test_a_bulk_needs_a_key_a_salary_element_code_and_1_to_500_items(api, db, caller) -> None:
    hired = await hire(db, caller.tenant)
    url = "/months/2026-06/salary-elements/bulk"
    one = [{"worker_id": hired["worker_id"], "amount": 1}]

    no_key = await api.post(url, json={"code": "BONUS", "items": one})
    assert no_key.status_code == 400 and fields_of(no_key) == ["Idempotency-Key"]
    day_code = await api.post(url, json={"code": "WORK", "items": one}, headers={"Idempotency-Key": "a"})
    assert day_code.status_code == 422 and fields_of(day_code) == ["code"]
    empty = await api.post(url, json={"code": "BONUS", "items": []}, headers={"Idempotency-Key": "b"})
    assert empty.status_code == 422 and fields_of(empty) == ["items"]
    many = await api.post(url, json={"code": "BONUS", "items": one * 501}, headers={"Idempotency-Key": "c"})
    assert many.status_code == 422 and fields_of(many) == ["items"]
    bad_month = await api.post(
        "/months/2026-13/salary-elements/bulk", json={"code": "BONUS", "items": one}, headers={"Idempotency-Key": "d"}
    )
    assert bad_month.status_code == 422 and fields_of(bad_month) == ["month"]


async def test_a_reader_cannot_add(db, caller) -> None:
    reader = Principal("reader", caller.tenant, frozenset({Permission.CALENDAR_READ}))
    app = create_app(CalendarSettings())
    app.dependency_overrides[database] = lambda: db
    app.dependency_overrides[current_principal] = lambda: reader
    hired = await hire(db, caller.tenant)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://calendar") as client:
        base = f"/workers/{hired['worker_id']}/months/2026-06"
        assert (await client.post(f"{base}/salary-elements", json={"code": "BONUS", "amount": 1})).status_code == 403
        assert (await client.put(f"{base}/message", json={"text": "x"})).status_code == 403
        assert (await client.get(f"{base}/salary-elements")).status_code == 200
