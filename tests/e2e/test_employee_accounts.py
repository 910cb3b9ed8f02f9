"""Employee accounts through the gateway: opened from the vault's event, enrollment letter, first login with
a personal e-mail, lockout after three failures with its e-mail, and a reset link from the real e-mail."""

from __future__ import annotations

import re

import httpx
from ruche_devstack.stack import Stack

from .support import Employer, enroll, eventually, hire, letter_text, mail_to, personal_data, unique, worker_body
from .test_hiring_flow import today


def token_form(identifier: str, password: str) -> dict[str, str]:
    return {"grant_type": "password", "username": identifier, "password": password}


async def test_an_employee_enrolls_gets_locked_out_and_resets_from_the_mailed_link(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer
) -> None:
    worker, _ = await hire(employer, today())

    async def account():
        r = await employer.get(f"/identity/employees/{worker['worker_id']}")
        return r.json() if r.status_code == 200 else None

    opened = await eventually(account, what="the employee account opened from VaultOpened")
    vault = (await employer.get(f"/vault/workers/{worker['worker_id']}/vault")).json()
    assert opened["identifier"] == vault["identifier"] and opened["activated"] is False

    letter = await employer.post(f"/identity/employees/{worker['worker_id']}/enrollment-letter")
    assert letter.status_code == 200
    identifier = re.search(r"Identifier: (\d{12})", letter.text).group(1)  # type: ignore[union-attr]
    provisional = re.search(r"Provisional password: (\S+)", letter.text).group(1)  # type: ignore[union-attr]
    assert identifier == vault["identifier"]

    refused = await gateway.post("/identity/token", data=token_form(identifier, provisional))
    assert refused.json()["error"] == "password_change_required"
    email, own = f"{unique('lou.')}@example.be", "my vault phrase of 2026"
    typo = await gateway.post(
        "/identity/employees/first-login",
        json={
            "identifier": identifier,
            "password": provisional,
            "new_password": own,
            "new_password_confirmation": own,
            "email": email,
            "email_confirmation": "x" + email,
        },
    )
    assert typo.status_code == 422 and typo.json()["errors"][0]["field"] == "email_confirmation"
    done = await gateway.post(
        "/identity/employees/first-login",
        json={
            "identifier": identifier,
            "password": provisional,
            "new_password": own,
            "new_password_confirmation": own,
            "email": email,
            "email_confirmation": email,
        },
    )
    assert done.status_code == 204
    token = await gateway.post("/identity/token", data=token_form(identifier, own))
    assert token.status_code == 200 and "refresh_token" not in {k for k, v in token.json().items() if v}

    # three failures lock; the answer for an unknown identifier reads like a wrong password
    answers = [
        (await gateway.post("/identity/token", data=token_form(identifier, "wrong guess"))).json()["detail"]
        for _ in range(3)
    ]
    unknown = (await gateway.post("/identity/token", data=token_form("123456789012", "wrong guess"))).json()["detail"]
    assert answers[0] == answers[1] == unknown
    assert "120 minutes" in answers[2]
    locked = await gateway.post("/identity/token", data=token_form(identifier, own))
    assert locked.status_code == 400 and "120 minutes" in locked.json()["detail"]  # even the right password
    assert "bloqué" in (await mail_to(stack, email, "bloqué")).get_content()

    # the same answer whether or not identifier and e-mail match
    wrong = await gateway.post(
        "/identity/employees/password-reset", json={"identifier": identifier, "email": "not@mine.be"}
    )
    right = await gateway.post("/identity/employees/password-reset", json={"identifier": identifier, "email": email})
    assert wrong.status_code == right.status_code == 202 and wrong.content == right.content
    found = re.search(r"(https?://\S+)", (await mail_to(stack, email, "mot de passe")).get_content())
    assert found, "the mail carries a link"
    link = found.group(1)
    assert link.startswith(f"{stack.gateway_url}/password-reset/"), "the link opens the console's reset page"
    page = await gateway.get(link, headers={"Accept": "text/html"})  # a page a person can use, not JSON
    assert page.status_code == 200 and 'name="new_password"' in page.text
    api = f"/identity/employees/password-reset/{link.rsplit('/', 1)[1]}"
    opened = await gateway.get(api)  # the page asks the API whether the link still works, and until when
    assert opened.status_code == 200 and "valid_until" in opened.json()
    new = "a fresh vault phrase 99"
    reset = await gateway.post(api, json={"new_password": new, "new_password_confirmation": new})
    assert reset.status_code == 204
    assert (await gateway.post("/identity/token", data=token_form(identifier, new))).status_code == 200  # unlocked
    again = await gateway.post(
        api, json={"new_password": "another phrase 77", "new_password_confirmation": "another phrase 77"}
    )
    assert again.status_code == 400  # single use
    assert (await gateway.get(api)).status_code == 400  # and says so when opened again


