"""Designating an access manager: ticket, the operator's checks, provisional credentials by real e-mail, first
login choosing username and password, and replacing the access manager."""

from __future__ import annotations

import re

import httpx
from ruche_devstack.stack import Stack

from .support import (
    PROBLEM_JSON,
    Employer,
    bearer,
    designation_body,
    eventually,
    login,
    mail_to,
    operator_token,
    provisional_credentials,
    random_enterprise_number,
    unique,
)


async def test_a_designation_waits_for_the_signed_form_then_mails_provisional_credentials(
    gateway: httpx.AsyncClient, stack: Stack
) -> None:
    email = f"{unique('gl.')}@example.be"
    body = designation_body(random_enterprise_number(), manager_email=email)
    requested = await gateway.post("/identity/designations", json=body)
    assert requested.status_code == 201
    ticket = requested.json()["ticket"]
    assert (await gateway.get(f"/identity/designations/{ticket}")).json()["status"] == "pending"

    operator = bearer(await operator_token(gateway, stack))
    early = await gateway.post(f"/identity/designations/{ticket}/approve", headers=operator)
    assert early.status_code == 409 and early.headers["content-type"] == PROBLEM_JSON  # no signed form yet
    pending = (
        await gateway.get("/identity/designations", params={"status": "pending", "limit": 200}, headers=operator)
    ).json()
    assert ticket in [d["ticket"] for d in pending["items"]]
    assert (await gateway.post(f"/identity/designations/{ticket}/form-received", headers=operator)).json()[
        "status"
    ] == "form_received"
    assert (await gateway.post(f"/identity/designations/{ticket}/approve", headers=operator)).json()[
        "status"
    ] == "approved"

    mail = await mail_to(stack, email)
    assert ticket in mail.get_content()
    link = re.search(r"(https?://\S+)", mail.get_content()).group(1)  # type: ignore[union-attr]
    assert link == f"{stack.gateway_url}/first-sign-in"  # the console's page for the provisional credentials
    assert 'name="new_username"' in (await gateway.get(link, headers={"Accept": "text/html"})).text
    username, password = provisional_credentials(mail)
    refused = await gateway.post(
        "/identity/token", data={"grant_type": "password", "username": username, "password": password}
    )
    assert refused.json()["error"] == "password_change_required"

    chosen, own = unique("gl."), "a phrase of my own choosing"
    first = {"username": username, "password": password, "new_password": own, "new_password_confirmation": own}
    no_username = await gateway.post("/identity/first-login", json=first)
    assert no_username.status_code == 422 and no_username.json()["errors"][0]["field"] == "new_username"
    typo = await gateway.post(
        "/identity/first-login", json=first | {"new_username": chosen, "new_username_confirmation": chosen + "x"}
    )
    assert typo.json()["errors"][0]["field"] == "new_username_confirmation"
    done = await gateway.post(
        "/identity/first-login", json=first | {"new_username": chosen, "new_username_confirmation": chosen}
    )
    assert done.status_code == 204
    token = await login(gateway, chosen, own)
    me = (await gateway.get("/identity/users/me", headers=bearer(token))).json()
    assert (me["username"], me["kind"]) == (chosen, "access_manager")
    old = await gateway.post(
        "/identity/token", data={"grant_type": "password", "username": username, "password": password}
    )
    assert old.status_code == 400  # the provisional username is gone


async def test_only_the_operator_decides_and_a_rejection_is_mailed(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer
) -> None:
    email = f"{unique('gl.')}@example.be"
    ticket = (
        await gateway.post(
            "/identity/designations", json=designation_body(random_enterprise_number(), manager_email=email)
        )
    ).json()["ticket"]
    assert (await employer.post(f"/identity/designations/{ticket}/form-received")).status_code == 403
    assert (await gateway.post(f"/identity/designations/{ticket}/reject", json={"reason": "x"})).status_code == 401
    operator = bearer(await operator_token(gateway, stack))
    rejected = await gateway.post(
        f"/identity/designations/{ticket}/reject", json={"reason": "Formulaire non signé"}, headers=operator
    )
    assert rejected.json()["status"] == "rejected"
    assert "Formulaire non signé" in (await mail_to(stack, email, "pas été acceptée")).get_content()
    again = await gateway.post(f"/identity/designations/{ticket}/approve", headers=operator)
    assert again.status_code == 409


async def test_replacing_the_access_manager_ends_the_former_ones_role(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer
) -> None:
    without_replace = await gateway.post(
        "/identity/designations", json=designation_body(employer.enterprise_number, manager_email="x@example.be")
    )
    assert without_replace.status_code == 409
    assert without_replace.json()["errors"][0]["field"] == "replace_current"

    email = f"{unique('gl.')}@example.be"
    body = designation_body(employer.enterprise_number, manager_email=email, replace_current=True)
    requested = await gateway.post("/identity/designations", json=body)
    ticket = requested.json()["ticket"]
    operator = bearer(await operator_token(gateway, stack))
    await gateway.post(f"/identity/designations/{ticket}/form-received", headers=operator)
    assert (await gateway.post(f"/identity/designations/{ticket}/approve", headers=operator)).status_code == 200

    async def former_refused():
        return (await employer.get("/people/workers")).status_code == 401

    await eventually(former_refused, what="the former access manager's sessions to end")
    again = await login(gateway, employer.username, employer.password)
    me = (await gateway.get("/identity/users/me", headers=bearer(again))).json()
    assert me["kind"] == "user" and me["permissions"] == []
    assert (await gateway.get("/people/workers", headers=bearer(again))).status_code == 403
    await mail_to(stack, email)  # the new manager got credentials
