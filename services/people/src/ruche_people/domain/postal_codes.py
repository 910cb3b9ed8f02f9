"""Belgian postal codes, from the list shipped in `reference/postal_codes.csv` (code, municipality, language)."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CSV = Path(__file__).parent / "reference" / "postal_codes.csv"


@cache
def municipalities() -> dict[str, tuple[str, ...]]:
    """Each postal code with the names of the places it serves."""
    found: dict[str, list[str]] = {}
    with CSV.open(encoding="utf-8") as lines:
        rows = csv.reader(line for line in lines if line.strip() and not line.startswith("#"))
        next(rows)  # header
        for code, name, *_ in rows:
            found.setdefault(code.strip(), []).append(name.strip())
    return {code: tuple(names) for code, names in found.items()}


def exists(postal_code: str) -> bool:
    return postal_code.strip() in municipalities()


def places(postal_code: str) -> tuple[str, ...]:
    return municipalities().get(postal_code.strip(), ())
