"""Fixtures every test tier shares. The real stack (Kafka, FerretDB, SMTP sink, the five services, the
nginx gateway) starts once per test session, on the `test` port profile so `make up` can run beside it,
and only when a test asks for it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from ruche_devstack.stack import Stack


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    with Stack("test") as running:
        yield running


@pytest.fixture(scope="session")
def kafka(stack: Stack) -> str:
    return stack.kafka_bootstrap


@pytest.fixture(scope="session")
def mongodb_url(stack: Stack) -> str:
    return stack.mongodb_url
