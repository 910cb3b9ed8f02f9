"""What the end-to-end tests share: random valid Belgian ids, a client per employer, polling with a deadline,
and a reader of Kafka topics."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any, TypeVar

import httpx
from ruche_devstack.stack import Stack
from ruche_testing import eventually, random_enterprise_number, random_niss, unique
from ruche_testing.kafka import partitions_of, publish_raw, read_topic

__all__ = [
    "eventually",
    "partitions_of",
    "publish_raw",
    "random_enterprise_number",
    "random_niss",
    "read_topic",
    "unique",
]

T = TypeVar("T")
PROBLEM_JSON = "application/problem+json"


@dataclass
class Employer:
    enterprise_number: str
    name: str
    username: str
    password: str
    token: str
    client: httpx.AsyncClient

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    async def get(self, path: str, *, headers: dict[str, str] | None = None, **kw: Any) -> httpx.Response:
        return await self.client.get(path, headers=self.headers(headers), **kw)

    async def post(
        self, path: str, json: Any = None, *, headers: dict[str, str] | None = None, **kw: Any
    ) -> httpx.Response:
        return await self.client.post(path, json=json, headers=self.headers(headers), **kw)

    async def put(self, path: str, json: Any = None, *, headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.client.put(path, json=json, headers=self.headers(headers))

    async def delete(self, path: str, *, headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.client.delete(path, headers=self.headers(headers))


def designation_body(enterprise_number: str, *, manager_email: str, replace_current: bool = False) -> dict[str, Any]:
    return {
        "enterprise": {
            "enterprise_number": f"{enterprise_number[:4]}.{enterprise_number[4:7]}.{enterprise_number[7:]}",
            "name": unique("Boulangerie "),
        },
        "manager": {
            "last_name": "Peeters",
            "first_name": "An",
            "niss": random_niss(sex="F"),
            "capacity": "employee",
            "email": manager_email,
            "language": "fr",
        },
        "signatory": {
            "last_name": "Dupont",
            "first_name": "Marc",
            "niss": random_niss(sex="M"),
            "capacity": "director",
            "email": f"{unique('sign.')}@example.be",
        },
        "replace_current": replace_current,
    }


async def operator_token(client: httpx.AsyncClient, stack: Stack) -> str:
    env = stack.service_environment("identity")
    return await login(client, env["OPERATOR_USERNAME"], env["OPERATOR_PASSWORD"])


async def approve_designation(client: httpx.AsyncClient, stack: Stack, body: dict[str, Any]) -> str:
    """Request, record the signed form, approve; returns the ticket."""
    requested = await client.post("/identity/designations", json=body)
    assert requested.status_code == 201, requested.text
    ticket = requested.json()["ticket"]
    operator = {"Authorization": f"Bearer {await operator_token(client, stack)}"}
    assert (await client.post(f"/identity/designations/{ticket}/form-received", headers=operator)).status_code == 200
    approved = await client.post(f"/identity/designations/{ticket}/approve", headers=operator)
    assert approved.status_code == 200 and approved.json()["status"] == "approved", approved.text
    return ticket


async def mail_to(stack: Stack, address: str, subject_part: str = "") -> EmailMessage:
    def find() -> EmailMessage | None:
        for message in reversed(stack.emails()):
            if message["To"] == address and subject_part in message["Subject"]:
                return message
        return None

    async def probe() -> EmailMessage | None:
        return find()

    return await eventually(probe, what=f"an e-mail to {address}")


def provisional_credentials(message: EmailMessage) -> tuple[str, str]:
    body = message.get_content()
    username = re.search(r"Nom d'utilisateur provisoire : (\S+)", body)
    password = re.search(r"Mot de passe provisoire : (\S+)", body)
    assert username and password, body
    return username.group(1), password.group(1)


async def register_employer(client: httpx.AsyncClient, stack: Stack) -> Employer:
    """An enterprise with its access manager, the way a real one arrives: designation, the operator's
    approval, provisional credentials by e-mail, first login choosing username and password, then a token."""
    number, email = random_enterprise_number(), f"{unique('am.')}@example.be"
    body = designation_body(number, manager_email=email)
    await approve_designation(client, stack, body)
    provisional_username, provisional_password = provisional_credentials(await mail_to(stack, email))
    username, password = unique("am."), "correct horse battery staple"
    first = await client.post(
        "/identity/first-login",
        json={
            "username": provisional_username,
            "password": provisional_password,
            "new_username": username,
            "new_username_confirmation": username,
            "new_password": password,
            "new_password_confirmation": password,
        },
    )
    assert first.status_code == 204, first.text
    token = await login(client, username, password)
    return Employer(number, body["enterprise"]["name"], username, password, token, client)


async def login(client: httpx.AsyncClient, username: str, password: str) -> str:
    response = await client.post(
        "/identity/token", data={"grant_type": "password", "username": username, "password": password}
    )
    assert response.status_code == 200, response.text
    return response.json()["access_token"]


IBAN = "BE71096123456769"  # a valid Belgian IBAN (checksum), no one's account


def personal_data(birth: date | None = None, sex: str = "F", **overrides: Any) -> dict[str, Any]:
    """Complete personal data of a new hire living in Brussels, with a random NISS matching birth date and sex."""
    birth = birth or date(random.randint(1965, 1999), random.randint(1, 12), random.randint(1, 28))
    body = {
        "nationality": "BE",
        "niss": random_niss(birth, sex),
        "birth_date": birth.isoformat(),
        "birth_place": "Namur",
        "sex": sex,
        "civil_status": "single",
        "civil_status_date": None,
        "language": "fr",
        "private_email": f"{unique('p')}@example.be",
        "mobile_phone": "+32470123456",
        "iban": IBAN,
        "address": {
            "street": "Rue de la Loi",
            "number": "16",
            "box": None,
            "postal_code": "1000",
            "municipality": "Bruxelles",
            "country": "BE",
        },
    }
    return body | overrides


def worker_body(*, with_personal_data: bool = True, **overrides: Any) -> dict[str, Any]:
    """Step one of adding a worker (names, work e-mail), with the personal data HR fills in at once unless told."""
    body: dict[str, Any] = {
        "first_name": "Élodie",
        "last_name": unique("Dubois-"),
        "work_email": f"{unique('e')}@example.be",
    }
    if with_personal_data:
        body["personal_data"] = personal_data()
    return body | overrides


def contract_body(start: date, **overrides: Any) -> dict[str, Any]:
    """An open-ended full-time contract with Ruche's payroll provider: 38 hours, 7.6 a day Monday to Friday."""
    body = {
        "payroll_provider": "ruche",
        "start_date": start.isoformat(),
        "contract_type": "open_ended",
        "weekly_hours": "38",
        "full_time_weekly_hours": "38",
        "schedule": {"mon": "7.6", "tue": "7.6", "wed": "7.6", "thu": "7.6", "fri": "7.6"},
        "gross_monthly_salary": "3150.00",
        "joint_committee": "200",
        "worker_type": "OTH",
        "job_title": "Vendeuse",
    }
    return body | overrides


