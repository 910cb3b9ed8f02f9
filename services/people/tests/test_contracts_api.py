"""Contracts through people's HTTP edge in process (a scratch database, a caller of the test's choosing, a fixed
clock): the Location of a contract resolves, versions read on a date, readiness speaks the caller's language,
joint committees are listed, and refusals are problem+json naming the field."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from ruche_contracts.permissions import Permission
from ruche_people.api.deps import now
from ruche_people.main import create_app
from ruche_people.settings import PeopleSettings
from ruche_servicekit.app import database
from ruche_servicekit.auth import Principal, current_principal
from ruche_testing import random_enterprise_number

PersonalDataFactory = Callable[..., dict[str, Any]]
PREFIX = "/people"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
START = date(2026, 3, 9)
PROBLEM = "application/problem+json"


@pytest.fixture
async def hr(db: Any) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(PeopleSettings(root_path=PREFIX, dimona_enabled=False))
    caller = Principal(
        subject="hr-1",
        tenant=random_enterprise_number(),
        permissions=frozenset({Permission.PEOPLE_READ, Permission.PEOPLE_WRITE}),
    )
    app.dependency_overrides[database] = lambda: db
    app.dependency_overrides[now] = lambda: NOW
    app.dependency_overrides[current_principal] = lambda: caller
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://people") as client:
        yield client


def contract_body(start: date = START, **overrides: Any) -> dict[str, Any]:
    body = {
        "payroll_provider": "ruche",
        "start_date": start.isoformat(),
        "contract_type": "open_ended",
        "weekly_hours": "38",
        "full_time_weekly_hours": "38",
        "schedule": {"mon": "7.6", "tue": "7.6", "wed": "7.6", "thu": "7.6", "fri": "7.6"},
        "gross_monthly_salary": "3150.00",
        "joint_committee": "200",
        "worker_type": "OTH",
        "job_title": "Vendeuse",
    }
    return body | overrides


async def new_worker(hr: httpx.AsyncClient, personal_data: PersonalDataFactory | None = None) -> str:
    body: dict[str, Any] = {"first_name": "Lotte", "last_name": "Maes", "work_email": "lotte@example.be"}
    if personal_data is not None:
        body["personal_data"] = personal_data()
    created = await hr.post("/workers", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["worker_id"])


def fields_of(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM, response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def test_a_signed_contract_resolves_at_its_location_with_its_dimona(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    worker_id = await new_worker(hr, personal_data)
    signed = await hr.post(f"/workers/{worker_id}/contracts", json=contract_body())
    assert signed.status_code == 201, signed.text
    contract = signed.json()
    location = signed.headers["location"]
    assert location == f"{PREFIX}/workers/{worker_id}/contracts/{contract['contract_id']}"
    fetched = await hr.get(location.removeprefix(PREFIX))
    assert fetched.status_code == 200 and fetched.json() == contract
    assert contract["status"] == "future" and contract["start_date"] == "2026-03-09"
    assert contract["dimona"] == {
        "state": "to_declare",
        "applicable": True,
        "period_id": None,
        "declared": None,
        "late": False,
        "declarations": [],
    }
    assert contract["terms"]["minutes_by_weekday"]["mon"] == 456 and contract["terms"]["part_time_ratio"] == "1.0000"
    assert [v["version"] for v in contract["versions"]] == [1]
    listed = (await hr.get(f"/workers/{worker_id}/contracts")).json()
    assert [c["contract_id"] for c in listed["items"]] == [contract["contract_id"]]


async def test_another_payroll_provider_is_said_and_readiness_names_what_is_missing(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    other = await new_worker(hr, personal_data)
    signed = (await hr.post(f"/workers/{other}/contracts", json=contract_body(payroll_provider="other"))).json()
    assert signed["dimona"]["state"] == "not_applicable" and not signed["dimona"]["applicable"]

    waiting = await new_worker(hr)
    contract = (await hr.post(f"/workers/{waiting}/contracts", json=contract_body())).json()
    assert contract["dimona"]["state"] == "waiting_for_data"
    path = f"/workers/{waiting}/contracts/{contract['contract_id']}/readiness"
    dutch = (await hr.get(path, headers={"Accept-Language": "nl-BE,nl;q=0.9"})).json()
    assert dutch["ready"] is False and dutch["language"] == "nl"
    assert [m["field"] for m in dutch["missing"]] == ["worker.personal_data", "worker.niss", "worker.birth_date"]
    assert dutch["missing"][1]["message"].startswith("Het rijksregisternummer")

    await hr.put(f"/workers/{waiting}/personal-data", json=personal_data())
    assert (await hr.get(path)).json() == {"ready": True, "language": "en", "missing": []}
    again = (await hr.get(f"/workers/{waiting}/contracts/{contract['contract_id']}")).json()
    assert again["dimona"]["state"] == "to_declare"


async def test_amendments_read_on_a_date_end_and_cancel(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    worker_id = await new_worker(hr, personal_data)
    path = f"/workers/{worker_id}/contracts"
    contract_id = (await hr.post(path, json=contract_body())).json()["contract_id"]
    part_time = {
        "effective_date": (START + timedelta(days=28)).isoformat(),
        "weekly_hours": "19",
        "schedule": {"mon": "7.6", "tue": "7.6", "wed": "3.8"},
        "gross_monthly_salary": "1575.00",
    }
    amended = await hr.post(f"{path}/{contract_id}/amendments", json=part_time)
    assert amended.status_code == 200, amended.text
    before = (await hr.get(f"{path}/{contract_id}", params={"on": (START + timedelta(days=27)).isoformat()})).json()
    after = (await hr.get(f"{path}/{contract_id}", params={"on": part_time["effective_date"]})).json()
    assert float(before["terms_on"]["weekly_hours"]) == 38 and float(after["terms_on"]["weekly_hours"]) == 19
    assert after["terms_on"]["version"] == 2 and len(after["versions"]) == 2 and after["terms"]["job_title"]
    too_early = await hr.post(f"{path}/{contract_id}/amendments", json=part_time | {"effective_date": "2026-03-01"})
    assert too_early.status_code == 422 and fields_of(too_early) == ["effective_date"]

    ended = await hr.post(f"{path}/{contract_id}/end", json={"end_date": "2026-06-30", "reason": "end of trial"})
    assert ended.status_code == 200 and ended.json()["ended"]["end_date"] == "2026-06-30"
    assert ended.json()["end_date"] == "2026-06-30"

    later = (await hr.post(path, json=contract_body(date(2026, 9, 1)))).json()["contract_id"]
    cancelled = await hr.post(f"{path}/{later}/cancel", json={"reason": "withdrew"})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = await hr.post(f"{path}/{later}/cancel")
    assert again.status_code == 409 and again.headers["content-type"] == PROBLEM
    retry = await hr.post(f"{path}/{contract_id}/dimona/retry")
    assert retry.status_code == 409


async def test_refusals_are_problems_naming_the_field(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    worker_id = await new_worker(hr, personal_data)
    path = f"/workers/{worker_id}/contracts"
    cases = [
        (contract_body(joint_committee="999"), 422, ["joint_committee"]),
        (contract_body(contract_type="fixed_term"), 422, ["end_date"]),
        (contract_body(end_date="2026-03-01"), 422, ["end_date"]),
        (contract_body(start_date="9999-01-01"), 422, ["start_date"]),
        (contract_body(gross_monthly_salary="0"), 422, ["gross_monthly_salary"]),
        (contract_body(worker_type="STU"), 422, ["worker_type"]),
        (contract_body(schedule={"mon": "8"}), 422, ["schedule"]),
        (contract_body(contract_type="permanent"), 422, ["contract_type"]),
        (contract_body(weekly_hours="lots"), 422, ["weekly_hours"]),
        ({k: v for k, v in contract_body().items() if k != "payroll_provider"}, 422, ["payroll_provider"]),
    ]
    for body, status, fields in cases:
        refused = await hr.post(path, json=body)
        assert (refused.status_code, fields_of(refused)) == (status, fields), body
    assert (await hr.post(path, json=contract_body())).status_code == 201
    overlap = await hr.post(path, json=contract_body(START + timedelta(days=10)))
    assert overlap.status_code == 409 and fields_of(overlap) == ["start_date"]
    assert (await hr.get(f"{path}/nope")).status_code == 404
    assert (await hr.get("/workers/nope/contracts")).status_code == 404
    assert (await hr.post("/workers/nope/contracts", json=contract_body())).status_code == 404


async def test_joint_committees_are_listed_in_the_callers_language(hr: httpx.AsyncClient) -> None:
    french = (await hr.get("/joint-committees", params={"q": "hôtel"}, headers={"Accept-Language": "fr"})).json()
    assert french["items"] == [{"number": "302", "label": "Commission paritaire de l'industrie hôtelière"}]
    everything = (await hr.get("/joint-committees", headers={"Accept-Language": "nl"})).json()
    assert (
        everything["total"] > 90
        and {"number": "200", "label": "Aanvullend paritair comité voor de bedienden"} in (everything["items"])
    )
