"""Workers, personal data and onboarding through people's HTTP edge in process (a scratch database, a caller of
the test's choosing): Locations resolve, refusals are problem+json naming the field, the self-service link works
without a bearer token and reaches only its own form, and the list finds, filters and pages."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from ruche_contracts.permissions import Permission
from ruche_people.api.deps import now
from ruche_people.main import create_app
from ruche_people.settings import PeopleSettings
from ruche_servicekit.app import database
from ruche_servicekit.auth import Principal, current_principal
from ruche_testing import pending_mails, random_enterprise_number

PersonalDataFactory = Callable[..., dict[str, Any]]
PREFIX = "/people"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
Clock = dict[str, datetime]


@pytest.fixture
def clock() -> Clock:
    return {"now": NOW}


@pytest.fixture
async def apps(db: Any, clock: Clock) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, str]]:
    """HR's client (people:read and people:write for a fresh employer) and an anonymous one (the new hire)."""
    app = create_app(PeopleSettings(root_path=PREFIX))
    tenant = random_enterprise_number()
    caller = Principal(
        subject="hr-1", tenant=tenant, permissions=frozenset({Permission.PEOPLE_READ, Permission.PEOPLE_WRITE})
    )
    app.dependency_overrides[database] = lambda: db
    app.dependency_overrides[now] = lambda: clock["now"]
    anonymous = create_app(PeopleSettings(root_path=PREFIX))
    anonymous.dependency_overrides[database] = lambda: db
    anonymous.dependency_overrides[now] = lambda: clock["now"]
    app.dependency_overrides[current_principal] = lambda: caller
    async with (
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://people") as hr,
        httpx.AsyncClient(transport=httpx.ASGITransport(app=anonymous), base_url="http://people") as new_hire,
    ):
        yield hr, new_hire, tenant


@pytest.fixture
def hr(apps: tuple[httpx.AsyncClient, httpx.AsyncClient, str]) -> httpx.AsyncClient:
    return apps[0]


@pytest.fixture
def new_hire(apps: tuple[httpx.AsyncClient, httpx.AsyncClient, str]) -> httpx.AsyncClient:
    return apps[1]


def names(first: str = "Lotte", last: str = "Maes") -> dict[str, str]:
    return {"first_name": first, "last_name": last, "work_email": f"{first.lower()}@example.be"}


def fields_of(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [e["field"] for e in response.json().get("errors", [])]


async def test_a_worker_added_with_personal_data_is_registered_and_its_location_resolves(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    created = await hr.post("/workers", json={**names(), "personal_data": personal_data()})

    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"{PREFIX}/workers/{body['worker_id']}"
    read = await hr.get(created.headers["location"].removeprefix(PREFIX))
    assert read.json() == body
    assert body["registered"] is True
    data = body["personal_data"]
    assert (data["mobile_phone"], data["iban"], data["address"]["postal_code"]) == (
        "+32470123456",
        "BE71096123456769",
        "5000",
    )
    assert data["origins"]["niss"] == "hr"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"iban": "BE71 0961 2345 6760"}, "personal_data.iban"),
        ({"niss": "12345678901"}, "personal_data.niss"),
        ({"nationality": "ZZ"}, "personal_data.nationality"),
        (
            {"address": {"street": "R", "number": "1", "postal_code": "0999", "municipality": "X", "country": "BE"}},
            "personal_data.address.postal_code",
        ),
        ({"civil_status": "engaged"}, "personal_data.civil_status"),
    ],
)
async def test_bad_personal_data_add_no_worker_and_name_the_field(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory, override: dict[str, Any], field: str
) -> None:
    refused = await hr.post("/workers", json={**names(), "personal_data": personal_data(**override)})

    assert refused.status_code == 422
    assert fields_of(refused) == [field]
    assert (await hr.get("/workers")).json()["total"] == 0


