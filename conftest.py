"""Fixtures every test tier shares. The real stack (Kafka, FerretDB, SMTP sink, the five services, the
nginx gateway) starts once per test session, on the `test` port profile so `make up` can run beside it,
and only when a test asks for it."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from ruche_devstack.ports import ephemeral_profile
from ruche_devstack.stack import Stack

from tests.e2e.otlp_sink import OtlpSink

pytest_plugins = ["ruche_testing.fixtures"]
INFRA_FIXTURES = frozenset({"stack", "kafka", "scratch_mongodb_url"})


@pytest.fixture(scope="session")
def otlp_sink() -> Iterator[OtlpSink]:
    with OtlpSink() as sink:
        yield sink


@pytest.fixture(scope="session")
def stack(otlp_sink: OtlpSink) -> Iterator[Stack]:
    # The services export their spans to the sink, in small batches so tests need not wait long.
    env = {**os.environ, "OTEL_EXPORTER_OTLP_ENDPOINT": otlp_sink.endpoint, "OTEL_BSP_SCHEDULE_DELAY": "200"}
    # RUCHE_TEST_STACK=<name> runs the stack on free ports under .run/<name>, so two test runs can share a machine.
    name = os.environ.get("RUCHE_TEST_STACK")
    with Stack(ephemeral_profile(name) if name else "test", env=env) as running:
        yield running


@pytest.fixture(scope="session")
def kafka(request: pytest.FixtureRequest) -> str:
    """The stack's Kafka; `RUCHE_TEST_KAFKA` names another broker (e.g. `make up`'s) for the servicekit tests
    without starting the whole stack."""
    if external := os.environ.get("RUCHE_TEST_KAFKA"):
        return external
    stack: Stack = request.getfixturevalue("stack")
    return stack.kafka_bootstrap


@pytest.fixture(scope="session")
def mongodb_url(stack: Stack) -> str:
    return stack.mongodb_url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # A test that needs the stack or a real database is an infrastructure test: `make test-unit` leaves those out.
    for item in items:
        if INFRA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.infra)
