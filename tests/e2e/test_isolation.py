"""Tenants are walls: another employer's token sees none of the first employer's data."""

from __future__ import annotations

from .support import Employer, contract_body, eventually, hire
from .test_hiring_flow import declare_workplace, today


async def test_another_employer_sees_nothing(employer: Employer, other_employer: Employer) -> None:
    start = today()
    worker, _ = await hire(employer, start)
    worker_id = worker["worker_id"]

    async def calendar_id():
        r = await employer.get("/calendar/calendars", params={"worker_id": worker_id})
        return r.json()["items"][0]["calendar_id"] if r.status_code == 200 and r.json()["items"] else None

    cal_id = await eventually(calendar_id, what="the calendar")
    await eventually(lambda: _ok(employer, f"/vault/workers/{worker_id}/vault"), what="the vault")
    workplace_id = await declare_workplace(employer)

    async def registration_id():
        r = await employer.post(
            "/presence/registrations", {"worker_id": worker_id, "workplace_id": workplace_id, "date": start.isoformat()}
        )
        return r.json()["registration_id"] if r.status_code == 201 else None

    reg_id = await eventually(registration_id, what="the registration")

    for path in (
        f"/people/workers/{worker_id}",
        f"/people/workers/{worker_id}/contracts",
        f"/calendar/calendars/{cal_id}",
        f"/presence/registrations/{reg_id}",
        f"/vault/workers/{worker_id}/vault",
    ):
        response = await other_employer.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert response.headers["content-type"] == "application/problem+json"

    assert (await other_employer.get("/people/workers")).json()["items"] == []
    assert (await other_employer.get("/calendar/calendars")).json()["items"] == []
    assert (await other_employer.get("/presence/registrations")).json()["items"] == []
    assert (await other_employer.get("/presence/workplaces")).json()["items"] == []
    assert (await other_employer.get("/vault/vaults")).json()["items"] == []

    # nor can it act on the first employer's worker or workplace
    contract = await other_employer.post(
        f"/people/workers/{worker_id}/contracts",
        contract_body(start),
    )
    assert contract.status_code == 404
    register = await other_employer.post(
        "/presence/registrations", {"worker_id": worker_id, "workplace_id": workplace_id, "date": start.isoformat()}
    )
    assert register.status_code == 422
    assert register.json()["errors"][0]["field"] == "worker_id"

    # and the first employer still sees its own
    assert [w["worker_id"] for w in (await employer.get("/people/workers")).json()["items"]] == [worker_id]


async def _ok(employer: Employer, path: str) -> bool:
    return (await employer.get(path)).status_code == 200
