"""A worker's month grid and day edits through calendar's HTTP edge in process (a scratch database, a caller of
the test's choosing, a fixed clock): months the contract covers are planned on read, a day takes codes and
minutes and gives them back, totals per code and "last modified" follow, and refusals are problem+json naming
the field."""

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
from ruche_calendar.repository import calendars as store
from ruche_calendar.settings import CalendarSettings
from ruche_contracts.payroll_calendar import CalendarDayChanged
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import database
from ruche_servicekit.auth import Principal, current_principal
from ruche_testing import pending_events, random_enterprise_number, unique

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


async def hire(db: Any, tenant: str, start: date, end: date | None = None, schedule=MON_FRI_8) -> dict[str, str]:
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
        minutes_by_weekday=schedule,
    )
    return {"worker_id": worker_id, "contract_id": contract_id}


def fields_of(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM, response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def test_a_later_month_is_planned_on_read_with_its_holidays(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, date(2026, 5, 4))

    answer = await api.get(f"/workers/{hired['worker_id']}/months/2026-11")

    assert answer.status_code == 200, answer.text
    grid = answer.json()
    by_day = {d["date"]: d for d in grid["days"]}
    assert by_day["2026-11-02"]["replacement_for"] == "2026-11-01"  # All Saints' on a Sunday
    assert by_day["2026-11-02"]["planned_code"] == "PH" and by_day["2026-11-02"]["public_holiday"]
    assert by_day["2026-11-11"]["planned_code"] == "PH"
    assert by_day["2026-11-03"] | {} == {
        "date": "2026-11-03",
        "contract_id": hired["contract_id"],
        "planned_code": "WORK",
        "planned_minutes": 480,
        "public_holiday": False,
        "replacement_for": None,
        "entries": [],
    }
    # 21 weekdays, less 2 (replacement) and 11 November
    assert grid["planned_minutes"] == 19 * 480
    assert grid["totals"] == [
        {"code": "PH", "minutes": 2 * 480, "days": 2},
        {"code": "WORK", "minutes": 19 * 480, "days": 19},
    ]
    assert (grid["locked"], grid["last_modified"]) == (False, None)
    assert grid["calendar_ids"] == [f"{hired['contract_id']}:2026-11"]


async def test_a_month_no_contract_covers_is_not_found(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, date(2026, 5, 4), end=date(2026, 7, 31))

    for month in ("2026-04", "2026-08"):
        answer = await api.get(f"/workers/{hired['worker_id']}/months/{month}")
        assert answer.status_code == 404 and answer.json()["type"].endswith("month-not-found"), answer.text
    assert (await api.get(f"/workers/{unique('w-')}/months/2026-05")).status_code == 404
    assert fields_of(await api.get(f"/workers/{hired['worker_id']}/months/2026-13")) == ["month"]


async def test_paid_leave_on_a_day_shows_in_the_grid_totals_and_last_modified_and_raises_an_event(
    api, db, caller
) -> None:
    hired = await hire(db, caller.tenant, date(2026, 6, 1))
    path = f"/workers/{hired['worker_id']}/months/2026-06/days/2026-06-09"

    answer = await api.put(path, json={"entries": [{"code": "hol", "minutes": 480}]})

    assert answer.status_code == 200, answer.text
    grid = answer.json()
    [day] = [d for d in grid["days"] if d["date"] == "2026-06-09"]
    assert day["entries"] == [{"code": "HOL", "minutes": 480}] and day["planned_minutes"] == 480
    assert {"code": "HOL", "minutes": 480, "days": 1} in grid["totals"]
    assert {"code": "WORK", "minutes": 21 * 480, "days": 21} in grid["totals"]  # 22 weekdays, one on leave
    assert grid["last_modified"] == {"by": "hr-7", "at": "2026-06-03T09:30:00Z"}
    assert (await api.get(f"/workers/{hired['worker_id']}/months/2026-06")).json() == grid
    events = await pending_events(db, store.CALENDARS, f"{hired['contract_id']}:2026-06")
    changed = [e.data for e in events if isinstance(e.data, CalendarDayChanged)]
    assert [(c.date, c.changed_by, [(x.code, x.minutes) for x in c.entries]) for c in changed] == [
        (date(2026, 6, 9), "hr-7", [("HOL", 480)])
    ]

    reset = await api.delete(path)
    assert reset.status_code == 200, reset.text
    [day] = [d for d in reset.json()["days"] if d["date"] == "2026-06-09"]
    assert day["entries"] == []
    assert reset.json()["totals"] == [{"code": "WORK", "minutes": 22 * 480, "days": 22}]


async def test_a_month_not_stored_yet_is_stored_by_its_first_edit(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, date(2026, 5, 4))

    answer = await api.put(
        f"/workers/{hired['worker_id']}/months/2026-09/days/2026-09-15",
        json={"entries": [{"code": "SICK-GS", "minutes": 480}]},
    )

    assert answer.status_code == 200, answer.text
    listed = await api.get("/calendars", params={"worker_id": hired["worker_id"], "month": "2026-09"})
    [stored] = listed.json()["items"]
    assert stored["calendar_id"] == f"{hired['contract_id']}:2026-09"
    again = await api.put(
        f"/workers/{hired['worker_id']}/months/2026-09/days/2026-09-16",
        json={"entries": [{"code": "WORK", "minutes": 240}, {"code": "HOL", "minutes": 240}]},
    )
    assert again.status_code == 200, again.text
    edited = {d["date"]: d["entries"] for d in again.json()["days"] if d["entries"]}
    assert edited == {
        "2026-09-15": [{"code": "SICK-GS", "minutes": 480}],
        "2026-09-16": [{"code": "WORK", "minutes": 240}, {"code": "HOL", "minutes": 240}],
    }


async def test_bad_edits_are_refused_naming_the_field(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, date(2026, 6, 10), end=date(2026, 6, 30))
    base = f"/workers/{hired['worker_id']}/months/2026-06/days"

    def put(day: str, *entries: tuple[str, int]):
        return api.put(f"{base}/{day}", json={"entries": [{"code": c, "minutes": m} for c, m in entries]})

    too_long = await put("2026-06-11", ("WORK", 1441))
    assert too_long.status_code == 422 and fields_of(too_long) == ["entries.0.minutes"]
    negative = await put("2026-06-11", ("WORK", -1))
    assert negative.status_code == 422 and fields_of(negative) == ["entries.0.minutes"]
    over_a_day = await put("2026-06-11", ("WORK", 1000), ("OT", 1000))
    assert over_a_day.status_code == 422 and fields_of(over_a_day) == ["entries"]
    before = await put("2026-06-09", ("HOL", 480))
    assert before.status_code == 422 and fields_of(before) == ["date"]
    other_month = await api.put(f"/workers/{hired['worker_id']}/months/2026-06/days/2026-07-01", json={"entries": []})
    assert other_month.status_code == 422 and fields_of(other_month) == ["date"]
    unknown = await put("2026-06-11", ("NOPE", 60))
    assert unknown.status_code == 404 and fields_of(unknown) == ["code"]
    inactive = await put("2026-06-11", ("TRAIN", 480))  # not active unless the employer activates it
    assert inactive.status_code == 422 and fields_of(inactive) == ["code"]
    element = await put("2026-06-11", ("BONUS", 10))
    assert element.status_code == 422 and fields_of(element) == ["code"]


async def test_a_locked_month_refuses_edits(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, date(2026, 6, 1))
    await store.set_locked(db, tenant=caller.tenant, calendar_id=f"{hired['contract_id']}:2026-06")
    path = f"/workers/{hired['worker_id']}/months/2026-06/days/2026-06-09"

    for answer in (await api.put(path, json={"entries": [{"code": "HOL", "minutes": 480}]}), await api.delete(path)):
        assert answer.status_code == 409, answer.text
        assert answer.json()["type"].endswith("month-locked")
    assert (await api.get(f"/workers/{hired['worker_id']}/months/2026-06")).json()["locked"] is True


async def test_another_employer_sees_no_month(api, db, caller) -> None:
    hired = await hire(db, random_enterprise_number(), date(2026, 6, 1))

    assert (await api.get(f"/workers/{hired['worker_id']}/months/2026-06")).status_code == 404
    put = await api.put(f"/workers/{hired['worker_id']}/months/2026-06/days/2026-06-09", json={"entries": []})
    assert put.status_code == 404


async def test_a_calendar_read_by_id_shows_edited_days_and_the_lock(api, db, caller) -> None:
    hired = await hire(db, caller.tenant, date(2026, 6, 1))
    calendar_id = f"{hired['contract_id']}:2026-06"
    put = await api.put(
        f"/workers/{hired['worker_id']}/months/2026-06/days/2026-06-09",
        json={"entries": [{"code": "HOL", "minutes": 240}]},
    )
    assert put.status_code == 200, put.text
    await store.set_locked(db, tenant=caller.tenant, calendar_id=calendar_id)

    calendar = (await api.get(f"/calendars/{calendar_id}")).json()

    assert calendar["locked"] is True
    [day] = [d for d in calendar["days"] if d["date"] == "2026-06-09"]
    assert day == {
        "date": "2026-06-09",
        "code": "WORK",
        "planned_minutes": 480,
        "replacement_for": None,
        "entries": [{"code": "HOL", "minutes": 240}],
    }
