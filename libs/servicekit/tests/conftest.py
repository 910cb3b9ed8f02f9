"""A sample payload for the servicekit tests (the scratch database comes from ruche_testing's fixtures)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from ruche_contracts.people import WorkerRegistered


@pytest.fixture
def registered() -> Callable[[str], WorkerRegistered]:
    """Builds a valid WorkerRegistered payload for a worker id."""
    return _registered


def _registered(worker_id: str) -> WorkerRegistered:
    return WorkerRegistered(
        worker_id=worker_id,
        first_name="A",
        last_name="B",
        niss="85073003328",
        birth_date=date(1985, 7, 30),
        sex="M",
        nationality="BE",
        work_email="a@example.be",
    )
