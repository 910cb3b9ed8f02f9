"""Every role against the endpoints that guard each kind of data: allowed or refused as designed, and never
another tenant's data. Roles: anonymous, platform operator, access manager, co-manager, a user holding the
access application (read only), a user with no application, an employee, a technical user (presence), another
enterprise's access manager, and that enterprise acting for the first under a people-only mandate."""

from __future__ import annotations

import time
import uuid

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from ruche_devstack.stack import Stack

from .support import Employer, activate, create_user, enroll, hire, login, operator_token, unique
from .test_hiring_flow import today

ROLES = [
    "anonymous",
    "operator",
    "manager",
    "co_manager",
    "access_reader",
    "no_grant",
    "employee",
    "technical",
    "other_manager",
    "mandated",
]
OK, UNAUTH, FORBIDDEN, NOT_FOUND = 200, 401, 403, 404


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


async def tokens_for_every_role(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer, other: Employer
) -> tuple[dict[str, str | None], dict[str, str]]:
    tokens: dict[str, str | None] = {"anonymous": None, "manager": employer.token, "other_manager": other.token}
    tokens["operator"] = await operator_token(gateway, stack)
    tokens["co_manager"] = await activate(gateway, await create_user(employer, kind="co_manager"))
    tokens["access_reader"] = await activate(gateway, await create_user(employer, grants={"access": "reader"}))
    target = await create_user(employer)  # a plain user the others try to act on
    tokens["no_grant"] = await activate(gateway, await create_user(employer))

    worker, _ = await hire(employer, today())

    own, email = "employee pass 1", f"{unique('e.')}@example.be"
    identifier = await enroll(gateway, employer, worker["worker_id"], password=own, email=email)
    tokens["employee"] = await login(gateway, identifier, own)

    key = ec.generate_private_key(ec.SECP256R1())
    pem = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    client_id = (
        await employer.post(
            "/identity/technical-users", {"name": "reader", "public_key": pem, "grants": {"presence": "registrar"}}
        )
    ).json()["client_id"]
    now = time.time()
    signed = jwt.encode(
        {
            "iss": client_id,
            "sub": client_id,
            "aud": f"{stack.gateway_url}/identity/token",
            "exp": now + 60,
            "jti": uuid.uuid4().hex,
        },
        key,
        algorithm="ES256",
    )
    tokens["technical"] = (
        await gateway.post(
            "/identity/token",
            data={
                "grant_type": "client_credentials",
                "client_assertion": signed,
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            },
        )
    ).json()["access_token"]

    await employer.post(
        "/identity/mandates", {"provider_enterprise_number": other.enterprise_number, "applications": ["people"]}
    )
    tokens["mandated"] = (
        await gateway.post(
            "/identity/token",
            data={
                "grant_type": "password",
                "username": other.username,
                "password": other.password,
                "acting_for": employer.enterprise_number,
            },
        )
    ).json()["access_token"]
    return tokens, {"target": target["user_id"], "worker": worker["worker_id"]}


async def test_every_role_gets_what_it_may_and_nothing_else(
    gateway: httpx.AsyncClient, stack: Stack, employer: Employer, other_employer: Employer
) -> None:
    tokens, ids = await tokens_for_every_role(gateway, stack, employer, other_employer)
    matrix: list[tuple[str, str, dict[str, int]]] = [
        (
            "GET",
            "/identity/users",
            expect(
                FORBIDDEN,
                anonymous=UNAUTH,
                manager=OK,
                co_manager=OK,
                access_reader=OK,
                other_manager=OK,
                mandated=FORBIDDEN,
            ),
        ),
        (
            "GET",
            f"/identity/users/{ids['target']}",
            expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, access_reader=OK, other_manager=NOT_FOUND),
        ),
        (
            "POST",
            f"/identity/users/{ids['target']}/unblock",
            expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, other_manager=NOT_FOUND),
        ),
        ("GET", "/identity/audit", expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, other_manager=OK)),
        ("GET", "/identity/mandates", expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, other_manager=OK)),
        ("GET", "/identity/designations", expect(FORBIDDEN, anonymous=UNAUTH, operator=OK)),
        ("GET", "/identity/employees/me", expect(FORBIDDEN, anonymous=UNAUTH, employee=OK)),
        (
            "GET",
            f"/identity/employees/{ids['worker']}",
            expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, other_manager=NOT_FOUND),
        ),
        (
            "GET",
            f"/people/workers/{ids['worker']}",
            expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, other_manager=NOT_FOUND, mandated=OK),
        ),
        (
            "GET",
            "/presence/registrations",
            expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, technical=OK, other_manager=OK),
        ),
        (
            "GET",
            f"/vault/workers/{ids['worker']}/vault",
            expect(FORBIDDEN, anonymous=UNAUTH, manager=OK, co_manager=OK, other_manager=NOT_FOUND),
        ),
    ]
    mismatches = []
    for method, path, expected in matrix:
        for role, wanted in expected.items():
            token = tokens[role]
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            got = (await gateway.request(method, path, headers=headers)).status_code
            if got != wanted:
                mismatches.append(f"{role:14} {method} {path}: {got}, expected {wanted}")
    assert not mismatches, "\n".join(mismatches)
