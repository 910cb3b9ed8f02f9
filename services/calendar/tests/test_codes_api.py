"""Calendar codes through calendar's HTTP edge in process (a scratch database, a caller of the test's choosing):
the employer's codes labelled in the caller's language, a type activated with its two switches, and every
refusal a problem+json naming the field."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from ruche_calendar.main import create_app
from ruche_calendar.repository import code_settings
from ruche_calendar.settings import CalendarSettings
from ruche_contracts.payroll_calendar import CodeSettingsChanged
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import database
from ruche_servicekit.auth import Principal, current_principal
from ruche_testing import pending_events, random_enterprise_number


@pytest.fixture
async def clients(db: Any) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, str]]:
    """HR's client (calendar:read and calendar:write) and a reader's (calendar:read only), of one fresh employer."""
    tenant = random_enterprise_number()
    hr = Principal("hr-1", tenant, frozenset({Permission.CALENDAR_READ, Permission.CALENDAR_WRITE}))
    reader = Principal("reader-1", tenant, frozenset({Permission.CALENDAR_READ}))
    apps = []
    for principal in (hr, reader):
        app = create_app(CalendarSettings(root_path="/calendar"))
        app.dependency_overrides[database] = lambda: db
        app.dependency_overrides[current_principal] = lambda principal=principal: principal
        apps.append(app)
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[0]), base_url="http://calendar") as hr_client,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=apps[1]), base_url="http://calendar") as reader_client,
    ):
        yield hr_client, reader_client, tenant


@pytest.fixture
def hr(clients: tuple[httpx.AsyncClient, httpx.AsyncClient, str]) -> httpx.AsyncClient:
    return clients[0]


def fields_of(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def test_the_employers_active_codes_come_labelled_in_the_callers_language(hr: httpx.AsyncClient) -> None:
    listed = await hr.get("/codes", headers={"Accept-Language": "nl-BE,nl;q=0.9"})

    assert listed.status_code == 200, listed.text
    body = listed.json()
    by_code = {c["code"]: c for c in body["items"]}
    assert body["total"] == len(body["items"]) == 10
    assert "TRAIN" not in by_code  # inactive by default
    assert by_code["HOL"] | {"updated_at": None} == {
        "code": "HOL",
        "label": "Wettelijke vakantie",
        "labels": {
            "fr": "Congé payé (vacances légales)",
            "nl": "Wettelijke vakantie",
            "en": "Paid leave (statutory holidays)",
        },
        "kind": "performance",
        "unit": "half_day",
        "dmfa_code": 1,
        "worked": False,
        "meal_voucher": False,
        "max_hours_per_day": 24,
        "leave_type": True,
        "always_active": False,
        "note": by_code["HOL"]["note"],
        "active": True,
        "requestable": True,
        "needs_validation": True,
        "updated_at": None,
        "updated_by": None,
    }


async def test_inactive_types_show_on_demand_and_kinds_filter(hr: httpx.AsyncClient) -> None:
    everything = (await hr.get("/codes", params={"include_inactive": "true"})).json()
    elements = (await hr.get("/codes", params={"kind": "salary_element", "include_inactive": True})).json()

    assert everything["total"] == 16
    assert {c["code"]: c["active"] for c in everything["items"]}["TRAIN"] is False
    assert [c["code"] for c in elements["items"]] == ["BONUS", "3110", "5000", "5003", "5071", "5084"]
    assert {c["unit"] for c in elements["items"]} == {"amount", "unit_days"}
    assert fields_of(await hr.get("/codes", params={"kind": "holiday"})) == ["kind"]


async def test_one_code_in_english_by_default_and_an_unknown_one_is_404(hr: httpx.AsyncClient) -> None:
    found = await hr.get("/codes/sick-gs", headers={"Accept-Language": "de"})
    unknown = await hr.get("/codes/NOPE")

    assert found.status_code == 200, found.text
    assert (found.json()["code"], found.json()["label"]) == ("SICK-GS", "Sickness – guaranteed salary")
    assert unknown.status_code == 404
    assert unknown.json()["type"].endswith("/unknown-code")
    assert fields_of(unknown) == ["code"]


async def test_activating_a_type_with_its_two_switches(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient, str], db: Any
) -> None:
    hr, _, tenant = clients

    changed = await hr.put(
        "/codes/TRAIN/settings",
        json={"active": True, "requestable": False, "needs_validation": True},
        headers={"Accept-Language": "fr"},
    )

    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["label"], body["active"], body["requestable"], body["needs_validation"]) == (
        "Journée de formation",
        True,
        False,
        True,
    )
    assert body["updated_by"] == "hr-1" and body["updated_at"]
    assert "TRAIN" in {c["code"] for c in (await hr.get("/codes")).json()["items"]}
    [event] = await pending_events(db, code_settings.CODE_SETTINGS, f"{tenant}:TRAIN")
    assert event.data == CodeSettingsChanged(
        enterprise_number=tenant, code="TRAIN", active=True, requestable=False, needs_validation=True, changed_by="hr-1"
    )


async def test_refusals_name_the_field(hr: httpx.AsyncClient) -> None:
    work_off = await hr.put("/codes/WORK/settings", json={"active": False})
    requestable_overtime = await hr.put("/codes/OT/settings", json={"active": True, "requestable": True})
    validated_bonus = await hr.put("/codes/BONUS/settings", json={"active": True, "needs_validation": True})
    unknown = await hr.put("/codes/NOPE/settings", json={"active": True})
    not_a_bool = await hr.put("/codes/HOL/settings", json={"active": "yes"})
    missing = await hr.put("/codes/HOL/settings", json={"requestable": True})

    assert (work_off.status_code, fields_of(work_off)) == (422, ["active"])
    assert (requestable_overtime.status_code, fields_of(requestable_overtime)) == (422, ["requestable"])
    assert (validated_bonus.status_code, fields_of(validated_bonus)) == (422, ["needs_validation"])
    assert (unknown.status_code, fields_of(unknown)) == (404, ["code"])
    assert (not_a_bool.status_code, fields_of(not_a_bool)) == (422, ["active"])
    assert (missing.status_code, fields_of(missing)) == (422, ["active"])
    assert (await hr.get("/codes/WORK")).json()["active"] is True


async def test_reading_needs_calendar_read_and_changing_calendar_write(
    clients: tuple[httpx.AsyncClient, httpx.AsyncClient, str],
) -> None:
    _, reader, _ = clients

    assert (await reader.get("/codes")).status_code == 200
    assert (await reader.put("/codes/TRAIN/settings", json={"active": True})).status_code == 403
