"""The people and contract pages, in process, against a stand-in of people's API shaped as its README says: every
page renders in French, what is typed reaches the API in its notation, and each refusal sits next to its input in
the page's language. (The real stack is tests/browser/test_people_pages.py.)"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
from ruche_console.gateway import ApiError, Gateway
from ruche_console.main import create_app
from ruche_console.pages.hr.forms import decimal_input
from ruche_console.sessions import Session, SessionStore, Signed
from ruche_console.settings import ConsoleSettings

WORKER = "6f1c2f4e-0000-4000-8000-000000000001"
CONTRACT = "6f1c2f4e-0000-4000-8000-0000000000c1"
PROBLEMS = "https://ruche.example/problems/"
NOW = datetime.now(UTC)

PERSONAL = {
    "nationality": {"value": "BE", "origin": "new_hire"},
    "niss": {"value": "85073003328", "origin": "new_hire"},
    "birth_date": {"value": "1985-07-30", "origin": "new_hire"},
    "birth_place": {"value": "Namur", "origin": "new_hire"},
    "sex": {"value": "M", "origin": "new_hire"},
    "civil_status": {"value": "married", "origin": "hr"},
    "civil_status_date": {"value": "2015-06-20", "origin": "hr"},
    "language": {"value": "fr", "origin": "new_hire"},
    "private_email": {"value": "marc@example.be", "origin": "new_hire"},
    "mobile_phone": {"value": "+32470123456", "origin": "new_hire"},
    "iban": {"value": "BE71096123456769", "origin": "hr"},
    "address": {
        "value": {
            "street": "Rue de la Loi",
            "number": "16",
            "box": None,
            "postal_code": "1000",
            "municipality": "Bruxelles",
            "country": "BE",
        },
        "origin": "new_hire",
    },
}
TERMS = {
    "payroll_provider": "ruche",
    "start_date": "2026-03-01",
    "end_date": None,
    "contract_type": "open_ended",
    "weekly_hours": "38",
    "full_time_weekly_hours": "38",
    "schedule": {"mon": "7.6", "tue": "7.6", "wed": "7.6", "thu": "7.6", "fri": "7.6"},
    "gross_monthly_salary": "3150.00",
    "hourly_wage": None,
    "joint_committee": "200",
    "worker_type": "OTH",
    "job_title": "Vendeur",
}


def problem(status: int, kind: str, field: str | None = None, error_type: str | None = None) -> httpx.Response:
    body: dict[str, Any] = {"type": PROBLEMS + kind, "title": kind, "status": status, "detail": f"{kind} (English)"}
    if field:
        body["errors"] = [{"field": field, "location": "body", "message": "no", "type": error_type or kind}]
    return httpx.Response(status, json=body)


class PeopleApi(Gateway):
    """People's API as its README describes it, in memory; `refuse` makes the next call to a path refuse."""

    def __init__(self) -> None:
        super().__init__("http://people.invalid")
        self.calls: list[tuple[str, str, Any, dict[str, str]]] = []
        self.refuse: dict[tuple[str, str], httpx.Response] = {}
        self.dimona: dict[str, Any] = {"state": "refused", "declarations": []}

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
        self.calls.append((method, path, json, dict(headers or {})))
        answer = self.refuse.pop((method, path), None) or self.answer(method, path, params or {})
        if answer.status_code >= 400:
            raise ApiError(answer.status_code, answer.json())
        return answer

    def answer(self, method: str, path: str, params: dict[str, Any]) -> httpx.Response:
        worker = f"/people/workers/{WORKER}"
        contract = f"{worker}/contracts/{CONTRACT}"
        routes: dict[tuple[str, str], Any] = {
            ("GET", "/people/workers"): {
                "items": [
                    {
                        "worker_id": WORKER,
                        "first_name": "Marc",
                        "last_name": "Dubois",
                        "work_email": "marc@entreprise.be",
                        "registered": True,
                        "created_at": "2026-02-01T10:00:00Z",
                        "status": "in_service",
                    }
                ],
                "total": 1,
                "limit": 50,
                "offset": 0,
            },
            ("POST", "/people/workers"): {"worker_id": WORKER},
            ("GET", worker): {
                "worker_id": WORKER,
                "first_name": "Marc",
                "last_name": "Dubois",
                "work_email": "marc@entreprise.be",
                "registered": True,
                "personal_data": PERSONAL,
                "onboarding": {"state": "validated"},
                "contracts": [],
            },
            ("GET", f"{worker}/addresses"): [
                {"effective_date": "2020-01-01", "address": PERSONAL["address"]["value"]},
            ],
            ("GET", f"{worker}/civil-status"): [{"effective_date": "2015-06-20", "civil_status": "married"}],
            ("GET", f"{worker}/onboarding"): {
                "state": "submitted",
                "email": "marc@example.be",
                "expires_at": (NOW + timedelta(days=14)).isoformat(),
                "values": PERSONAL,
            },
            ("POST", f"{worker}/onboarding"): {"state": "sent", "expires_at": "2026-03-15T10:00:00+00:00"},
            ("PUT", f"{worker}/personal-data"): {},
            ("GET", f"{worker}/contracts"): [
                {"contract_id": CONTRACT, **TERMS, "status": "active", "dimona": {"state": "refused"}}
            ],
            ("POST", f"{worker}/contracts"): {"contract_id": CONTRACT},
            ("GET", contract): {
                "contract_id": CONTRACT,
                "status": "active",
                **TERMS,
                "versions": [{"version": 1, "effective_date": "2026-03-01", "terms": TERMS}],
                "dimona": self.dimona,
            },
            ("GET", f"{contract}/readiness"): {
                "ready": False,
                "missing": [{"field": "iban", "message": "Le numéro de compte (IBAN) manque."}],
            },
            ("GET", "/people/joint-committees"): [
                {"number": "200", "label": {"fr": "Commission paritaire auxiliaire pour employés"}},
                {"number": "302", "label": {"fr": "Commission paritaire de l'industrie hôtelière"}},
            ],
            ("GET", "/calendar/calendars"): {"items": [], "total": 0, "limit": 200, "offset": 0},
            ("GET", "/people/onboarding/good"): {
                "first_name": "Marc",
                "last_name": "Dubois",
                "language": "nl",
                "expires_at": (NOW + timedelta(days=14)).isoformat(),
                "draft": {"birth_place": "Namur"},
            },
            ("PUT", "/people/onboarding/good"): {},
            ("POST", "/people/onboarding/good/submit"): {},
        }
        if (method, path) == ("GET", "/people/workers") and params.get("status") not in (None, "", "in_service"):
            return httpx.Response(200, json={"items": [], "total": 0, "limit": 50, "offset": 0})
        if (method, path) in routes:
            return httpx.Response(200, json=routes[(method, path)])
        if path == "/people/onboarding/old":
            return problem(410, "onboarding-link-expired")
        if path.startswith("/people/onboarding/"):
            return problem(404, "onboarding-link-unknown")
        if method == "POST" and path.startswith(contract):
            return httpx.Response(200, json={})
        return problem(404, "not-found")


