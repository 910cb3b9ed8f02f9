"""Access management through the gateway: an access manager creates users, grants applications with one
profile each, blocks, deletes; the users' rights hold in every service and end at once when withdrawn."""

from __future__ import annotations

import csv
import io

import httpx

from .support import (
    PROBLEM_JSON,
    Employer,
    activate,
    bearer,
    create_user,
    eventually,
    login,
    unique,
    worker_body,
)


async def status_with(client: httpx.AsyncClient, token: str, method: str, path: str, **kw) -> int:
    return (await client.request(method, path, headers=bearer(token), **kw)).status_code


async def test_a_granted_user_works_in_another_service_until_the_grant_is_revoked(
    gateway: httpx.AsyncClient, employer: Employer
) -> None:
    user = await create_user(employer, grants={"people": "reader"})
    assert user["must_change_password"] is True
    assert user["grants"] == {"people": "reader"}

    refused = await gateway.post(
        "/identity/token", data={"grant_type": "password", "username": user["username"], "password": user["password"]}
    )
    assert refused.status_code == 400 and refused.json()["error"] == "password_change_required"
    token = await activate(gateway, user)

    assert await status_with(gateway, token, "GET", "/people/workers") == 200
    assert await status_with(gateway, token, "POST", "/people/workers", json=worker_body()) == 403  # reader only
    assert await status_with(gateway, token, "GET", "/presence/registrations") == 403  # not granted

    revoked = await employer.client.delete(
        f"/identity/users/{user['user_id']}/applications/people", headers=employer.headers()
    )
    assert revoked.status_code == 200 and revoked.json()["grants"] == {}

    async def old_token_refused():
        return await status_with(gateway, token, "GET", "/people/workers") == 401

    await eventually(old_token_refused, what="the session to end in people after the revocation")
    fresh = await login(gateway, user["username"], user["password"])
    assert await status_with(gateway, fresh, "GET", "/people/workers") == 403


async def test_a_blocked_user_stays_listed_cannot_log_in_and_loses_its_sessions(
    gateway: httpx.AsyncClient, employer: Employer
) -> None:
    user = await create_user(employer, grants={"vault": "reader"})
    token = await activate(gateway, user)
    assert await status_with(gateway, token, "GET", "/vault/vaults") == 200

    blocked = await employer.post(f"/identity/users/{user['user_id']}/block")
    assert blocked.status_code == 200 and blocked.json()["status"] == "blocked"
    listed = (await employer.get("/identity/users", params={"status": "blocked"})).json()["items"]
    assert [u["user_id"] for u in listed] == [user["user_id"]]
    no_login = await gateway.post(
        "/identity/token", data={"grant_type": "password", "username": user["username"], "password": user["password"]}
    )
    assert no_login.status_code == 400
    assert await status_with(gateway, token, "GET", "/identity/users/me") == 401  # identity: at once

    async def refused_in_vault():
        return await status_with(gateway, token, "GET", "/vault/vaults") == 401

    await eventually(refused_in_vault, what="the session to end in vault")

    assert (await employer.post(f"/identity/users/{user['user_id']}/unblock")).json()["status"] == "active"
    again = await login(gateway, user["username"], user["password"])
    assert await status_with(gateway, again, "GET", "/vault/vaults") == 200


async def test_deleting_shows_a_preview_wants_a_confirmation_and_removes_the_user(
    gateway: httpx.AsyncClient, employer: Employer
) -> None:
    user = await create_user(employer)
    preview = await employer.get(f"/identity/users/{user['user_id']}/deletion-preview")
    assert preview.status_code == 200 and preview.json()["username"] == user["username"]
    unconfirmed = await employer.client.delete(f"/identity/users/{user['user_id']}", headers=employer.headers())
    assert unconfirmed.status_code == 422 and unconfirmed.json()["errors"][0]["field"] == "confirm"
    deleted = await employer.client.delete(
        f"/identity/users/{user['user_id']}", params={"confirm": "true"}, headers=employer.headers()
    )
    assert deleted.status_code == 204
    assert (await employer.get(f"/identity/users/{user['user_id']}")).status_code == 404
    gone = await gateway.post(
        "/identity/first-login",
        json={
            "username": user["username"],
            "password": user["password"],
            "new_password": "another secret 12",
            "new_password_confirmation": "another secret 12",
        },
    )
    assert gone.status_code == 400


async def test_bulk_grant_then_bulk_delete(employer: Employer) -> None:
    a, b = await create_user(employer), await create_user(employer)
    granted = await employer.post(
        "/identity/users/applications/grant",
        {"user_ids": [a["user_id"], b["user_id"]], "application": "presence", "profile": "registrar"},
    )
    assert granted.status_code == 200
    assert {u["grants"]["presence"] for u in granted.json()} == {"registrar"}
    wrong = await employer.post(
        "/identity/users/applications/grant",
        {"user_ids": [a["user_id"]], "application": "presence", "profile": "emperor"},
    )
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "profile"
    gone = await employer.post("/identity/users/delete", {"user_ids": [a["user_id"], b["user_id"]], "confirm": True})
    assert gone.status_code == 204
    assert (await employer.get("/identity/users", params={"application": "presence", "type": "user"})).json()[
        "total"
    ] == 0


async def test_creation_checks_confirmations_niss_and_password(employer: Employer) -> None:
    username = unique("u.")
    base = {
        "niss": "85073003328",
        "username": username,
        "username_confirmation": username,
        "password": "a fine long password",
        "password_confirmation": "a fine long password",
        "last_name": "Maes",
        "first_name": "Jan",
        "email": "jan@example.be",
    }
    cases = [
        ({"username_confirmation": username + "x"}, "username_confirmation"),
        ({"password_confirmation": "another"}, "password_confirmation"),
        ({"niss": "85073003329"}, "niss"),
        ({"password": "password123", "password_confirmation": "password123"}, "password"),
        ({"grants": {"people": "emperor"}}, "profile"),
        ({"kind": "access_manager"}, "kind"),
    ]
    for change, field in cases:
        response = await employer.post("/identity/users", base | change)
        assert response.status_code == 422, (change, response.text)
        assert response.headers["content-type"] == PROBLEM_JSON
        assert field in [e["field"] for e in response.json()["errors"]], (change, response.json())


