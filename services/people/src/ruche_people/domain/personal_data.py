"""A worker's personal data and their checks, field by field, each refusal naming its field.

Checks normalise as they go: the nationality and country in upper case, the NISS as its 11 digits, the mobile
number in E.164, the IBAN without spaces. The NISS must agree with the birth date and sex it encodes (a typo
guard). A Belgian address's postal code must be in the shipped list; the municipality is free text.

`check_fields` checks what is there (a draft of the self-service form may miss fields); `complete` requires every
field and builds `PersonalData`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any, Literal, get_args

import phonenumbers
import pycountry
from email_validator import EmailNotValidError, validate_email
from ruche_contracts.identifiers import niss_birth_date, niss_sex, normalize_niss
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as StdnumError

from . import postal_codes
from .errors import InvalidPersonalData

Sex = Literal["M", "F", "X"]
CivilStatus = Literal["single", "married", "legal_cohabitation", "divorced", "separated", "widowed"]
Language = Literal["fr", "nl", "de", "en"]
SEXES: tuple[str, ...] = get_args(Sex)
CIVIL_STATUSES: tuple[str, ...] = get_args(CivilStatus)
LANGUAGES: tuple[str, ...] = get_args(Language)
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)
TEXT_LIMITS = {"birth_place": 100, "street": 150, "number": 10, "box": 10, "municipality": 100, "postal_code": 12}


@dataclass(frozen=True)
class Address:
    street: str
    number: str
    postal_code: str
    municipality: str
    country: str
    box: str | None = None


@dataclass(frozen=True)
class PersonalData:
    nationality: str
    niss: str
    birth_date: date
    birth_place: str
    sex: Sex
    civil_status: CivilStatus
    civil_status_date: date | None
    language: Language
    private_email: str
    mobile_phone: str
    iban: str
    address: Address

    def as_fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


FIELDS: tuple[str, ...] = tuple(f.name for f in fields(PersonalData))
OPTIONAL = frozenset({"civil_status_date"})  # required unless single: see `complete`


def address_of(value: Mapping[str, Any] | Address) -> Address:
    if isinstance(value, Address):
        return value
    unknown = set(value) - {f.name for f in fields(Address)}
    if unknown:
        raise InvalidPersonalData("Unknown address field.", field=f"address.{sorted(unknown)[0]}")
    return Address(
        street=value.get("street") or "",
        number=value.get("number") or "",
        postal_code=value.get("postal_code") or "",
        municipality=value.get("municipality") or "",
        country=value.get("country") or "",
        box=value.get("box") or None,
    )


def address_fields(address: Address) -> dict[str, Any]:
    return asdict(address)


# One field ---------------------------------------------------------------------------------------------------
def check_field(name: str, value: Any, *, today: date) -> Any:
    """The field's value normalised, or InvalidPersonalData naming it."""
    check = _CHECKS.get(name)
    if check is None:
        raise InvalidPersonalData("Unknown personal data field.", field=name)
    return check(name, value, today)


