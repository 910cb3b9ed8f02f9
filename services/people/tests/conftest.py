"""The scratch database of `ruche_testing.fixtures`, with people's indexes (the NISS is unique per employer), and
a new hire's personal data as HR or the new hire would type them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from ruche_people import repository
from ruche_testing import random_niss

BIRTH = date(1994, 5, 17)
PersonalDataFactory = Callable[..., dict[str, Any]]


@pytest.fixture
async def db(db: AsyncDatabase[Any]) -> AsyncDatabase[Any]:
    await repository.create_indexes(db)
    return db


def personal_data_values(**overrides: Any) -> dict[str, Any]:
    """Complete, valid personal data (a fresh NISS each time), as JSON would carry them."""
    values: dict[str, Any] = {
        "nationality": "BE",
        "niss": random_niss(BIRTH, "F"),
        "birth_date": BIRTH.isoformat(),
        "birth_place": "Namur",
        "sex": "F",
        "civil_status": "single",
        "civil_status_date": None,
        "language": "fr",
        "private_email": "lotte.maes@example.org",
        "mobile_phone": "0470 12 34 56",
        "iban": "BE71 0961 2345 6769",
        "address": {
            "street": "Rue de Fer",
            "number": "12",
            "box": None,
            "postal_code": "5000",
            "municipality": "Namur",
            "country": "BE",
        },
    }
    return values | overrides


@pytest.fixture
def personal_data() -> PersonalDataFactory:
    return personal_data_values
