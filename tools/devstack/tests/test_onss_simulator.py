"""The runner starts the real ONSS simulator on its own port, with the expeditor key pair it made in the run dir:
people's environment (its DIMONA_* settings) gets a token from it, and tests reach its control routes through
`Stack.onss_url`. No Kafka or database needed."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jwt
from ruche_devstack import Stack, ephemeral_profile


def _call(url: str, form: dict[str, str] | None = None) -> Any:
    data = urllib.parse.urlencode(form).encode() if form else None
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=5) as response:  # noqa: S310
        return json.load(response)


def test_people_gets_a_dimona_token_from_the_simulator_the_runner_started(
    run_dir: Path, dummy_service_command: Callable[[str, int], list[str]]
) -> None:
    stack = Stack(
        ephemeral_profile("onss"),
        services=("people",),
        service_command=dummy_service_command,
        run_dir_path=run_dir,
        env={},
        service_timeout=30,
    )
    assert stack.onss  # people is one of the services: the simulator comes along
    stack.prepare()
    try:
        stack.start_onss()
        people = stack.service_environment("people")
        assert people["DIMONA_TOKEN_URL"] == f"{stack.onss_url}/REST/oauth/v3/token"
        assert people["DIMONA_API_URL"] == f"{stack.onss_url}/REST/dimona/v1"
        key_file = Path(people["DIMONA_PRIVATE_KEY_FILE"])
        assert key_file.is_relative_to(run_dir) and key_file.stat().st_mode & 0o077 == 0  # the owner's only

        expeditor = f"self_service_expeditor_{people['DIMONA_EXPEDITOR']}"
        now = int(time.time())
        claims = {"iss": expeditor, "sub": expeditor, "aud": "https://oauth.socialsecurity.be", "iat": now}
        assertion = jwt.encode(
            claims | {"exp": now + 300, "jti": str(uuid.uuid4())}, key_file.read_bytes(), algorithm="RS256"
        )
        granted = _call(
            people["DIMONA_TOKEN_URL"],
            {
                "grant_type": "client_credentials",
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": assertion,
            },
        )
        assert granted["token_type"].lower() == "bearer" and granted["access_token"]
        assert isinstance(_call(f"{stack.onss_url}/_simulator/declarations"), list)  # the control routes
        assert not stack.onss_url.startswith(stack.gateway_url)
    finally:
        stack.stop()
    assert stack.leftovers() == {}