async def test_roles_and_tenants_are_walls(
    gateway: httpx.AsyncClient, employer: Employer, other_employer: Employer
) -> None:
    user = await create_user(employer, grants={"access": "reader"})
    token = await activate(gateway, user)
    # a user with the access application may look, not act
    assert await status_with(gateway, token, "GET", "/identity/users") == 200
    assert await status_with(gateway, token, "POST", f"/identity/users/{user['user_id']}/block") == 403
    assert await status_with(gateway, token, "GET", "/identity/audit") == 403
    # another enterprise's manager sees none of it
    assert (await other_employer.get(f"/identity/users/{user['user_id']}")).status_code == 404
    assert (await other_employer.post(f"/identity/users/{user['user_id']}/block")).status_code == 404
    others = (await other_employer.get("/identity/users")).json()["items"]
    assert [u["username"] for u in others] == [other_employer.username]
    # nor can the manager's own account be blocked by its users
    me = (await employer.get("/identity/users/me")).json()
    assert (await employer.post(f"/identity/users/{me['user_id']}/block")).status_code == 403


async def test_the_audit_trail_says_who_did_what_to_whom(employer: Employer, other_employer: Employer) -> None:
    user = await create_user(employer, grants={"people": "reader"})
    await employer.post(f"/identity/users/{user['user_id']}/block")
    me = (await employer.get("/identity/users/me")).json()

    async def trail():
        items = (await employer.get("/identity/audit")).json()["items"]
        actions = [(i["action"], i["actor_id"]) for i in items if i["user_id"] == user["user_id"]]
        wanted = {
            ("user-created", me["user_id"]),
            ("application-granted", me["user_id"]),
            ("user-blocked", me["user_id"]),
        }
        return items if wanted <= set(actions) else None

    items = await eventually(trail, what="the audit records")
    granted = next(i for i in items if i["action"] == "application-granted" and i["user_id"] == user["user_id"])
    assert granted["details"] == {"application": "people", "profile": "reader"}
    theirs = (await other_employer.get("/identity/audit")).json()["items"]
    assert all(i["user_id"] != user["user_id"] for i in theirs)
    # narrowed to one account and one action, and to a time window
    blocked = await employer.get("/identity/audit", params={"user_id": user["user_id"], "action": "user-blocked"})
    assert [(i["action"], i["user_id"]) for i in blocked.json()["items"]] == [("user-blocked", user["user_id"])]
    at = granted["at"]
    before = await employer.get("/identity/audit", params={"user_id": user["user_id"], "until": at})
    assert all(i["at"] < at for i in before.json()["items"])
    assert "application-granted" not in [i["action"] for i in before.json()["items"]]


async def test_search_its_complement_and_the_csv_export(employer: Employer) -> None:
    family = unique("Ñeçkx")
    formula = await create_user(employer, last_name='=HYPERLINK("http://evil")', first_name="Zoë")
    mine = [await create_user(employer, last_name=f"{family} {i}") for i in range(3)]
    everyone = (await employer.get("/identity/users", params={"limit": 200})).json()
    found = (await employer.get("/identity/users", params={"last_name": family.lower()})).json()
    others = (
        await employer.get("/identity/users", params={"last_name": family, "complementary": "true", "limit": 200})
    ).json()
    assert {u["user_id"] for u in found["items"]} == {u["user_id"] for u in mine}  # case-insensitive prefix
    assert not {u["user_id"] for u in found["items"]} & {u["user_id"] for u in others["items"]}
    assert found["total"] + others["total"] == everyone["total"]

    exported = await employer.get("/identity/users/export.csv", params={"last_name": family, "complementary": "true"})
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == others["total"]
    row = next(r for r in rows if r["username"] == formula["username"])
    assert row["last_name"] == '\'=HYPERLINK("http://evil")' and row["first_name"] == "Zoë"


async def refresh(gateway: httpx.AsyncClient, token: str) -> httpx.Response:
    return await gateway.post("/identity/token", data={"grant_type": "refresh_token", "refresh_token": token})


async def test_refresh_tokens_rotate_a_reused_one_revokes_its_family_and_a_block_ends_them(
    gateway: httpx.AsyncClient, employer: Employer
) -> None:
    user = await create_user(employer, grants={"people": "reader"})
    await activate(gateway, user)
    first = (
        await gateway.post(
            "/identity/token",
            data={"grant_type": "password", "username": user["username"], "password": user["password"]},
        )
    ).json()
    second = await refresh(gateway, first["refresh_token"])
    assert second.status_code == 200
    pair = second.json()
    assert pair["refresh_token"] != first["refresh_token"]
    assert await status_with(gateway, pair["access_token"], "GET", "/people/workers") == 200

    replayed = await refresh(gateway, first["refresh_token"])  # a stolen, already used token
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    assert (await refresh(gateway, pair["refresh_token"])).status_code == 400  # the whole family is gone

    fresh = (
        await gateway.post(
            "/identity/token",
            data={"grant_type": "password", "username": user["username"], "password": user["password"]},
        )
    ).json()
    await employer.post(f"/identity/users/{user['user_id']}/block")
    blocked = await refresh(gateway, fresh["refresh_token"])  # at once: no waiting for events
    assert blocked.status_code == 400 and blocked.json()["error"] == "invalid_grant"
