"""Mandates: an employer lets its social secretariat's users act on its data for named applications only,
and either side ends it, with the sessions under it."""

from __future__ import annotations

import httpx

from .support import Employer, bearer, eventually, hire, random_enterprise_number
from .test_hiring_flow import today


async def acting_token(gateway: httpx.AsyncClient, provider: Employer, employer_number: str) -> httpx.Response:
    return await gateway.post(
        "/identity/token",
        data={
            "grant_type": "password",
            "username": provider.username,
            "password": provider.password,
            "acting_for": employer_number,
        },
    )


async def test_a_mandated_provider_acts_for_the_employer_within_the_mandate_until_it_ends(
    gateway: httpx.AsyncClient, employer: Employer, other_employer: Employer
) -> None:
    secretariat = other_employer
    worker, _ = await hire(employer, today())
    assert (await acting_token(gateway, secretariat, employer.enterprise_number)).status_code == 400  # no mandate

    granted = await employer.post(
        "/identity/mandates", {"provider_enterprise_number": secretariat.enterprise_number, "applications": ["people"]}
    )
    assert granted.status_code == 201, granted.text
    mandate = granted.json()
    assert (await secretariat.get("/identity/mandates")).json()["items"][0]["mandate_id"] == mandate["mandate_id"]

    answer = await acting_token(gateway, secretariat, employer.enterprise_number)
    assert answer.status_code == 200 and answer.json()["refresh_token"] is None
    token = answer.json()["access_token"]
    workers = (await gateway.get("/people/workers", headers=bearer(token))).json()["items"]
    assert [w["worker_id"] for w in workers] == [worker["worker_id"]]  # the employer's data
    assert (await gateway.get("/presence/registrations", headers=bearer(token))).status_code == 403  # not mandated
    # its own token still shows its own enterprise only
    assert (await secretariat.get("/people/workers")).json()["items"] == []
    assert (await acting_token(gateway, secretariat, random_enterprise_number())).status_code == 400

    wrong = await employer.post(
        "/identity/mandates", {"provider_enterprise_number": employer.enterprise_number, "applications": ["people"]}
    )
    assert wrong.status_code in (403, 422) and wrong.json()["errors"][0]["field"] == "provider_enterprise_number"

    ended = await secretariat.client.delete(
        f"/identity/mandates/{mandate['mandate_id']}", headers=secretariat.headers()
    )  # the provider's side ends it
    assert ended.status_code == 200 and ended.json()["status"] == "revoked"

    async def refused():
        return (await gateway.get("/people/workers", headers=bearer(token))).status_code == 401

    await eventually(refused, what="the mandated session to end in people")
    assert (await acting_token(gateway, secretariat, employer.enterprise_number)).status_code == 400
