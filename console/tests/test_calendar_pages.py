"""The month grid, a day's edit and the leave types, in process, against a stand-in of calendar's API shaped as its
README says: the grid shows plan, holidays, entries and totals in French, an edit reaches the API as minutes, each
refusal sits next to its input, and the leave types' switches are sent as booleans. (The real stack is
tests/browser/test_calendar_pages.py.)"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from ruche_console.gateway import ApiError, Gateway
from ruche_console.main import create_app
from ruche_console.pages.hr.calendars import parse_hours
from ruche_console.sessions import Session, SessionStore, Signed
from ruche_console.settings import ConsoleSettings

from .test_people_pages import error_next_to, problem

WORKER = "6f1c2f4e-0000-4000-8000-000000000001"
NOW = datetime.now(UTC)
GRID = f"/calendar/workers/{WORKER}/months/2026-11"


def month_grid() -> dict[str, Any]:
    days = []
    for n in range(1, 31):
        day = datetime(2026, 11, n).date()
        weekday = day.weekday() < 5
        entry: dict[str, Any] = {
            "date": day.isoformat(),
            "contract_id": "c-1",
            "planned_code": "WORK" if weekday else None,
            "planned_minutes": 456 if weekday else 0,
            "public_holiday": False,
            "replacement_for": None,
            "entries": [],
        }
        if n == 2:  # 1 November is a Sunday: replaced on Monday the 2nd
            entry |= {
                "planned_code": "PH",
                "planned_minutes": 0,
                "public_holiday": True,
                "replacement_for": "2026-11-01",
            }
        if n == 11:
            entry |= {"planned_code": "PH", "planned_minutes": 0, "public_holiday": True}
        days.append(entry)
    return {
        "worker_id": WORKER,
        "month": "2026-11",
        "calendar_ids": ["c-1:2026-11"],
        "locked": False,
        "planned_minutes": 456 * 19,
        "totals": [{"code": "PH", "minutes": 912, "days": 2}, {"code": "WORK", "minutes": 456 * 19, "days": 19}],
        "last_modified": None,
        "days": days,
        "salary_elements": [],
        "message": None,
    }


CODES = [
    {
        "code": "WORK",
        "label": "Travail planifié",
        "kind": "performance",
        "unit": "hours",
        "leave_type": False,
        "always_active": True,
        "active": True,
        "requestable": False,
        "needs_validation": False,
    },
    {
        "code": "PH",
        "label": "Jour férié / jour de remplacement",
        "kind": "performance",
        "unit": "day",
        "leave_type": False,
        "always_active": True,
        "active": True,
        "requestable": False,
        "needs_validation": False,
    },
    {
        "code": "HOL",
        "label": "Congé payé (vacances légales)",
        "kind": "performance",
        "unit": "half_day",
        "leave_type": True,
        "always_active": False,
        "active": True,
        "requestable": True,
        "needs_validation": True,
    },
    {
        "code": "BONUS",
        "label": "Prime",
        "kind": "salary_element",
        "unit": "amount",
        "leave_type": False,
        "always_active": False,
        "active": True,
        "requestable": False,
        "needs_validation": False,
    },
    {
        "code": "5003",
        "label": "Remboursement de frais par jour",
        "kind": "salary_element",
        "unit": "unit_days",
        "leave_type": False,
        "always_active": False,
        "active": True,
        "requestable": False,
        "needs_validation": False,
    },
    {
        "code": "TRAIN",
        "label": "Jour de formation",
        "kind": "performance",
        "unit": "day",
        "leave_type": True,
        "always_active": False,
        "active": False,
        "requestable": True,
        "needs_validation": True,
    },
]


class CalendarApi(Gateway):
    """People's worker and calendar's month grid and codes, in memory; `refuse` makes the next call refuse."""

    def __init__(self) -> None:
        super().__init__("http://calendar.invalid")
        self.calls: list[tuple[str, str, Any, dict[str, Any], dict[str, str]]] = []
        self.refuse: dict[tuple[str, str], httpx.Response] = {}
        self.grid = month_grid()

    async def request(
        self,
        session: Session | None,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        headers: Any = None,
    ) -> httpx.Response:
        self.calls.append((method, path, json, dict(params or {}), dict(headers or {})))
        answer = self.refuse.pop((method, path), None) or self.answer(method, path, json, params or {})
        if answer.status_code >= 400:
            raise ApiError(answer.status_code, answer.json())
        return answer

    def answer(self, method: str, path: str, body: Any, params: dict[str, Any]) -> httpx.Response:
        if (method, path) == ("GET", f"/people/workers/{WORKER}"):
            return httpx.Response(200, json={"worker_id": WORKER, "first_name": "Marc", "last_name": "Dubois"})
        if (method, path) == ("GET", GRID):
            return httpx.Response(200, json=self.grid)
        if path.startswith(f"{GRID}/days/") and method in ("PUT", "DELETE"):
            day = path.rsplit("/", 1)[-1]
            for planned in self.grid["days"]:
                if planned["date"] == day:
                    planned["entries"] = body["entries"] if method == "PUT" else []
            self.grid["last_modified"] = {"by": "hr", "at": "2026-11-03T09:30:00Z"}
            self.grid["totals"] = [{"code": "HOL", "minutes": 480, "days": 1}] + self.grid["totals"]
            return httpx.Response(200, json=self.grid)
        if (method, path) == ("POST", f"{GRID}/salary-elements"):
            amount = body.get("amount") or str(Decimal(body["unit_amount"]) * int(body["days"]))
            element = {"element_id": "e-1", "unit": "amount", "amount": amount, "unit_amount": None, "days": None}
            self.grid["salary_elements"].append(body | element)
            return httpx.Response(201, json=element)
        if (method, path) == ("DELETE", f"{GRID}/salary-elements/e-1"):
            self.grid["salary_elements"] = []
            return httpx.Response(204)
        if (method, path) == ("PUT", f"{GRID}/message"):
            self.grid["message"] = {"text": body["text"]}
            return httpx.Response(200, json=self.grid["message"])
        if (method, path) == ("GET", "/calendar/codes"):
            items = [c for c in CODES if c["active"] or params.get("include_inactive") == "true"]
            items = [c for c in items if c["kind"] == params.get("kind", c["kind"])]
            return httpx.Response(200, json={"items": items, "total": len(items)})
        if method == "PUT" and path.startswith("/calendar/codes/"):
            code = path.split("/")[3]
            found = copy.deepcopy(next(c for c in CODES if c["code"] == code))
            return httpx.Response(200, json=found | body)
        if path.startswith("/calendar/workers/"):
            return problem(404, "month-not-found")
        return problem(404, "not-found")


@pytest.fixture
def api() -> CalendarApi:
    return CalendarApi()


@pytest.fixture
async def hr(api: CalendarApi, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
    """A browser signed in as HR, in French; the stand-in API behind the console; sessions in memory."""
    sessions: dict[str, Session] = {}

    async def load(self: SessionStore, session_id: str | None, now: datetime) -> Session:
        return sessions.get(session_id or "") or self.fresh(now)

    async def save(self: SessionStore, session: Session) -> None:
        sessions[session.id] = session

    monkeypatch.setattr(SessionStore, "load", load)
    monkeypatch.setattr(SessionStore, "save", save)
    app = create_app(ConsoleSettings(mongodb_url="mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=1"))
    app.state.gateway = api
    permissions = ["people:read", "calendar:read", "calendar:write"]
    signed = Signed("hr", "t", "user", permissions, "hr.user", "token", NOW + timedelta(hours=1))
    sessions["sid"] = Session(id="sid", csrf="csrf", created_at=NOW, seen_at=NOW, language="fr", signed=signed)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://console", headers={"Accept": "text/html"}) as c:
        c.cookies.set("ruche_session", "sid")
        yield c


def form(**values: str) -> dict[str, Any]:
    return {
        "content": urlencode({"csrf_token": "csrf", **values}),
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    }


async def test_the_month_grid_shows_plan_holidays_totals_and_its_neighbours(hr: httpx.AsyncClient) -> None:
    page = await hr.get(f"/hr/workers/{WORKER}/calendar/2026-11")
    assert page.status_code == 200, page.text
    assert "Calendrier : novembre 2026" in page.text
    assert "7:36" in page.text and "144:24 h" in page.text  # 19 days of 7:36
    assert "Jour de remplacement" in page.text and "(1 novembre)" in page.text
    assert "Jour férié" in page.text
    assert "Jour férié / jour de remplacement" in page.text and "Travail planifié" in page.text  # the totals
    assert (
        f"/hr/workers/{WORKER}/calendar/2026-10" in page.text and f"/hr/workers/{WORKER}/calendar/2026-12" in page.text
    )
    assert f"/hr/workers/{WORKER}/calendar/2026-11/days/2026-11-09" in page.text
    assert "aucune depuis la planification" in page.text


async def test_a_month_no_contract_covers_is_a_404_with_the_navigation(hr: httpx.AsyncClient) -> None:
    page = await hr.get(f"/hr/workers/{WORKER}/calendar/2026-10")
    assert page.status_code == 404
    assert "Il n'y a pas de calendrier pour octobre 2026." in page.text
    assert f"/hr/workers/{WORKER}/calendar/2026-11" in page.text
    assert (await hr.get(f"/hr/workers/{WORKER}/calendar/2026-13")).status_code == 404


async def test_a_day_is_saved_as_minutes_and_the_totals_follow(hr: httpx.AsyncClient, api: CalendarApi) -> None:
    day = f"/hr/workers/{WORKER}/calendar/2026-11/days/2026-11-09"
    page = await hr.get(day)
    assert page.status_code == 200, page.text
    assert "lundi 9 novembre 2026" in page.text
    assert '<option value="HOL">Congé payé (vacances légales)</option>' in page.text
    assert "TRAIN" not in page.text  # inactive codes are not offered
    saved = await hr.post(day, **form(code_1="HOL", hours_1="4:00", code_2="WORK", hours_2="3,6"))
    assert saved.status_code == 303 and saved.headers["location"].endswith("/calendar/2026-11#day-2026-11-09")
    put = next(c for c in api.calls if c[0] == "PUT")
    assert put[2] == {"entries": [{"code": "HOL", "minutes": 240}, {"code": "WORK", "minutes": 216}]}
    grid = await hr.get(saved.headers["location"])
    assert "La journée est enregistrée" in grid.text
    assert "Congé payé (vacances légales)" in grid.text and "par vous (hr.user) le 3 nov. 2026" in grid.text
    reset = await hr.post(f"{day}/reset", **form())
    assert reset.status_code == 303 and ("DELETE", f"{GRID}/days/2026-11-09") in [c[:2] for c in api.calls]


async def test_refusals_are_said_next_to_the_code_or_the_hours(hr: httpx.AsyncClient, api: CalendarApi) -> None:
    day = f"/hr/workers/{WORKER}/calendar/2026-11/days/2026-11-09"
    typed = await hr.post(day, **form(code_1="HOL", hours_1="huit"))
    assert typed.status_code == 400
    assert error_next_to(typed.text, "hours_1") == "Tapez les heures comme 8:00, 7:36 ou 7,6."
    path = f"{GRID}/days/2026-11-09"
    api.refuse[("PUT", path)] = problem(422, "validation-error", "entries.0.minutes", "less_than_equal")
    too_long = await hr.post(day, **form(code_1="HOL", hours_1="25:00"))
    assert error_next_to(too_long.text, "hours_1").startswith("Une journée compte de 0 à 24 heures")
    assert 'value="25:00"' in too_long.text
    api.refuse[("PUT", path)] = problem(422, "inactive-code", "code")
    inactive = await hr.post(day, **form(code_1="TRAIN", hours_1="8"))
    assert error_next_to(inactive.text, "code_1").startswith("Ce code n'est pas actif dans votre entreprise")
    assert '<option value="TRAIN" selected>' in inactive.text  # kept, though no longer offered
    api.refuse[("PUT", path)] = problem(409, "month-locked")
    locked = await hr.post(day, **form(code_1="HOL", hours_1="8"))
    assert "Ce mois a été envoyé au secrétariat social" in locked.text.replace("&#39;", "'")
    api.refuse[("PUT", path)] = problem(422, "day-outside-contract", "date")
    outside = await hr.post(day, **form(code_1="HOL", hours_1="8"))
    assert "Ce jour est en dehors du contrat du travailleur." in outside.text


async def test_leave_types_show_inactive_ones_on_request_and_send_both_switches(
    hr: httpx.AsyncClient, api: CalendarApi
) -> None:
    page = await hr.get("/hr/leave-types")
    assert page.status_code == 200, page.text
    assert "Congé payé (vacances légales)" in page.text and "Jour de formation" not in page.text
    assert "Toujours actif" in page.text and "Afficher les types inactifs" in page.text
    every = await hr.get("/hr/leave-types", params={"inactive": "1"})
    assert "Jour de formation" in every.text and "Masquer les types inactifs" in every.text
    activated = await hr.post(
        "/hr/leave-types/TRAIN", **form(action="activate", leave_type="1", requestable="on", inactive="1")
    )
    assert activated.status_code == 303 and activated.headers["location"] == "/hr/leave-types?inactive=1#code-TRAIN"
    put = next(c for c in api.calls if c[0] == "PUT")
    assert put[1:3] == (
        "/calendar/codes/TRAIN/settings",
        {"active": True, "requestable": True, "needs_validation": False},
    )
    await hr.post("/hr/leave-types/HOL", **form(action="deactivate", leave_type="1"))
    assert api.calls[-1][2] == {"active": False}
    api.refuse[("PUT", "/calendar/codes/WORK/settings")] = problem(422, "code-always-active", "active")
    refused = await hr.post("/hr/leave-types/WORK", **form(action="deactivate"))
    assert refused.status_code == 400 and "sont toujours actifs" in refused.text


async def test_salary_elements_and_the_message_are_written_from_the_month(
    hr: httpx.AsyncClient, api: CalendarApi
) -> None:
    month = f"/hr/workers/{WORKER}/calendar/2026-11"
    grid = await hr.get(month)
    assert "Aucun élément de salaire ce mois-ci." in grid.text and "Message au secrétariat social" in grid.text
    new = await hr.get(f"{month}/salary-elements/new")
    assert new.status_code == 200, new.text
    assert '<option value="BONUS">Prime</option>' in new.text and "Congé payé" not in new.text
    api.refuse[("POST", f"{GRID}/salary-elements")] = problem(422, "amount-refused", "amount")
    refused = await hr.post(f"{month}/salary-elements", **form(code="BONUS", amount="-4"))
    assert refused.status_code == 400
    assert error_next_to(refused.text, "amount").startswith("Un montant en euros, supérieur à 0")
    added = await hr.post(f"{month}/salary-elements", **form(code="BONUS", amount="1.400,50", comment="Q4"))
    assert added.status_code == 303 and added.headers["location"] == f"{month}#salary-elements"
    assert api.calls[-1][2] == {"code": "BONUS", "amount": "1400.50", "comment": "Q4"}
    grid = await hr.get(month)
    assert "Prime" in grid.text and "1\u202f400,50\xa0€" in grid.text and "Q4" in grid.text
    removed = await hr.post(f"{month}/salary-elements/e-1/remove", **form())
    assert removed.status_code == 303 and api.calls[-1][:2] == ("DELETE", f"{GRID}/salary-elements/e-1")
    written = await hr.post(f"{month}/message", **form(text="Prime de fin d'année : voir contrat."))
    assert written.status_code == 303 and api.calls[-1][2] == {"text": "Prime de fin d'année : voir contrat."}
    assert "Prime de fin d&#39;année : voir contrat." in (await hr.get(month)).text


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("8:00", 480), ("7:36", 456), ("8", 480), ("8h30", 510), ("7,6", 456), ("7.5", 450), ("0", 0), ("25:00", 1500)],
)
def test_hours_are_read_as_belgians_type_them(typed: str, minutes: int) -> None:
    assert parse_hours(typed) == minutes


@pytest.mark.parametrize("typed", ["huit", "8:75", "-1", "", "8:00:00"])
def test_other_hours_are_refused(typed: str) -> None:
    assert parse_hours(typed) is None