def _text(name: str, value: Any, _today: date | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidPersonalData("Required.", field=name)
    text = " ".join(value.split())
    limit = TEXT_LIMITS.get(name.rsplit(".", 1)[-1], 100)
    if len(text) > limit:
        raise InvalidPersonalData(f"At most {limit} characters.", field=name)
    return text


def _country(name: str, value: Any, _today: date | None = None) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
        raise InvalidPersonalData("Not an ISO 3166-1 country code (two letters, e.g. BE).", field=name)
    return code


def _niss(name: str, value: Any, _today: date) -> str:
    try:
        return normalize_niss(str(value))
    except ValueError as exc:
        raise InvalidPersonalData("Not a valid national register or BIS number.", field=name) from exc


def _date(name: str, value: Any, _today: date) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            value = None
    if not isinstance(value, date):
        raise InvalidPersonalData("Not a date (YYYY-MM-DD).", field=name)
    if not FIRST_DATE <= value <= LAST_DATE:
        raise InvalidPersonalData(f"Between {FIRST_DATE.year} and {LAST_DATE.year}.", field=name)
    return value


def _birth_date(name: str, value: Any, today: date) -> date:
    born = _date(name, value, today)
    if born > today:
        raise InvalidPersonalData("The birth date is in the future.", field=name)
    return born


def _choice(options: tuple[str, ...]) -> Any:
    def check(name: str, value: Any, _today: date) -> str:
        if value not in options:
            raise InvalidPersonalData(f"One of {', '.join(options)}.", field=name)
        return str(value)

    return check


def _email(name: str, value: Any, _today: date) -> str:
    try:
        return validate_email(str(value), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidPersonalData("Not a valid e-mail address.", field=name) from exc


def _mobile(name: str, value: Any, _today: date) -> str:
    try:
        number = phonenumbers.parse(str(value), "BE")
    except phonenumbers.NumberParseException as exc:
        raise InvalidPersonalData("Not a phone number.", field=name) from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPersonalData("Not a valid phone number.", field=name)
    if phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE:
        raise InvalidPersonalData("A landline number: give a mobile number.", field=name)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _iban(name: str, value: Any, _today: date) -> str:
    try:
        return str(stdnum_iban.validate(str(value)))
    except StdnumError as exc:
        raise InvalidPersonalData("Not a valid IBAN.", field=name) from exc


def _address(name: str, value: Any, today: date) -> Address:
    if not isinstance(value, Mapping | Address):
        raise InvalidPersonalData("Required.", field=name)
    given = address_of(value)
    country = _country(f"{name}.country", given.country)
    postal_code = _text(f"{name}.postal_code", given.postal_code)
    if country == "BE" and not postal_codes.exists(postal_code):
        raise InvalidPersonalData("Not a Belgian postal code.", field=f"{name}.postal_code")
    box = given.box.strip() if given.box else None
    return Address(
        street=_text(f"{name}.street", given.street),
        number=_text(f"{name}.number", given.number),
        box=_text(f"{name}.box", box) if box else None,
        postal_code=postal_code,
        municipality=_text(f"{name}.municipality", given.municipality),
        country=country,
    )


_CHECKS: dict[str, Any] = {
    "nationality": _country,
    "niss": _niss,
    "birth_date": _birth_date,
    "birth_place": _text,
    "sex": _choice(SEXES),
    "civil_status": _choice(CIVIL_STATUSES),
    "civil_status_date": _date,
    "language": _choice(LANGUAGES),
    "private_email": _email,
    "mobile_phone": _mobile,
    "iban": _iban,
    "address": _address,
}


def check_address(address: Address | Mapping[str, Any], *, field: str = "address") -> Address:
    result: Address = _address(field, address, LAST_DATE)  # no date involved: any day will do
    return result


def check_civil_status(value: Any, *, field: str = "civil_status") -> CivilStatus:
    result: CivilStatus = _choice(CIVIL_STATUSES)(field, value, LAST_DATE)
    return result


# Several fields ----------------------------------------------------------------------------------------------
def check_fields(values: Mapping[str, Any], *, today: date) -> dict[str, Any]:
    """The given fields, each checked (None: left empty); the NISS checked against birth date and sex when
    all three are there."""
    checked = {name: check_field(name, value, today=today) for name, value in values.items() if value is not None}
    _agree(checked)
    return checked


def complete(values: Mapping[str, Any], *, today: date) -> PersonalData:
    """Every field checked and present: the personal data that can count."""
    checked = check_fields(values, today=today)
    for name in FIELDS:
        if name not in checked and name not in OPTIONAL:
            raise InvalidPersonalData("Required.", field=name)
    if checked["civil_status"] != "single" and checked.get("civil_status_date") is None:
        raise InvalidPersonalData("The date of this civil status is required.", field="civil_status_date")
    found: dict[str, Any] = {name: checked.get(name) for name in FIELDS}
    return PersonalData(**found)


def _agree(checked: Mapping[str, Any]) -> None:
    niss, born, sex = checked.get("niss"), checked.get("birth_date"), checked.get("sex")
    if niss is not None and born is not None:
        encoded = niss_birth_date(niss)
        if encoded is not None and encoded != born:
            raise InvalidPersonalData("The birth date does not match the one encoded in the NISS.", field="birth_date")
    if niss is not None and sex in ("M", "F"):
        encoded_sex = niss_sex(niss)
        if encoded_sex is not None and encoded_sex != sex:
            raise InvalidPersonalData("The sex does not match the one encoded in the NISS.", field="sex")
    since = checked.get("civil_status_date")
    if born is not None and since is not None and since < born:
        raise InvalidPersonalData("The civil status date is before the birth date.", field="civil_status_date")


def civil_status_since(data: PersonalData) -> date:
    """The effective date of the civil status: its date, or birth for a single person without one."""
    return data.civil_status_date or data.birth_date
