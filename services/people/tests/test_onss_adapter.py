"""The ONSS client on its own: the client assertion ONSS asks for, one token for many calls until it nears its
end, a declaration's id from its Location, 404 while processed, and each failure sorted into "try again later"
or "not taken"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from ruche_onss.keys import ensure_key_pair
from ruche_people.adapters.onss import ASSERTION_TYPE, OnssClient, OnssRejected, OnssUnavailable

API = "https://onss.test/REST/dimona/v1"
TOKEN = "https://onss.test/REST/oauth/v3/token"


class Onss:
    """A scripted ONSS: answers by (method, path), records the requests."""

    def __init__(self, answers: dict[tuple[str, str], list[httpx.Response]]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []
        self.tokens = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/token"):
            self.tokens += 1
            return httpx.Response(
                200, json={"access_token": f"t{self.tokens}", "token_type": "Bearer", "expires_in": 600}
            )
        queue = self.answers[(request.method, request.url.path)]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


def client(tmp_path: Path, onss: Onss) -> OnssClient:
    key = tmp_path / "expeditor.pem"
    ensure_key_pair(tmp_path / "keys", "123456", key)
    return OnssClient(
        token_url=TOKEN,
        api_url=API,
        audience="https://oauth.socialsecurity.be",
        expeditor="123456",
        private_key_file=key,
        http=httpx.AsyncClient(transport=httpx.MockTransport(onss)),
    )


def created(declaration_id: int) -> httpx.Response:
    return httpx.Response(201, headers={"Location": f"/REST/dimona/v1/declarations/{declaration_id}"})


async def test_the_assertion_is_what_onss_verifies_and_one_token_serves_many_calls(tmp_path: Path) -> None:
    onss = Onss({("POST", "/REST/dimona/v1/declarations"): [created(700000001), created(700000002)]})
    dimona = client(tmp_path, onss)
    assert await dimona.declare({"x": 1}) == "700000001"
    assert await dimona.declare({"x": 2}) == "700000002"
    assert onss.tokens == 1
    form = parse_qs(onss.requests[0].content.decode())
    assert form["grant_type"] == ["client_credentials"] and form["client_assertion_type"] == [ASSERTION_TYPE]
    public = serialization.load_pem_public_key((tmp_path / "keys" / "123456.pem").read_bytes())
    claims: dict[str, Any] = jwt.decode(
        form["client_assertion"][0],
        public,  # type: ignore[arg-type]
        algorithms=["RS256"],
        audience="https://oauth.socialsecurity.be",
    )
    assert claims["iss"] == claims["sub"] == "self_service_expeditor_123456"
    assert 0 < claims["exp"] - claims["iat"] <= 600 and claims["jti"]
    assert onss.requests[1].headers["Authorization"] == "Bearer t1"
    assert json.loads(onss.requests[1].content) == {"x": 1}


async def test_an_answer_is_none_while_processed_then_the_result(tmp_path: Path) -> None:
    status = {
        "declarationStatus": {
            "declarationId": 7,
            "declarationType": "IN",
            "result": "B",
            "dimonaPeriodId": None,
            "anomalies": [{"code": "00040-001", "severity": "blocking", "label": {"fr": "f", "nl": "n", "en": "e"}}],
        }
    }
    path = ("GET", "/REST/dimona/v1/declarations/7")
    onss = Onss({path: [httpx.Response(404, json={}), httpx.Response(200, json=status)]})
    dimona = client(tmp_path, onss)
    assert await dimona.answer("7") is None
    answer = await dimona.answer("7")
    assert answer is not None and answer.result == "B" and answer.period_id is None
    assert answer.anomalies[0].code == "00040-001" and answer.anomalies[0].label["nl"] == "n"


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(503, json={}), httpx.Response(500), httpx.ConnectError("refused"), httpx.ReadTimeout("slow")],
)
async def test_unavailability_is_try_again_later(tmp_path: Path, failure: Any) -> None:
    onss = Onss({("POST", "/REST/dimona/v1/declarations"): [failure]})
    with pytest.raises(OnssUnavailable):
        await client(tmp_path, onss).declare({})


async def test_an_expired_token_is_asked_again_and_a_bad_declaration_is_not_taken(tmp_path: Path) -> None:
    problem = {"status": 400, "errors": [{"field": "dimonaIn.startingDate", "message": "Field required"}]}
    onss = Onss(
        {("POST", "/REST/dimona/v1/declarations"): [httpx.Response(401, json={}), httpx.Response(400, json=problem)]}
    )
    dimona = client(tmp_path, onss)
    with pytest.raises(OnssUnavailable):
        await dimona.declare({})
    with pytest.raises(OnssRejected) as rejected:
        await dimona.declare({})
    assert onss.tokens == 2
    assert rejected.value.anomalies[0].code == "schema"
    assert "dimonaIn.startingDate" in rejected.value.anomalies[0].label["en"]