async def test_the_personal_email_is_a_second_identifier_and_the_profile_changes_it(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer
) -> None:
    worker, _ = await hire(employer, today())

    email, own = f"{unique('Zoe.')}@Example.be", "ten chars!"  # employees: 10 characters suffice
    identifier = await enroll(gateway, employer, worker["worker_id"], password=own, email=email)

    by_email = await gateway.post("/identity/token", data=token_form(email.lower(), own))  # any case
    assert by_email.status_code == 200
    headers = {"Authorization": f"Bearer {by_email.json()['access_token']}"}
    assert (await gateway.get("/identity/employees/me", headers=headers)).json()["identifier"] == identifier

    other = f"{unique('zoe.new.')}@example.be"
    changed = await gateway.post(
        "/identity/employees/me/email",
        headers=headers,
        json={"password": own, "email": other, "email_confirmation": other},
    )
    assert changed.status_code == 204
    assert (await gateway.post("/identity/token", data=token_form(other, own))).status_code == 200
    assert (await gateway.post("/identity/token", data=token_form(email, own))).status_code == 400

    new = "eleven more!"
    assert (
        await gateway.post(
            "/identity/employees/me/password",
            headers=headers,
            json={"current_password": own, "new_password": new, "new_password_confirmation": new},
        )
    ).status_code == 204
    assert (await gateway.post("/identity/token", data=token_form(identifier, new))).status_code == 200
    assert (await employer.get("/identity/employees/me")).status_code == 403  # a manager is no employee


async def test_a_lost_identifier_comes_back_by_email_when_every_answer_matches(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer
) -> None:
    body = worker_body(
        first_name="Noémie", personal_data=personal_data(birth_place="Liège", mobile_phone="+32 475 12 34 56")
    )
    born = body["personal_data"]["birth_date"]
    created = await employer.post("/people/workers", body)
    assert created.status_code == 201, created.text
    worker = created.json()
    letter = await letter_text(employer, worker["worker_id"])
    old = re.search(r"Identifier: (\d{12})", letter).group(1)  # type: ignore[union-attr]
    private = re.search(r"Private number: (\d{6})", letter).group(1)  # type: ignore[union-attr]
    provisional = re.search(r"Provisional password: (\S+)", letter).group(1)  # type: ignore[union-attr]
    first_email = f"{unique('n.')}@example.be"
    assert (
        await gateway.post(
            "/identity/employees/first-login",
            json={
                "identifier": old,
                "password": provisional,
                "new_password": "noemie's phrase",
                "new_password_confirmation": "noemie's phrase",
                "email": first_email,
                "email_confirmation": first_email,
            },
        )
    ).status_code == 204

    email = f"{unique('noemie.')}@example.be"
    answers = {
        "last_name": worker["last_name"],
        "first_name": "noemie",
        "birth_place": "LIEGE",
        "birth_month": int(born[5:7]),
        "mobile_phone": "0475/12.34.56",
        "email": email,
        "email_confirmation": email,
        "private_number": private,
        "consent": True,
    }
    wrong = await gateway.post("/identity/employees/lost-identifier", json=answers | {"birth_place": "Namur"})
    right = await gateway.post("/identity/employees/lost-identifier", json=answers)
    assert wrong.status_code == right.status_code == 202 and wrong.content == right.content
    no_consent = await gateway.post("/identity/employees/lost-identifier", json=answers | {"consent": False})
    assert no_consent.status_code == 422 and no_consent.json()["errors"][0]["field"] == "consent"

    body = (await mail_to(stack, email, "identifiant")).get_content()
    new = re.search(r"Identifiant : (\d{12})", body).group(1)  # type: ignore[union-attr]
    link = re.search(r"(https?://\S+)", body).group(1)  # type: ignore[union-attr]
    assert link == f"{stack.gateway_url}/employee/first-sign-in?identifier={new}"
    page = await gateway.get(link, headers={"Accept": "text/html"})
    assert page.status_code == 200 and f'value="{new}"' in page.text  # the first sign-in, identifier filled in
    password = re.search(r"Mot de passe provisoire : (\S+)", body).group(1)  # type: ignore[union-attr]
    assert new != old
    assert (await gateway.post("/identity/token", data=token_form(old, "noemie's phrase"))).status_code == 400
    refused = await gateway.post("/identity/token", data=token_form(new, password))
    assert refused.json()["error"] == "password_change_required"  # personalise the provisional password first
