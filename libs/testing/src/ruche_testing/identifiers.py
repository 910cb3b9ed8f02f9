"""Random but valid Belgian identifiers, and unique names, so tests never collide with each other's data."""

from __future__ import annotations

import random
import uuid
from datetime import date


def random_enterprise_number() -> str:
    first8 = random.randint(2_000_000, 9_999_999)  # leading 0, as every number issued so far
    return f"{first8:08d}{97 - first8 % 97:02d}"


def random_niss(birth: date | None = None, sex: str = "M") -> str:
    birth = birth or date(random.randint(1960, 1999), random.randint(1, 12), random.randint(1, 28))
    counter = random.randrange(1 if sex == "M" else 2, 998, 2)
    first9 = int(f"{birth:%y%m%d}{counter:03d}")
    if birth.year >= 2000:
        first9 += 2_000_000_000
    return f"{birth:%y%m%d}{counter:03d}{97 - first9 % 97:02d}"


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:10]}"
