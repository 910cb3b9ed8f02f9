"""The first flow, all five services taking part, black-box through the gateway."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from .support import PROBLEM_JSON, Employer, eventually, hire, unique


def today():
    return datetime.now(UTC).astimezone(ZoneInfo("Europe/Brussels")).date()


async def declare_workplace(employer: Employer) -> str:
    workplace_id = unique("WP")[:13].upper().ljust(13, "0")
    response = await employer.post(
        "/presence/workplaces",
        {
            "workplace_id": workplace_id,
            "name": "Chantier Gare du Midi",
            "address": {"street": "Avenue Fonsny 47", "postal_code": "1060", "city": "Saint-Gilles"},
        },
    )
    assert response.status_code == 201, response.text
    return workplace_id


async def test_a_hire_reaches_calendar_presence_and_vault(employer: Employer) -> None:
    me = await employer.get("/identity/enterprises/me")
    assert me.status_code == 200
    assert me.json()["enterprise_number"] == employer.enterprise_number

    start = today()
    worker, contract = await hire(employer, start)
    assert float(contract["terms"]["weekly_hours"]) == 38
    fetched = await employer.get(f"/people/workers/{worker['worker_id']}")
    assert fetched.status_code == 200
    assert [c["contract_id"] for c in fetched.json()["contracts"]] == [contract["contract_id"]]

    # calendar: built from the events alone
    async def calendar():
        r = await employer.get("/calendar/calendars", params={"worker_id": worker["worker_id"]})
        return r.json()["items"] if r.status_code == 200 else None

    [cal] = await eventually(calendar, what="the worker's first calendar")
    assert cal["month"] == f"{start:%Y-%m}"
    assert cal["contract_id"] == contract["contract_id"]
    for day in cal["days"]:
        d = datetime.fromisoformat(day["date"]).date()
        if d < start or d.weekday() >= 5:
            assert (day["code"], day["planned_minutes"]) == (None, 0), day
        elif day["code"] == "PH":
            assert day["planned_minutes"] == 0
        else:
            assert (day["code"], day["planned_minutes"]) == ("WORK", 38 * 60 // 5), day
    assert cal["planned_minutes"] == sum(day["planned_minutes"] for day in cal["days"])

    # vault: opened from the events alone, with a 12-digit identifier
    async def vault():
        r = await employer.get(f"/vault/workers/{worker['worker_id']}/vault")
        return r.json() if r.status_code == 200 else None

    opened = await eventually(vault, what="the worker's vault")
    assert len(opened["identifier"]) == 12 and opened["identifier"].isdigit()

    # presence: the worker can be registered once presence has learnt of the contract
    workplace_id = await declare_workplace(employer)

    async def registered():
        r = await employer.post(
            "/presence/registrations",
            {"worker_id": worker["worker_id"], "workplace_id": workplace_id, "date": start.isoformat()},
        )
        return r if r.status_code == 201 else None

    registration = (await eventually(registered, what="a presence registration to be accepted")).json()
    assert registration["receipt_number"]
    assert registration["date"] == start.isoformat()
    consulted = await employer.get(f"/presence/registrations/{registration['registration_id']}")
    assert consulted.json()["receipt_number"] == registration["receipt_number"]

    twice = await employer.post(
        "/presence/registrations",
        {"worker_id": worker["worker_id"], "workplace_id": workplace_id, "date": start.isoformat()},
    )
    assert twice.status_code == 409
    assert twice.headers["content-type"] == PROBLEM_JSON


async def test_a_presence_outside_the_contract_is_refused(employer: Employer) -> None:
    start = today()
    worker, _ = await hire(employer, start.replace(year=start.year + 1))
    workplace_id = await declare_workplace(employer)

    async def refused():
        r = await employer.post(
            "/presence/registrations",
            {"worker_id": worker["worker_id"], "workplace_id": workplace_id, "date": start.isoformat()},
        )
        # until presence has learnt of the worker the refusal names worker_id; then it names the date
        return r if r.status_code == 422 and r.json()["errors"][0]["field"] == "date" else None

    refusal = (await eventually(refused, what="a refusal naming the date")).json()
    assert "contract" in refusal["detail"]
