"""Nothing a client can send gets a 500: schemathesis generates requests from each service's own OpenAPI
document (valid and invalid bodies, queries and paths) and sends them through the gateway with a token."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import pytest
from ruche_devstack.stack import Stack

from .support import Employer

SERVICES = ["identity", "people", "calendar", "presence", "vault"]
SCHEMATHESIS = Path(sys.executable).parent / "schemathesis"


@pytest.mark.parametrize("service", SERVICES)
async def test_generated_requests_never_get_a_server_error(stack: Stack, employer: Employer, service: str) -> None:
    base = f"{stack.gateway_url}/{service}"
    result = await asyncio.to_thread(
        subprocess.run,
        [
            str(SCHEMATHESIS),
            "run",
            f"{base}/openapi.json",
            "--url",
            base,
            "-H",
            f"Authorization: Bearer {employer.token}",
            "--checks",
            "not_a_server_error",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "40",
            "--seed",
            "20261122",  # the same cases every run
            "--no-color",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
