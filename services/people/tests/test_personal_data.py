"""Personal data checks on plain values: each refusal names its field, accepted values come back normalised, and
the NISS must agree with the birth date and sex it encodes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from ruche_people.domain import postal_codes
from ruche_people.domain.errors import InvalidPersonalData
from ruche_people.domain.personal_data import Address, check_fields, complete

TODAY = date(2026, 3, 2)
BIS_NUMBER = "94451700231"  # a BIS number (month + 40): born 17/05/1994, a woman


def values(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "nationality": "be",
        "niss": "94.05.17-210.28",
        "birth_date": date(1994, 5, 17),
        "birth_place": "  Namur ",
        "sex": "F",
        "civil_status": "single",
        "language": "nl",
        "private_email": "Lotte@Example.org",
        "mobile_phone": "0470 12 34 56",
        "iban": "be71 0961 2345 6769",
        "address": {
            "street": "Rue de Fer",
            "number": "12",
            "postal_code": "5000",
            "municipality": "Namur",
            "country": "be",
        },
    }
    return base | overrides


def refused_field(**overrides: Any) -> str | None:
    with pytest.raises(InvalidPersonalData) as refused:
        complete(values(**overrides), today=TODAY)
    return refused.value.field


def test_accepted_values_come_back_normalised() -> None:
    data = complete(values(), today=TODAY)

    assert (data.nationality, data.niss, data.birth_place) == ("BE", "94051721028", "Namur")
    assert (data.mobile_phone, data.iban) == ("+32470123456", "BE71096123456769")
    assert data.private_email == "Lotte@example.org"
    assert data.address == Address("Rue de Fer", "12", "5000", "Namur", "BE")
    assert data.civil_status_date is None


def test_a_bis_number_is_accepted_when_birth_date_and_sex_agree() -> None:
    assert complete(values(niss=BIS_NUMBER), today=TODAY).niss == BIS_NUMBER
    assert refused_field(niss=BIS_NUMBER, sex="M") == "sex"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"niss": "94051721029"}, "niss"),
        ({"birth_date": date(1994, 5, 18)}, "birth_date"),
        ({"sex": "M"}, "sex"),
        ({"birth_date": date(2027, 1, 1), "niss": None}, "birth_date"),
        ({"nationality": "UK"}, "nationality"),
        ({"iban": "BE71 0961 2345 6768"}, "iban"),
        ({"mobile_phone": "02 555 12 12"}, "mobile_phone"),
        ({"mobile_phone": "call me"}, "mobile_phone"),
        ({"private_email": "lotte@"}, "private_email"),
        ({"language": "es"}, "language"),
        ({"civil_status": "married"}, "civil_status_date"),
        ({"civil_status": "divorced", "civil_status_date": date(1990, 1, 1)}, "civil_status_date"),
        ({"birth_place": "   "}, "birth_place"),
        (
            {"address": {"street": "Rue", "number": "1", "postal_code": "1001", "municipality": "X", "country": "BE"}},
            "address.postal_code",
        ),
        (
            {"address": {"street": "", "number": "1", "postal_code": "1000", "municipality": "X", "country": "BE"}},
            "address.street",
        ),
        (
            {"address": {"street": "Rue", "number": "1", "postal_code": "1000", "municipality": "X", "country": "XY"}},
            "address.country",
        ),
    ],
)
def test_a_bad_value_is_refused_naming_its_field(overrides: dict[str, Any], field: str) -> None:
    assert refused_field(**overrides) == field


def test_a_missing_field_is_named() -> None:
    incomplete = values()
    del incomplete["iban"]

    with pytest.raises(InvalidPersonalData) as refused:
        complete(incomplete, today=TODAY)

    assert refused.value.field == "iban"


def test_a_foreign_address_keeps_its_own_postal_code_and_a_foreign_mobile_its_country() -> None:
    paris = {"street": "Rue de Rivoli", "number": "1", "postal_code": "75001", "municipality": "Paris", "country": "FR"}

    data = complete(values(address=paris, mobile_phone="+33 6 12 34 56 78", nationality="FR"), today=TODAY)

    assert (data.address.postal_code, data.mobile_phone) == ("75001", "+33612345678")


def test_a_draft_checks_only_what_is_there() -> None:
    assert check_fields({"iban": "BE71 0961 2345 6769"}, today=TODAY) == {"iban": "BE71096123456769"}
    assert check_fields({"iban": None}, today=TODAY) == {}


def test_the_shipped_postal_codes_cover_every_province_and_brussels() -> None:
    for code in (
        "1000",
        "1050",
        "1300",
        "1500",
        "2000",
        "3000",
        "3500",
        "4000",
        "4700",
        "5000",
        "6000",
        "6700",
        "7000",
        "8000",
        "9000",
        "9990",
    ):
        assert postal_codes.exists(code), code
    assert "Ixelles" in postal_codes.places("1050") and "Elsene" in postal_codes.places("1050")
    assert not postal_codes.exists("0999") and len(postal_codes.municipalities()) > 1000
