"""The grants a busy identity serves most look every document up by `_id`, the one filter FerretDB answers from
an index: refresh-token rotation, client credentials (the machine, its used assertions) and an employee's login
(the account, its failed attempts)."""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from ruche_contracts import new_event
from ruche_contracts.document_vault import VaultOpened
from ruche_identity.domain.errors import LoginRefused
from ruche_identity.use_cases import employees, technical_users, tokens

from .conftest import MANAGER_PASSWORD, T0, Enterprise
from .test_tokens import ISSUER


async def test_refresh_and_client_credential_grants_never_scan(db, logged_db, enterprise: Enterprise) -> None:
    logged, log = logged_db
    first = await tokens.grant(
        db,
        tokens.TokenRequest("password", username=enterprise.manager.username, password=MANAGER_PASSWORD),
        ISSUER,
        now=T0,
    )
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    robot, _ = await technical_users.register(
        db, enterprise.manager, name="m", public_key=pem.decode(), grants={}, now=T0
    )

    log.clear()
    await tokens.grant(logged, tokens.TokenRequest("refresh_token", refresh_token=first.refresh_token), ISSUER, now=T0)
    now = time.time()
    claims = {
        "iss": robot.user_id,
        "sub": robot.user_id,
        "aud": ISSUER.issuer,
        "iat": now,
        "exp": now + 60,
        "jti": uuid.uuid4().hex,
    }
    request = tokens.TokenRequest(
        "client_credentials",
        client_assertion_type=tokens.client_keys.ASSERTION_TYPE,
        client_assertion=jwt.encode(claims, key, algorithm="ES256"),
    )
    await tokens.grant(logged, request, ISSUER, now=T0)
    assert log.filters, "the grants were recorded"
    assert log.scans() == []


async def test_an_employees_login_never_scans(db, logged_db, enterprise: Enterprise) -> None:
    logged, log = logged_db
    opened = VaultOpened(vault_id="w1", worker_id="w1", identifier="100000000195")
    await employees.open_account(db, new_event(opened, tenant=enterprise.number, subject="w1"))
    letter = await employees.enrollment_letter(db, tenant=enterprise.number, worker_id="w1", now=T0)
    own = "a phrase of mine 1"
    await employees.first_login(
        db,
        identifier=letter.identifier,
        password=letter.provisional_password,
        new_password=own,
        new_password_confirmation=own,
        email="lou@example.be",
        email_confirmation="lou@example.be",
        now=T0,
    )
    log.clear()
    with pytest.raises(LoginRefused):  # a failed attempt is counted by `_id` too
        await tokens.grant(
            logged, tokens.TokenRequest("password", username=letter.identifier, password="wrong one"), ISSUER, now=T0
        )
    await tokens.grant(
        logged, tokens.TokenRequest("password", username=letter.identifier, password=own), ISSUER, now=T0
    )
    assert log.filters and log.scans() == []
