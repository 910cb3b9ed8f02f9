"""The runner's service and gateway handling, with stand-in services (the real ones are e2e's business)."""

import json
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ruche_devstack import NotReadyError, Stack, ephemeral_profile

SERVICES = ("identity", "people")


def _get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> dict[str, Any]:
    request = urllib.request.Request(url, headers=headers or {}, data=data)  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
        return dict(json.load(response))


@pytest.fixture(scope="module")
def stack(
    tmp_path_factory: pytest.TempPathFactory, dummy_service_command: Callable[[str, int], list[str]]
) -> Iterator[Stack]:
    stack = Stack(
        ephemeral_profile("services"),
        services=SERVICES,
        service_command=dummy_service_command,
        run_dir_path=tmp_path_factory.mktemp("run"),
        env={"OTEL_EXPORTER_OTLP_ENDPOINT": "http://o:4318"},
        service_timeout=15,
    )
    stack.prepare()
    try:
        stack.start_services(extra_env={"people": {"FEATURE_X": "on"}})
        stack.start_gateway()
        yield stack
    finally:
        stack.stop()
    assert stack.leftovers() == {}


def test_services_get_their_environment(stack: Stack) -> None:
    env = _get(f"{stack.service_url('people')}/env")["env"]
    for key, value in stack.service_environment("people").items():
        assert env[key] == value
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://o:4318"
    assert env["FEATURE_X"] == "on"
    assert "FEATURE_X" not in _get(f"{stack.service_url('identity')}/env")["env"]


def test_gateway_strips_the_prefix_and_sets_forwarding_headers(stack: Stack) -> None:
    echoed = _get(
        f"{stack.gateway_url}/people/workers?x=1",
        headers={
            "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            "tracestate": "ruche=1",
        },
    )
    headers = {k.lower(): v for k, v in echoed["headers"].items()}
    assert echoed["path"] == "/workers?x=1"
    assert headers["host"] == f"127.0.0.1:{stack.profile.gateway}"
    assert headers["x-forwarded-prefix"] == "/people"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["x-forwarded-for"] == "127.0.0.1"
    assert len(headers["x-request-id"]) == 32
    assert headers["traceparent"] == "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    assert headers["tracestate"] == "ruche=1"

    kept = _get(f"{stack.gateway_url}/identity/", headers={"X-Request-ID": "mine"})
    assert kept["headers"]["X-Request-ID"] == "mine"
    assert kept["headers"]["X-Forwarded-Prefix"] == "/identity"


def test_gateway_health_and_body_limit(stack: Stack) -> None:
    with urllib.request.urlopen(f"{stack.gateway_url}/healthz", timeout=5) as response:  # noqa: S310
        assert response.status == 200
    assert _get(f"{stack.gateway_url}/people/upload", data=b"x" * (15 * 1024 * 1024))["body_length"] == 15 * 1024 * 1024
    with pytest.raises(urllib.error.HTTPError, match="413"):
        _get(f"{stack.gateway_url}/people/upload", data=b"x" * (21 * 1024 * 1024))


def test_kill_and_restart_a_service_with_extra_env(stack: Stack) -> None:
    old_pid = stack.process("people").pid
    stack.kill_service("people")
    assert not stack.process("people").is_running()
    with pytest.raises(urllib.error.URLError):
        _get(f"{stack.service_url('people')}/env")

    stack.start_service("people", extra_env={"OUTBOX_RELAY_ENABLED": "false"})
    assert stack.process("people").pid != old_pid
    env = _get(f"{stack.gateway_url}/people/env")["env"]
    assert env["OUTBOX_RELAY_ENABLED"] == "false"
    assert "FEATURE_X" not in env


def test_a_crashing_service_fails_fast_with_its_log(stack: Stack) -> None:
    with pytest.raises(NotReadyError, match="dummy crashed on purpose"):
        stack.start_service("identity", extra_env={"DUMMY_CRASH": "1"})
    stack.start_service("identity")


def test_prepare_refuses_busy_ports(stack: Stack, run_dir: Path) -> None:
    other = Stack(stack.profile, services=SERVICES, run_dir_path=run_dir, env={})
    with pytest.raises(RuntimeError, match="ports already in use"):
        other.prepare()


def test_a_second_runner_on_the_same_run_dir_is_refused(stack: Stack) -> None:
    other = Stack(stack.profile, services=SERVICES, run_dir_path=stack.run_dir, env={})
    with pytest.raises(RuntimeError, match="another runner"):
        other.prepare()
    assert stack.process("people").is_running()
