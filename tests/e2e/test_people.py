"""People and contracts through the gateway against the real stack (issue 8): the seed's hiring flow with the
self-service link read from the real e-mail, Dimona declarations answered by the ONSS simulator, history on a
date, and bulk hire."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from ruche_devstack.stack import Stack

from .support import (
    PROBLEM_JSON,
    Employer,
    contract_body,
    dimona_state,
    eventually,
    mail_to,
    personal_data,
    unique,
    worker_body,
)
from .test_hiring_flow import declare_workplace, today

ACCEPTED = ("accepted", "accepted_with_warnings")


def next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7 or 7)


async def simulator_declarations(stack: Stack, ssin: str) -> list[dict[str, Any]]:
    async with httpx.AsyncClient(base_url=stack.onss_url, timeout=10) as onss:
        answer = await onss.get("/_simulator/declarations", params={"ssin": ssin})
    assert answer.status_code == 200, answer.text
    declarations: list[dict[str, Any]] = answer.json()
    return declarations


def declaration_types(declarations: list[dict[str, Any]]) -> list[str]:
    kinds = []
    for declaration in declarations:
        body = declaration.get("body") or declaration.get("declaration") or declaration
        kinds += [k.removeprefix("dimona").upper() for k in body if k.startswith("dimona")]
    return kinds


async def test_the_seed_flow_from_the_self_service_link_to_a_presence(
    employer: Employer, gateway: httpx.AsyncClient, stack: Stack
) -> None:
    # Step one: names and work e-mail, and "send a self-service link" to the new hire's own address.
    private = f"{unique('new.hire.')}@example.be"
    added = await employer.post(
        "/people/workers",
        worker_body(with_personal_data=False, first_name="Inès") | {"onboarding": {"email": private, "language": "fr"}},
    )
    assert added.status_code == 201, added.text
    worker_id = added.json()["worker_id"]
    assert (await gateway.get(added.headers["Location"], headers=employer.headers())).status_code == 200

    # The link, from the real mail; behind it only the new hire's own form, without any token.
    mail = await mail_to(stack, private)
    link = re.search(r"https?://\S+/onboarding/([A-Za-z0-9_-]+)", mail.get_content())
    assert link, mail.get_content()
    form_path = f"/people/onboarding/{link.group(1)}"
    form = await gateway.get(form_path)
    assert form.status_code == 200, form.text
    assert form.json()["first_name"] == "Inès"
    assert "niss" not in str(form.json().get("draft") or {})

    # A draft, then the whole form submitted.
    data = personal_data(birth_place="Dinant")
    draft = await gateway.put(form_path, json={"iban": data["iban"], "mobile_phone": data["mobile_phone"]})
    assert draft.status_code == 200, draft.text
    assert (await gateway.put(form_path, json=data)).status_code == 200
    submitted = await gateway.post(f"{form_path}/submit")
    assert submitted.status_code == 200, submitted.text
    used = await gateway.get(form_path)
    assert used.status_code == 410 and used.headers["content-type"] == PROBLEM_JSON
    assert used.json()["type"].endswith("onboarding-link-used")

    # HR reviews (each field says it came from the new hire), corrects one and validates.
    review = await employer.get(f"/people/workers/{worker_id}/onboarding")
    assert review.status_code == 200 and review.json()["state"] == "submitted", review.text
    validated = await employer.post(
        f"/people/workers/{worker_id}/onboarding/validate", {"corrections": {"birth_place": "Namur"}}
    )
    assert validated.status_code == 200, validated.text
    worker = (await employer.get(f"/people/workers/{worker_id}")).json()
    assert worker["registered"] is True
    assert origin_of(worker, "birth_place") == "hr"
    assert origin_of(worker, "iban") == "new_hire"

    # A contract four days a week, 9.5 hours a day, from next Monday: the IN leaves by itself and is accepted.
    start = next_weekday(today(), 0)
    schedule = {"mon": "9.5", "tue": "9.5", "wed": "9.5", "thu": "9.5"}
    signed = await employer.post(
        f"/people/workers/{worker_id}/contracts", contract_body(start, weekly_hours="38", schedule=schedule)
    )
    assert signed.status_code == 201, signed.text
    contract_id = signed.json()["contract_id"]
    fetched = await gateway.get(signed.headers["Location"], headers=employer.headers())
    assert fetched.status_code == 200 and fetched.json()["contract_id"] == contract_id
    accepted = await dimona_state(employer, worker_id, contract_id, *ACCEPTED)
    [declaration] = accepted["dimona"]["declarations"]
    assert declaration["type"] == "IN" and declaration["result"] in ("A", "W")
    assert accepted["dimona"]["period_id"]

    # Calendar: planned from the schedule (570 minutes Monday to Thursday, nothing on Fridays).
    async def first_calendar() -> dict[str, Any] | None:
        answer = await employer.get("/calendar/calendars", params={"worker_id": worker_id})
        items = answer.json()["items"] if answer.status_code == 200 else []
        return next((c for c in items if c["month"] == f"{start:%Y-%m}"), None)

    calendar = await eventually(first_calendar, what="the first month's calendar")
    for day in calendar["days"]:
        on = date.fromisoformat(day["date"])
        if on >= start and day["code"] == "WORK":
            assert on.weekday() < 4 and day["planned_minutes"] == 570, day
        if on >= start and on.weekday() == 4:
            assert day["planned_minutes"] == 0, day

    # Presence: the worker is in service from the accepted Dimona on.
    workplace_id = await declare_workplace(employer)

    async def registered() -> httpx.Response | None:
        answer = await employer.post(
            "/presence/registrations",
            {"worker_id": worker_id, "workplace_id": workplace_id, "date": start.isoformat()},
        )
        return answer if answer.status_code == 201 else None

    registration = (await eventually(registered, what="a presence on a day in service")).json()
    assert registration["receipt_number"]


def origin_of(worker: dict[str, Any], field: str) -> str:
    data = worker["personal_data"]
    origins = worker.get("origins") or data.get("origins") or {}
    if field in origins:
        return str(origins[field])
    value = data[field]
    return str(value["origin"])


async def test_a_used_expired_or_unknown_link_says_so(employer: Employer, gateway: httpx.AsyncClient) -> None:
    unknown = await gateway.get(f"/people/onboarding/{uuid.uuid4().hex}")
    assert unknown.status_code == 404 and unknown.json()["type"].endswith("onboarding-link-unknown")


async def test_a_student_over_the_quota_is_refused_by_onss_then_corrected(employer: Employer, stack: Stack) -> None:
    # 38 hours a week for 20 weeks is 760 hours: over the 650 a student may work in a year, ONSS refuses.
    start = next_weekday(today(), 0)
    if start.year != (start + timedelta(weeks=20)).year:
        start = date(start.year + 1, 1, 5)
    body = worker_body()
    worker = await employer.post("/people/workers", body)
    assert worker.status_code == 201, worker.text
    worker_id, ssin = worker.json()["worker_id"], body["personal_data"]["niss"]
    student = contract_body(
        start,
        contract_type="student",
        worker_type="STU",
        end_date=(start + timedelta(weeks=20)).isoformat(),
        gross_monthly_salary=None,
        hourly_wage="13.50",
    )
    signed = await employer.post(f"/people/workers/{worker_id}/contracts", student)
    assert signed.status_code == 201, signed.text
    contract_id = signed.json()["contract_id"]

    refused = await dimona_state(employer, worker_id, contract_id, "refused")
    [declaration] = refused["dimona"]["declarations"]
    assert declaration["result"] == "B"
    assert declaration["anomalies"] and all(a["label"]["fr"] and a["label"]["nl"] for a in declaration["anomalies"])

    # The correction: ten weeks (380 hours); Ruche declares the IN again and ONSS accepts it.
    amended = await employer.post(
        f"/people/workers/{worker_id}/contracts/{contract_id}/amendments",
        student | {"effective_date": start.isoformat(), "end_date": (start + timedelta(weeks=10)).isoformat()},
    )
    assert amended.status_code in (200, 201), amended.text
    accepted = await dimona_state(employer, worker_id, contract_id, *ACCEPTED)
    assert [d["type"] for d in accepted["dimona"]["declarations"]] == ["IN", "IN"]
    assert declaration_types(await simulator_declarations(stack, ssin)) == ["IN", "IN"]


async def test_amendment_early_end_and_cancel_send_update_out_and_cancel(employer: Employer, stack: Stack) -> None:
    start = next_weekday(today(), 0)
    body = worker_body()
    worker_id = (await employer.post("/people/workers", body)).json()["worker_id"]
    ssin = body["personal_data"]["niss"]
    path = f"/people/workers/{worker_id}/contracts"
    fixed = contract_body(start, contract_type="fixed_term", end_date=(start + timedelta(days=180)).isoformat())
    contract_id = (await employer.post(path, fixed)).json()["contract_id"]
    await dimona_state(employer, worker_id, contract_id, *ACCEPTED)

    # The end date moves: an UPDATE.
    longer = fixed | {"effective_date": start.isoformat(), "end_date": (start + timedelta(days=270)).isoformat()}
    assert (await employer.post(f"{path}/{contract_id}/amendments", longer)).status_code in (200, 201)

    async def declared(*kinds: str) -> list[str] | None:
        seen = declaration_types(await simulator_declarations(stack, ssin))
        return seen if seen == list(kinds) else None

    await eventually(lambda: declared("IN", "UPDATE"), what="an UPDATE at ONSS")
    await dimona_state(employer, worker_id, contract_id, *ACCEPTED)

    # It ends early: an OUT.
    early = {"end_date": (start + timedelta(days=30)).isoformat(), "reason": "end of trial"}
    ended = await employer.post(f"{path}/{contract_id}/end", early)
    assert ended.status_code == 200, ended.text
    await eventually(lambda: declared("IN", "UPDATE", "OUT"), what="an OUT at ONSS")

    # A second contract, later, is cancelled before it starts: a CANCEL.
    later = start + timedelta(days=60)
    second = (await employer.post(path, contract_body(later))).json()["contract_id"]
    await dimona_state(employer, worker_id, second, *ACCEPTED)
    cancelled = await employer.post(f"{path}/{second}/cancel", {"reason": "the hire withdrew"})
    assert cancelled.status_code == 200, cancelled.text
    await eventually(lambda: declared("IN", "UPDATE", "OUT", "IN", "CANCEL"), what="a CANCEL at ONSS")
    contract = (await employer.get(f"{path}/{second}")).json()
    assert contract["status"] == "cancelled"


async def test_the_address_and_the_contract_on_a_date(employer: Employer) -> None:
    start = next_weekday(today(), 0)
    worker_id = (await employer.post("/people/workers", worker_body())).json()["worker_id"]
    moved_on = start + timedelta(days=40)
    new_address = {
        "street": "Meir",
        "number": "2",
        "box": None,
        "postal_code": "2000",
        "municipality": "Antwerpen",
        "country": "BE",
    }
    moved = await employer.post(
        f"/people/workers/{worker_id}/addresses", {"effective_date": moved_on.isoformat(), "address": new_address}
    )
    assert moved.status_code in (200, 201), moved.text

    async def address_on(day: date) -> dict[str, Any]:
        answer = await employer.get(f"/people/workers/{worker_id}/addresses", params={"on": day.isoformat()})
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found.get("address", found)

    assert (await address_on(moved_on - timedelta(days=1)))["postal_code"] == "1000"
    assert (await address_on(moved_on))["postal_code"] == "2000"
    bad = await employer.post(
        f"/people/workers/{worker_id}/addresses",
        {"effective_date": moved_on.isoformat(), "address": new_address | {"postal_code": "9999"}},
    )
    assert bad.status_code == 422 and "postal_code" in str(bad.json())

    path = f"/people/workers/{worker_id}/contracts"
    contract_id = (await employer.post(path, contract_body(start))).json()["contract_id"]
    part_time_from = start + timedelta(days=28)
    part_time = contract_body(
        start,
        weekly_hours="19",
        schedule={"mon": "7.6", "tue": "7.6", "wed": "3.8"},
        gross_monthly_salary="1575.00",
    ) | {"effective_date": part_time_from.isoformat()}
    assert (await employer.post(f"{path}/{contract_id}/amendments", part_time)).status_code in (200, 201)
    before_amendment_day = part_time_from - timedelta(days=1)
    before = (await employer.get(f"{path}/{contract_id}", params={"on": before_amendment_day.isoformat()})).json()
    after = (await employer.get(f"{path}/{contract_id}", params={"on": part_time_from.isoformat()})).json()
    assert float(before["terms_on"]["weekly_hours"]) == 38
    assert float(after["terms_on"]["weekly_hours"]) == 19
    assert len(after["versions"]) == 2

    too_early = part_time | {"effective_date": (start - timedelta(days=1)).isoformat()}
    refused = await employer.post(f"{path}/{contract_id}/amendments", too_early)
    assert refused.status_code == 422 and "effective_date" in str(refused.json())


async def test_bulk_hire_answers_per_item_and_a_replayed_key_creates_nothing(employer: Employer) -> None:
    start = next_weekday(today(), 0)
    good = [worker_body() | {"contract": contract_body(start)} for _ in range(2)]
    bad = worker_body() | {"contract": contract_body(start)}
    bad["personal_data"] = bad["personal_data"] | {"iban": "BE00000000000000"}
    items = [good[0], bad, good[1]]
    key = str(uuid.uuid4())

    first = await employer.post("/people/workers/bulk", {"items": items}, headers={"Idempotency-Key": key})
    assert first.status_code == 200, first.text
    results = first.json()["results"]
    assert [r["status"] for r in results] == ["created", "refused", "created"]
    assert "iban" in str(results[1]["problem"])
    assert all(r["worker_id"] and r["contract_id"] for r in (results[0], results[2]))

    async def listed() -> int:
        answer = await employer.get("/people/workers", params={"limit": 1})
        return int(answer.json()["total"])

    count = await listed()
    again = await employer.post("/people/workers/bulk", {"items": items}, headers={"Idempotency-Key": key})
    assert again.status_code == 200 and again.json() == first.json()
    assert await listed() == count

    without_key = await employer.post("/people/workers/bulk", {"items": items})
    assert without_key.status_code in (400, 422) and without_key.headers["content-type"] == PROBLEM_JSON