@pytest.fixture
def api() -> PeopleApi:
    return PeopleApi()


@pytest.fixture
async def hr(api: PeopleApi, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[httpx.AsyncClient]:
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
    signed = Signed("hr", "t", "user", ["people:read", "people:write"], "hr.user", "token", NOW + timedelta(hours=1))
    session = Session(id="sid", csrf="csrf", created_at=NOW, seen_at=NOW, language="fr", signed=signed)
    sessions["sid"] = session
    transport = httpx.ASGITransport(app=app)
    headers = {"Accept": "text/html"}
    async with httpx.AsyncClient(transport=transport, base_url="http://console", headers=headers) as client:
        client.cookies.set("ruche_session", "sid")
        yield client


def form(**values: str) -> dict[str, Any]:
    return {
        "content": urlencode({"csrf_token": "csrf", **values}),
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    }


def error_next_to(page: str, name: str) -> str:
    """The message of the field named `name` (as the forms macro writes it)."""
    found = re.search(rf'<p class="error" id="{re.escape(name.replace(".", "-"))}-error">([^<]*)</p>', page)
    assert found, f"no error next to {name}"
    return found.group(1).replace("&#39;", "'")


async def test_the_worker_list_searches_sorts_and_shows_the_status(hr: httpx.AsyncClient, api: PeopleApi) -> None:
    page = await hr.get("/hr/workers", params={"q": "dub", "niss": "85.07.30-033.28", "sort": "-last_name"})
    assert page.status_code == 200, page.text
    assert "Dubois" in page.text and "En service" in page.text
    assert "Ajouter un travailleur" in page.text
    method, path, _, _ = api.calls[0]
    assert (method, path) == ("GET", "/people/workers")
    assert len(api.calls) == 1  # each listed worker comes with its status: one call
    assert 'aria-sort="descending"' in page.text
    assert "sort=last_name" in page.text  # the header turns the order around


async def test_adding_a_worker_takes_names_first_then_offers_the_self_service_link(
    hr: httpx.AsyncClient, api: PeopleApi
) -> None:
    created = await hr.post(
        "/hr/workers", **form(first_name="Marc", last_name="Dubois", work_email="marc@entreprise.be")
    )
    assert created.status_code == 303 and created.headers["location"] == f"/hr/workers/{WORKER}/next"
    assert api.calls[-1][2] == {"first_name": "Marc", "last_name": "Dubois", "work_email": "marc@entreprise.be"}
    choice = await hr.get(f"/hr/workers/{WORKER}/next")
    assert "Oui, envoyer un lien en libre-service" in choice.text
    assert "Non, je complète moi-même les données personnelles" in choice.text

    api.refuse[("POST", f"/people/workers/{WORKER}/onboarding")] = problem(422, "x", "email", "value_error")
    refused = await hr.post(f"/hr/workers/{WORKER}/onboarding", **form(email="nope", language="nl", step="next"))
    assert refused.status_code == 400
    assert error_next_to(refused.text, "email") == "Ce n'est pas une adresse e-mail valable."
    sent = await hr.post(f"/hr/workers/{WORKER}/onboarding", **form(email="marc@example.be", language="nl"))
    assert sent.status_code == 303
    assert api.calls[-1][2] == {"email": "marc@example.be", "language": "nl"}
    worker = await hr.get(sent.headers["location"])
    assert "Le lien en libre-service a été envoyé à marc@example.be" in worker.text
    assert "15 mars 2026" in worker.text


async def test_the_worker_page_shows_each_values_origin_and_the_history(hr: httpx.AsyncClient) -> None:
    page = await hr.get(f"/hr/workers/{WORKER}", params={"on": "2021-01-01"})
    assert page.status_code == 200, page.text
    assert "85.07.30-033.28" in page.text and "BE71 0961 2345 6769" in page.text
    assert "Nouvelle recrue" in page.text and "RH" in page.text
    assert "Rue de la Loi 16, 1000 Bruxelles" in page.text
    assert "Marié" in page.text


async def test_refused_personal_data_are_said_next_to_their_inputs(hr: httpx.AsyncClient, api: PeopleApi) -> None:
    api.refuse[("PUT", f"/people/workers/{WORKER}/personal-data")] = httpx.Response(
        422,
        json={
            "type": PROBLEMS + "invalid-personal-data",
            "status": 422,
            "errors": [
                {"field": "iban", "type": "invalid-personal-data", "message": "bad IBAN"},
                {"field": "address.postal_code", "type": "invalid-personal-data", "message": "unknown"},
                {"field": "birth_place", "type": "missing", "message": "Field required"},
            ],
        },
    )
    typed = {"niss": "85.07.30-033.28", "iban": "be71 0961 2345 6760", "address.postal_code": "1999"}
    page = await hr.post(f"/hr/workers/{WORKER}/personal-data", **form(**typed, **{"address.box": ""}))
    assert page.status_code == 400
    assert error_next_to(page.text, "iban").startswith("Ce n'est pas un IBAN valable")
    assert error_next_to(page.text, "address.postal_code") == "Ce code postal n'existe pas en Belgique."
    assert error_next_to(page.text, "birth_place") == "Ce champ est obligatoire."
    sent = next(body for method, _, body, _ in api.calls if method == "PUT")
    assert sent["niss"] == "85073003328" and sent["iban"] == "BE71096123456760"
    assert sent["address"]["postal_code"] == "1999" and sent["address"]["box"] is None
    saved = await hr.post(f"/hr/workers/{WORKER}/personal-data", **form(**typed))
    assert saved.status_code == 303 and saved.headers["location"] == f"/hr/workers/{WORKER}#personal-data"
    again = await hr.get(f"/hr/workers/{WORKER}/personal-data")
    assert 'value="85.07.30-033.28"' in again.text and 'value="BE71 0961 2345 6769"' in again.text


async def test_the_contract_form_sends_the_schedule_and_one_pay(hr: httpx.AsyncClient, api: PeopleApi) -> None:
    page = await hr.get(f"/hr/workers/{WORKER}/contracts/new")
    assert page.status_code == 200, page.text
    assert "Commission paritaire auxiliaire pour employés" in page.text
    assert ("GET", "/people/joint-committees") in [(m, p) for m, p, _, _ in api.calls]
    assert any(h.get("Accept-Language") == "fr" for _, p, _, h in api.calls if p == "/people/joint-committees")
    contract = f"/people/workers/{WORKER}/contracts"
    api.refuse[("POST", contract)] = problem(422, "invalid-contract", "gross_monthly_salary", "greater_than")
    typed = {
        "payroll_provider": "ruche",
        "start_date": "2026-03-01",
        "end_date": "",
        "contract_type": "open_ended",
        "weekly_hours": "19,5",
        "full_time_weekly_hours": "38",
        "schedule.mon": "7,6",
        "schedule.tue": "7,6",
        "schedule.wed": "4,3",
        "pay": "monthly",
        "gross_monthly_salary": "0",
        "hourly_wage": "15",
        "joint_committee": "200",
        "worker_type": "OTH",
        "job_title": "",
    }
    refused = await hr.post(f"/hr/workers/{WORKER}/contracts", **form(**typed))
    assert refused.status_code == 400
    assert error_next_to(refused.text, "gross_monthly_salary").startswith("Un montant mensuel en euros")
    body = next(j for m, p, j, _ in api.calls if (m, p) == ("POST", contract))
    assert body["schedule"] == {"mon": "7.6", "tue": "7.6", "wed": "4.3"}
    assert body["weekly_hours"] == "19.5" and "hourly_wage" not in body and body["end_date"] is None

    api.refuse[("POST", contract)] = problem(422, "invalid-contract", "end_date")
    typed |= {"gross_monthly_salary": "2.100,00", "start_date": "2026-03-01", "end_date": "2026-02-01"}
    refused = await hr.post(f"/hr/workers/{WORKER}/contracts", **form(**typed))
    assert error_next_to(refused.text, "end_date") == "La date de fin précède la date de début."
    signed = await hr.post(f"/hr/workers/{WORKER}/contracts", **form(**typed))
    assert signed.headers["location"] == f"/hr/workers/{WORKER}/contracts/{CONTRACT}"


async def test_the_contract_page_shows_readiness_and_every_declaration(hr: httpx.AsyncClient, api: PeopleApi) -> None:
    api.dimona["declarations"] = [
        {
            "declaration_id": "d1",
            "type": "IN",
            "sent_at": "2026-03-02T09:00:00Z",
            "result": "B",
            "late": True,
            "anomalies": [
                {"code": "00913-361", "label": {"fr": "La date de fin manque.", "nl": "Einddatum ontbreekt."}}
            ],
        }
    ]
    page = await hr.get(f"/hr/workers/{WORKER}/contracts/{CONTRACT}")
    assert page.status_code == 200, page.text
    assert "Le numéro de compte (IBAN) manque." in page.text
    assert "00913-361" in page.text and "La date de fin manque." in page.text
    assert "Refusée" in page.text and "en retard" in page.text
    assert "Déclarer à nouveau" in page.text
    readiness = [h for _, p, _, h in api.calls if p.endswith("/readiness")]
    assert readiness == [{"Accept-Language": "fr"}]
    retried = await hr.post(f"/hr/workers/{WORKER}/contracts/{CONTRACT}/dimona/retry", **form())
    assert retried.status_code == 303


async def test_the_new_hires_form_needs_no_sign_in_and_dead_links_say_why(
    hr: httpx.AsyncClient, api: PeopleApi
) -> None:
    hr.cookies.clear()  # a visitor without a session
    page = await hr.get("/onboarding/good")
    assert page.status_code == 200, page.text
    assert "Welkom, Marc" in page.text  # the language HR chose for the new hire
    assert 'value="Namur"' in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    data = {"csrf_token": csrf.group(1), "action": "draft", "birth_place": "Dinant", "niss": ""}
    saved = await hr.post("/onboarding/good", data=data)
    assert saved.status_code == 303
    assert api.calls[-1][1:3] == ("/people/onboarding/good", {"birth_place": "Dinant"})
    done = await hr.post("/onboarding/good", data={**data, "action": "submit"})
    assert done.status_code == 200 and "Bedankt" in done.text
    assert api.calls[-1][:2] == ("POST", "/people/onboarding/good/submit")
    expired = await hr.get("/onboarding/old")
    assert expired.status_code == 410 and "Deze link is verlopen" in expired.text
    unknown = await hr.get("/onboarding/nope")
    assert unknown.status_code == 404 and "Deze link bestaat niet" in unknown.text
    assert json.dumps(api.calls).count("Authorization") == 0


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("3.150,50", "3150.50"),
        ("3 150,50 €", "3150.50"),
        ("2.900", "2900"),
        ("1.650.000", "1650000"),
        ("38,5", "38.5"),
        ("7.6", "7.6"),
        ("3150.00", "3150.00"),
        ("trois mille", "trois mille"),
    ],
)
def test_amounts_are_read_as_belgians_type_them(typed: str, sent: str) -> None:
    assert decimal_input(typed) == sent
