"""Bad input gets a clear problem+json naming the field; a missing or expired token gets 401; never a 500."""

from __future__ import annotations

import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from pymongo import AsyncMongoClient
from ruche_devstack.stack import Stack

from .support import PROBLEM_JSON, Employer, contract_body, designation_body, personal_data, unique, worker_body
from .test_hiring_flow import today


def fields(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == PROBLEM_JSON, response.text
    return [e["field"] for e in response.json()["errors"]]


async def test_an_invalid_enterprise_number_is_named(gateway: httpx.AsyncClient) -> None:
    body = designation_body("0403019261", manager_email="a@example.be")
    body["enterprise"]["enterprise_number"] = "0403019262"
    response = await gateway.post("/identity/designations", json=body)
    assert response.status_code == 422
    assert fields(response) == ["enterprise.enterprise_number"]
    assert response.json()["status"] == 422


async def test_an_invalid_niss_is_named(employer: Employer) -> None:
    response = await employer.post("/people/workers", worker_body(personal_data=personal_data(niss="85073003329")))
    assert response.status_code == 422
    assert fields(response) == ["personal_data.niss"]
    assert "85073003329" not in response.text  # personal data is not echoed back


async def test_a_niss_that_contradicts_the_birth_date_is_named(employer: Employer) -> None:
    data = personal_data(niss="85073003328", sex="M", birth_date="1986-07-30")
    response = await employer.post("/people/workers", worker_body(personal_data=data))
    assert response.status_code == 422
    assert fields(response) == ["personal_data.birth_date"]


async def test_personal_data_checks_name_the_field(employer: Employer) -> None:
    for field, value in (("iban", "BE71096123456760"), ("nationality", "XX"), ("mobile_phone", "12")):
        response = await employer.post("/people/workers", worker_body(personal_data=personal_data(**{field: value})))
        assert response.status_code == 422, response.text
        assert fields(response) == [f"personal_data.{field}"]
    address = personal_data()["address"] | {"postal_code": "1999"}  # no Belgian municipality has it
    response = await employer.post("/people/workers", worker_body(personal_data=personal_data(address=address)))
    assert response.status_code == 422
    assert fields(response) == ["personal_data.address.postal_code"]


async def test_contract_rules_name_the_field(employer: Employer) -> None:
    worker = (await employer.post("/people/workers", worker_body())).json()
    start = today()
    path = f"/people/workers/{worker['worker_id']}/contracts"
    student_without_end = await employer.post(path, contract_body(start, worker_type="STU", contract_type="student"))
    assert student_without_end.status_code == 422
    assert fields(student_without_end) == ["end_date"]
    ends_before = await employer.post(path, contract_body(start, end_date="2000-01-01"))
    assert fields(ends_before) == ["end_date"]
    bad_committee = await employer.post(path, contract_body(start, joint_committee="999"))
    assert fields(bad_committee) == ["joint_committee"]
    flexi_as_student = await employer.post(path, contract_body(start, worker_type="STU"))
    assert flexi_as_student.status_code == 422 and fields(flexi_as_student) == ["worker_type"]
    no_salary = await employer.post(path, contract_body(start, gross_monthly_salary="0"))
    assert no_salary.status_code == 422 and fields(no_salary) == ["gross_monthly_salary"]
    far_start = await employer.post(path, contract_body(start.replace(year=9999)))
    assert far_start.status_code == 422 and fields(far_start) == ["start_date"]
    far_end = await employer.post(path, contract_body(start, contract_type="fixed_term", end_date="9999-12-31"))
    assert far_end.status_code == 422 and fields(far_end) == ["end_date"]
    assert (await employer.post(path, contract_body(start))).status_code == 201
    overlap = await employer.post(path, contract_body(start))
    assert overlap.status_code == 409
    assert fields(overlap) == ["start_date"]


async def test_malformed_json_is_refused_cleanly(employer: Employer) -> None:
    response = await employer.client.post(
        "/people/workers",
        content=b'{"first_name": ',
        headers={**employer.headers(), "content-type": "application/json"},
    )
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == PROBLEM_JSON


async def test_wrong_types_and_unknown_fields_are_named(employer: Employer) -> None:
    data = personal_data(birth_date="yesterday")
    response = await employer.post("/people/workers", worker_body(personal_data=data, nickname="x"))
    assert response.status_code == 422
    assert sorted(fields(response)) == ["nickname", "personal_data.birth_date"]


@pytest.mark.parametrize("path", ["/people/workers", "/calendar/calendars", "/presence/registrations", "/vault/vaults"])
async def test_a_missing_token_gets_401(gateway: httpx.AsyncClient, path: str) -> None:
    response = await gateway.get(path)
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM_JSON
    assert response.headers["www-authenticate"] == "Bearer"


async def test_a_forged_token_gets_401(gateway: httpx.AsyncClient, employer: Employer) -> None:
    # Same claims and the real key id, but signed with a key identity never had.
    claims = jwt.decode(employer.token, options={"verify_signature": False})
    real_kid = jwt.get_unverified_header(employer.token)["kid"]
    impostor = ec.generate_private_key(ec.SECP256R1())
    forged = jwt.encode(claims, impostor, algorithm="ES256", headers={"kid": real_kid})
    response = await gateway.get("/people/workers", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401
    unknown_kid = jwt.encode(claims, impostor, algorithm="ES256", headers={"kid": "not-a-key-of-identity"})
    response = await gateway.get("/people/workers", headers={"Authorization": f"Bearer {unknown_kid}"})
    assert response.status_code == 401
    assert (await gateway.get("/people/workers", headers=employer.headers())).status_code == 200


async def test_an_expired_token_gets_401(gateway: httpx.AsyncClient, employer: Employer, stack: Stack) -> None:
    # Mint a token with identity's own key, one that expired a minute ago.
    client: AsyncMongoClient = AsyncMongoClient(stack.mongodb_url)
    try:
        key = await client["ruche_identity"]["signing_keys"].find_one({"active": True}, sort=[("created_at", -1)])
    finally:
        await client.close()
    assert key is not None
    claims = jwt.decode(employer.token, options={"verify_signature": False})
    now = int(time.time())
    expired = jwt.encode(
        claims | {"iat": now - 1000, "exp": now - 60},
        key["private_pem"],
        algorithm="ES256",
        headers={"kid": key["_id"]},
    )
    response = await gateway.get("/people/workers", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401
    assert "expired" in response.json()["detail"]
    # iat to the sub-second, as identity issues it: the first login's password change ended every earlier session
    fresh = jwt.encode(
        claims | {"iat": time.time(), "exp": now + 60},
        key["private_pem"],
        algorithm="ES256",
        headers={"kid": key["_id"]},
    )
    assert (await gateway.get("/people/workers", headers={"Authorization": f"Bearer {fresh}"})).status_code == 200


async def test_a_wrong_password_gets_an_oauth_error(gateway: httpx.AsyncClient, employer: Employer) -> None:
    response = await gateway.post(
        "/identity/token",
        data={"grant_type": "password", "username": employer.username, "password": "not the password"},
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"
    unknown = await gateway.post(
        "/identity/token", data={"grant_type": "password", "username": unique("nobody"), "password": "not the password"}
    )
    assert unknown.json()["detail"] == response.json()["detail"]
