"""The simulator's HTTP API as a client sees it: a token for a signed assertion (once), a declaration answered
201 with its Location, 404 until processed, then its result; scenarios that refuse, delay or fail on purpose."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from ruche_onss.keys import ensure_key_pair
from ruche_onss.main import create_app
from ruche_onss.settings import OnssSettings
from ruche_onss.tokens import ASSERTION_TYPE
from ruche_testing import eventually

EXPEDITOR = "123456"
SSIN = "85073003328"


@pytest.fixture
async def onss(tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, Path]]:
    private = tmp_path / "expeditor.key"
    ensure_key_pair(tmp_path / "keys", EXPEDITOR, private)
    app = create_app(OnssSettings(keys_dir=tmp_path / "keys", processing_seconds=0.2, identification_seconds=0.3))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://onss") as client:
        yield client, private


def assertion(private: Path | Any, **overrides: Any) -> str:
    key = private.read_bytes() if isinstance(private, Path) else private
    now = int(time.time())
    issuer = f"self_service_expeditor_{EXPEDITOR}"
    claims = {"iss": issuer, "sub": issuer, "aud": "https://oauth.socialsecurity.be", "iat": now, "exp": now + 60}
    return jwt.encode(claims | {"jti": str(uuid.uuid4())} | overrides, key, algorithm="RS256")


def token_form(signed: str) -> dict[str, str]:
    return {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE, "client_assertion": signed}


async def bearer(client: httpx.AsyncClient, private: Path) -> dict[str, str]:
    answer = await client.post("/REST/oauth/v3/token", data=token_form(assertion(private)))
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def dimona_in(**dimona: Any) -> dict[str, Any]:
    return {
        "employer": {"enterpriseNumber": "0403170701"},
        "worker": {"ssin": SSIN},
        "dimonaIn": {
            "startingDate": str(date.today() + timedelta(days=5)),
            "dimonaFeatures": {"jointCommissionNumber": "200", "workerType": "OTH"},
            **dimona,
        },
    }


async def result(client: httpx.AsyncClient, headers: dict[str, str], location: str) -> dict[str, Any]:
    async def processed() -> dict[str, Any] | None:
        answer = await client.get(location, headers=headers)
        assert answer.status_code in (200, 404)
        return answer.json() if answer.status_code == 200 else None

    return await eventually(processed, what="the declaration's result", timeout=5)


async def test_an_assertion_signed_by_another_key_or_replayed_is_refused(onss) -> None:
    client, private = onss
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    refused = await client.post("/REST/oauth/v3/token", data=token_form(assertion(stranger)))
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_client"
    wrong_audience = await client.post("/REST/oauth/v3/token", data=token_form(assertion(private, aud="https://x")))
    assert wrong_audience.status_code == 400
    signed = assertion(private)
    assert (await client.post("/REST/oauth/v3/token", data=token_form(signed))).status_code == 200
    again = await client.post("/REST/oauth/v3/token", data=token_form(signed))
    assert again.status_code == 400 and "used already" in again.json()["error_description"]


async def test_a_declaration_is_processed_later_then_accepted_with_its_period(onss) -> None:
    client, private = onss
    headers = await bearer(client, private)
    assert (await client.post("/REST/dimona/v1/declarations", json=dimona_in())).status_code == 401
    created = await client.post("/REST/dimona/v1/declarations", json=dimona_in(), headers=headers)
    assert created.status_code == 201
    location = created.headers["Location"]
    assert (await client.get(location, headers=headers)).status_code == 404  # not processed yet
    status = (await result(client, headers, location))["declarationStatus"]
    assert status["result"] == "A" and status["anomalies"] == []
    period = status["dimonaPeriodId"]
    end = str(date.today() + timedelta(days=60))
    out = {"employer": {"enterpriseNumber": "0403170701"}, "dimonaOut": {"dimonaNumber": period, "endingDate": end}}
    ended = await client.post("/REST/dimona/v1/declarations", json=out, headers=headers)
    answer = await result(client, headers, ended.headers["Location"])
    assert answer["declarationStatus"]["result"] == "A"
    assert answer["dimonaPeriod"]["endingDate"] == end


async def test_a_student_without_end_is_refused_with_labelled_anomalies_and_a_correction_is_accepted(onss) -> None:
    client, private = onss
    headers = await bearer(client, private)
    student = dimona_in(dimonaFeatures={"jointCommissionNumber": "200", "workerType": "STU"}, plannedHoursNumber=40)
    refused = await client.post("/REST/dimona/v1/declarations", json=student, headers=headers)
    status = (await result(client, headers, refused.headers["Location"]))["declarationStatus"]
    assert status["result"] == "B" and status["dimonaPeriodId"] is None
    [anomaly] = status["anomalies"]
    assert anomaly["code"] == "00040-001" and anomaly["label"]["nl"].startswith("De einddatum is verplicht")
    student["dimonaIn"]["endingDate"] = str(date.today() + timedelta(days=30))
    corrected = await client.post("/REST/dimona/v1/declarations", json=student, headers=headers)
    assert (await result(client, headers, corrected.headers["Location"]))["declarationStatus"]["result"] == "A"


async def test_a_malformed_declaration_is_a_400_naming_the_field(onss) -> None:
    client, private = onss
    headers = await bearer(client, private)
    answer = await client.post(
        "/REST/dimona/v1/declarations", json=dimona_in(startingDate="02/12/2026"), headers=headers
    )
    assert answer.status_code == 400 and answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["errors"][0]["field"] == "dimonaIn.startingDate"


async def test_scenarios_refuse_delay_wait_for_identification_or_make_it_unavailable(onss) -> None:
    client, private = onss
    headers = await bearer(client, private)
    await client.post("/_simulator/scenarios", json={"ssin": SSIN, "unavailable": True})
    assert (await client.post("/REST/dimona/v1/declarations", json=dimona_in(), headers=headers)).status_code == 503
    await client.post("/_simulator/scenarios", json={"ssin": SSIN, "result": "S"})
    waiting = await client.post("/REST/dimona/v1/declarations", json=dimona_in(), headers=headers)
    location = waiting.headers["Location"]
    assert (await result(client, headers, location))["declarationStatus"]["result"] == "S"

    async def identified() -> bool:
        return (await client.get(location, headers=headers)).json()["declarationStatus"]["result"] == "A"

    await eventually(identified, what="the worker's identification", timeout=5)
    [sent] = (await client.get("/_simulator/declarations", params={"ssin": SSIN})).json()
    assert sent["declarationType"] == "IN" and sent["body"]["worker"]["ssin"] == SSIN
