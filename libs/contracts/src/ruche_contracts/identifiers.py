"""Belgian identifiers as Pydantic types, validated with python-stdnum (checksums and structure): the shared
language of every service's API and of the events.

- `Niss`: national register (RRN) or BIS number, 11 digits stored without separators; the century is
  found from the check digits (19xx first, then 20xx), the BIS month offsets (+20/+40) are accepted.
- `EnterpriseNumber`: BCE/KBO number, 10 digits starting with 0 or 1, mod-97 check; 9-digit legacy
  numbers get their leading 0; dots, spaces and a `BE` prefix are tolerated on input.
- `StoredNiss` and `StoredEnterpriseNumber`: the same checks on the stored form only (exactly the digits), for
  event payloads: what a producer publishes is already normalised, and a consumer refuses anything else.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field
from stdnum.be import ssn, vat
from stdnum.exceptions import ValidationError as StdnumError


def normalize_niss(value: str) -> str:
    try:
        return ssn.validate(str(value))
    except StdnumError as exc:
        raise ValueError("not a valid national register or BIS number (NISS)") from exc


def normalize_enterprise_number(value: str) -> str:
    try:
        number = vat.validate(str(value))
    except StdnumError as exc:
        raise ValueError("not a valid enterprise number (BCE/KBO)") from exc
    return number.removeprefix("BE")


def niss_birth_date(niss: str) -> date | None:
    """The birth date a NISS encodes, or None when it encodes none (unknown month or day)."""
    try:
        return ssn.get_birth_date(niss)
    except StdnumError:
        return None


def niss_sex(niss: str) -> str | None:
    """'M' or 'F' as the NISS encodes it (odd or even counter), None for a BIS number with sex unknown."""
    return ssn.get_gender(niss)


def _strict_str(value: object) -> object:
    if not isinstance(value, str):
        raise ValueError("must be a string")
    return value


def _stored(normalize: Callable[[str], str]) -> Callable[[str], str]:
    def check(value: str) -> str:
        if normalize(value) != value:
            raise ValueError("not in its stored form (digits only)")
        return value

    return check


Niss = Annotated[str, BeforeValidator(_strict_str), AfterValidator(normalize_niss)]
EnterpriseNumber = Annotated[str, BeforeValidator(_strict_str), AfterValidator(normalize_enterprise_number)]
StoredNiss = Annotated[
    str,
    Field(pattern=r"^\d{11}$", description="National register or BIS number, 11 digits (checksum checked)."),
    AfterValidator(_stored(normalize_niss)),
]
StoredEnterpriseNumber = Annotated[
    str,
    Field(pattern=r"^[01]\d{9}$", description="Enterprise number (BCE/KBO), 10 digits (checksum checked)."),
    AfterValidator(_stored(normalize_enterprise_number)),
]