async def hire(employer: Employer, start: date) -> tuple[dict[str, Any], dict[str, Any]]:
    worker = await employer.post("/people/workers", worker_body())
    assert worker.status_code == 201, worker.text
    contract = await employer.post(f"/people/workers/{worker.json()['worker_id']}/contracts", contract_body(start))
    assert contract.status_code == 201, contract.text
    return worker.json(), contract.json()


async def dimona_state(employer: Employer, worker_id: str, contract_id: str, *states: str) -> dict[str, Any]:
    """The contract once its Dimona reached one of `states` (polled with a deadline)."""

    async def probe() -> dict[str, Any] | None:
        answer = await employer.get(f"/people/workers/{worker_id}/contracts/{contract_id}")
        assert answer.status_code == 200, answer.text
        contract: dict[str, Any] = answer.json()
        return contract if contract["dimona"]["state"] in states else None

    return await eventually(probe, what=f"the Dimona of contract {contract_id} to be {' or '.join(states)}")


async def create_user(manager: Employer, *, grants: dict[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """A user created by `manager` with a provisional password (returned under `password`)."""
    username, password = unique("user."), "provisional pass 42"
    body = {
        "niss": random_niss(),
        "username": username,
        "username_confirmation": username,
        "password": password,
        "password_confirmation": password,
        "last_name": unique("Janssens-"),
        "first_name": "Lotte",
        "language": "nl",
        "email": f"{username}@example.be",
        "grants": grants or {},
    } | overrides
    response = await manager.post("/identity/users", body)
    assert response.status_code == 201, response.text
    return response.json() | {"password": body["password"]}


async def activate(client: httpx.AsyncClient, user: dict[str, Any]) -> str:
    """First login with the provisional password, then a token with the user's own password."""
    own = "my own secret phrase 7"
    response = await client.post(
        "/identity/first-login",
        json={
            "username": user["username"],
            "password": user["password"],
            "new_password": own,
            "new_password_confirmation": own,
        },
    )
    assert response.status_code == 204, response.text
    user["password"] = own
    return await login(client, user["username"], own)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def letter_text(employer: Employer, worker_id: str) -> str:
    """The enrollment letter the employer prints, once the worker's employee account exists."""

    async def letter() -> str | None:
        response = await employer.post(f"/identity/employees/{worker_id}/enrollment-letter")
        return response.text if response.status_code == 200 else None

    return await eventually(letter, what="the enrollment letter")


async def enrollment_letter(employer: Employer, worker_id: str) -> tuple[str, str]:
    """(identifier, provisional password) from the enrollment letter."""
    text = await letter_text(employer, worker_id)
    identifier = re.search(r"Identifier: (\d{12})", text)
    provisional = re.search(r"Provisional password: (\S+)", text)
    assert identifier and provisional, text
    return identifier.group(1), provisional.group(1)


async def enroll(client: httpx.AsyncClient, employer: Employer, worker_id: str, *, password: str, email: str) -> str:
    """The employee's first login (password and personal e-mail); returns the identifier."""
    identifier, provisional = await enrollment_letter(employer, worker_id)
    response = await client.post(
        "/identity/employees/first-login",
        json={
            "identifier": identifier,
            "password": provisional,
            "new_password": password,
            "new_password_confirmation": password,
            "email": email,
            "email_confirmation": email,
        },
    )
    assert response.status_code == 204, response.text
    return identifier