async def test_the_same_niss_twice_is_a_conflict_on_the_niss(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    values = personal_data()
    await hr.post("/workers", json={**names(), "personal_data": values})
    second = (await hr.post("/workers", json=names("Anna", "Peeters"))).json()["worker_id"]

    inline = await hr.post("/workers", json={**names("Jan"), "personal_data": values})
    put = await hr.put(f"/workers/{second}/personal-data", json=values)

    assert (inline.status_code, fields_of(inline)) == (409, ["personal_data.niss"])
    assert (put.status_code, fields_of(put)) == (409, ["niss"])
    assert put.json()["type"].endswith("/worker-already-registered")


async def test_the_seed_flow_through_a_self_service_link(
    hr: httpx.AsyncClient, new_hire: httpx.AsyncClient, db: Any, personal_data: PersonalDataFactory
) -> None:
    created = await hr.post(
        "/workers", json={**names("Élodie", "Dubois"), "onboarding": {"email": "e@example.org", "language": "fr"}}
    )
    worker_id = created.json()["worker_id"]
    assert created.json()["onboarding"]["state"] == "sent"
    [mail] = await pending_mails(db, "workers", worker_id)
    token = re.search(r"\{site\}/onboarding/([\w-]+)", mail["body"])[1]  # type: ignore[index]

    form = await new_hire.get(f"/onboarding/{token}")
    bad = await new_hire.put(f"/onboarding/{token}", json={"iban": "nope"})
    draft = await new_hire.put(f"/onboarding/{token}", json={"birth_place": "Mons"})
    early = await new_hire.post(f"/onboarding/{token}/submit")
    await new_hire.put(f"/onboarding/{token}", json=personal_data())
    submitted = await new_hire.post(f"/onboarding/{token}/submit")
    again = await new_hire.get(f"/onboarding/{token}")
    review = await hr.get(f"/workers/{worker_id}/onboarding")
    validated = await hr.post(
        f"/workers/{worker_id}/onboarding/validate", json={"corrections": {"birth_place": "Liège"}}
    )

    assert form.status_code == 200 and form.json()["first_name"] == "Élodie" and form.json()["draft"] == {}
    assert "work_email" not in form.json() and "worker_id" not in form.json()
    assert (bad.status_code, fields_of(bad)) == (422, ["iban"])
    assert draft.json()["draft"] == {"birth_place": "Mons"}
    assert (early.status_code, fields_of(early)) == (422, ["nationality"])
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    assert again.status_code == 410 and again.json()["type"].endswith("/onboarding-link-used")
    assert review.json()["state"] == "submitted" and review.json()["values"]["origins"]["niss"] == "new_hire"
    assert validated.status_code == 200, validated.text
    data = validated.json()["personal_data"]
    assert validated.json()["registered"] and data["birth_place"] == "Liège"
    assert (data["origins"]["birth_place"], data["origins"]["iban"]) == ("hr", "new_hire")


async def test_unknown_and_expired_links_say_so(
    hr: httpx.AsyncClient, new_hire: httpx.AsyncClient, db: Any, clock: Clock
) -> None:
    worker_id = (await hr.post("/workers", json=names())).json()["worker_id"]
    sent = await hr.post(f"/workers/{worker_id}/onboarding", json={"email": "l@example.org", "language": "en"})
    [mail] = await pending_mails(db, "workers", worker_id)
    token = re.search(r"/onboarding/([\w-]+)", mail["body"])[1]  # type: ignore[index]

    unknown = await new_hire.get("/onboarding/not-a-token")
    clock["now"] = NOW + timedelta(days=15)
    expired = await new_hire.get(f"/onboarding/{token}")

    assert sent.status_code == 201 and sent.json()["state"] == "sent"
    assert (unknown.status_code, unknown.json()["type"].rsplit("/", 1)[1]) == (404, "onboarding-link-unknown")
    assert (expired.status_code, expired.json()["type"].rsplit("/", 1)[1]) == (410, "onboarding-link-expired")


async def test_hr_routes_need_a_token_but_the_link_does_not(new_hire: httpx.AsyncClient) -> None:
    assert (await new_hire.get("/workers")).status_code == 401
    assert (await new_hire.post("/workers", json=names())).status_code == 401


async def test_another_employers_worker_answers_404(
    hr: httpx.AsyncClient, db: Any, personal_data: PersonalDataFactory
) -> None:
    from ruche_people.use_cases import workers

    await workers.add_worker(
        db,
        tenant=random_enterprise_number(),
        worker_id="elsewhere",
        first_name="A",
        last_name="B",
        work_email="a@example.be",
        now=NOW,
    )

    assert (await hr.get("/workers/elsewhere")).status_code == 404
    assert (await hr.put("/workers/elsewhere/personal-data", json=personal_data())).status_code == 404


async def test_address_history_and_the_address_on_a_date(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    worker_id = (await hr.post("/workers", json={**names(), "personal_data": personal_data()})).json()["worker_id"]
    home = {"street": "Meir", "number": "1", "postal_code": "2000", "municipality": "Antwerpen", "country": "BE"}

    moved = await hr.post(f"/workers/{worker_id}/addresses", json={"effective_date": "2026-06-01", "address": home})
    bad = await hr.post(
        f"/workers/{worker_id}/addresses",
        json={"effective_date": "2026-06-01", "address": home | {"postal_code": "2001"}},
    )
    history = await hr.get(f"/workers/{worker_id}/addresses")
    in_may = await hr.get(f"/workers/{worker_id}/addresses", params={"on": "2026-05-31"})
    before = await hr.get(f"/workers/{worker_id}/addresses", params={"on": "2000-01-01"})
    married = await hr.post(
        f"/workers/{worker_id}/civil-status", json={"civil_status": "married", "effective_date": "2026-01-10"}
    )
    civil_on = await hr.get(f"/workers/{worker_id}/civil-status", params={"on": "2026-02-01"})

    assert moved.status_code == 201 and moved.json()["address"]["municipality"] == "Antwerpen"
    assert (bad.status_code, fields_of(bad)) == (422, ["address.postal_code"])
    assert [e["effective_date"] for e in history.json()["items"]] == ["2026-03-02", "2026-06-01"]
    assert in_may.json()["address"]["municipality"] == "Namur"
    assert before.status_code == 404
    assert married.status_code == 201
    assert civil_on.json() == {"effective_date": "2026-01-10", "civil_status": "married"}


async def test_the_list_finds_by_name_prefix_without_accents_and_by_niss_sorted_and_paged(
    hr: httpx.AsyncClient, personal_data: PersonalDataFactory
) -> None:
    values = personal_data()
    await hr.post("/workers", json={**names("Élodie", "Dubois"), "personal_data": values})
    await hr.post("/workers", json=names("Emile", "Durand"))
    await hr.post("/workers", json=names("Zoë", "Aerts"))

    by_name = await hr.get("/workers", params={"q": "elo"})
    by_last = await hr.get("/workers", params={"q": "DU", "sort": "-last_name"})
    by_niss = await hr.get("/workers", params={"niss": values["niss"][:6] + "-" + values["niss"][6:]})
    page = await hr.get("/workers", params={"limit": 2, "offset": 2})
    bad_niss = await hr.get("/workers", params={"niss": "123"})

    assert [w["first_name"] for w in by_name.json()["items"]] == ["Élodie"]
    assert [w["last_name"] for w in by_last.json()["items"]] == ["Durand", "Dubois"]
    assert [w["first_name"] for w in by_niss.json()["items"]] == ["Élodie"]
    assert (page.json()["total"], [w["last_name"] for w in page.json()["items"]]) == (3, ["Durand"])
    assert (bad_niss.status_code, fields_of(bad_niss)) == (422, ["niss"])


async def test_the_list_status_on_a_date_comes_from_the_contract_periods(
    hr: httpx.AsyncClient, db: Any, apps: Any
) -> None:
    tenant = apps[2]
    ids = {}
    for first in ("Future", "Active", "Gone", "Nothing"):
        ids[first] = (await hr.post("/workers", json=names(first))).json()["worker_id"]
    periods = {
        "Future": [{"contract_id": "c1", "start": "2026-04-01", "end": None, "cancelled": False}],
        "Active": [{"contract_id": "c2", "start": "2025-01-01", "end": None, "cancelled": False}],
        "Gone": [
            {"contract_id": "c3", "start": "2024-01-01", "end": "2025-12-31", "cancelled": False},
            {"contract_id": "c4", "start": "2026-05-01", "end": None, "cancelled": True},
        ],
    }
    for first, worker_periods in periods.items():
        await db["contract_ledgers"].insert_one(
            {"_id": ids[first], "tenant": tenant, "version": 1, "periods": worker_periods}
        )

    async def named(**params: str) -> list[str]:
        return [w["first_name"] for w in (await hr.get("/workers", params=params)).json()["items"]]

    assert await named(status="in_service") == ["Active"]
    assert await named(status="future") == ["Future"]
    assert await named(status="left") == ["Gone"]
    assert await named(status="in_service", on="2026-04-01") == ["Active", "Future"]
    assert await named(status="in_service", on="2025-06-01") == ["Active", "Gone"]
    listed = {
        w["first_name"]: w["status"] for w in (await hr.get("/workers", params={"on": "2026-04-01"})).json()["items"]
    }
    assert listed == {"Active": "in_service", "Future": "in_service", "Gone": "left", "Nothing": None}
