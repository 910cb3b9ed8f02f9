"""Lists come in pages with their total; a bad page size is named."""

from __future__ import annotations

from .support import Employer, worker_body


async def test_workers_come_in_pages_sorted_by_name(employer: Employer) -> None:
    for last_name in ("Wouters", "Claes", "Maes"):
        assert (await employer.post("/people/workers", worker_body(last_name=last_name))).status_code == 201
    first = (await employer.get("/people/workers", params={"limit": 2})).json()
    assert (first["total"], first["limit"], first["offset"]) == (3, 2, 0)
    second = (await employer.get("/people/workers", params={"limit": 2, "offset": 2})).json()
    names = [w["last_name"] for w in first["items"] + second["items"]]
    assert names == ["Claes", "Maes", "Wouters"]


async def test_a_page_size_out_of_range_is_named(employer: Employer) -> None:
    for path in ("/people/workers", "/calendar/calendars", "/presence/registrations", "/vault/vaults"):
        response = await employer.get(path, params={"limit": 0})
        assert response.status_code == 422, path
        assert [e["field"] for e in response.json()["errors"]] == ["limit"]
