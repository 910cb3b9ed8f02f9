"""NISS and enterprise numbers, checked with the published sample numbers of shared/domain.md."""

import pytest
from pydantic import BaseModel, ValidationError
from ruche_contracts.identifiers import EnterpriseNumber, Niss, niss_birth_date, niss_sex


class Form(BaseModel):
    niss: Niss | None = None
    enterprise_number: EnterpriseNumber | None = None


@pytest.mark.parametrize(
    ("given", "stored", "born", "sex"),
    [
        ("85.07.30-033.28", "85073003328", "1985-07-30", "M"),
        ("17073003384", "17073003384", "2017-07-30", "M"),  # born in 2000 or later: "2" prefix
        ("93051822361", "93051822361", "1993-05-18", "M"),
        ("42012205181", "42012205181", "1942-01-22", "M"),
        ("98472899765", "98472899765", "1998-07-28", "M"),  # BIS, sex known (month + 40)
        ("01490700185", "01490700185", "2001-09-07", "M"),  # BIS, 2000s
    ],
)
def test_published_niss_samples_are_valid(given, stored, born, sex) -> None:
    niss = Form(niss=given).niss
    assert niss == stored
    assert str(niss_birth_date(niss)) == born
    assert niss_sex(niss) == sex


@pytest.mark.parametrize("bad", ["85073003329", "8507300332", "850730033288", "85133003328", "abcdefghijk", ""])
def test_invalid_niss_are_refused_naming_the_field(bad) -> None:
    with pytest.raises(ValidationError) as refused:
        Form(niss=bad)
    assert refused.value.errors()[0]["loc"] == ("niss",)


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("0566.988.259", "0566988259"),
        ("BE0440966354", "0440966354"),
        ("0403019261", "0403019261"),
        ("0428759497", "0428759497"),
        ("403019261", "0403019261"),
    ],
)
def test_published_enterprise_numbers_are_valid(given, stored) -> None:
    assert Form(enterprise_number=given).enterprise_number == stored


@pytest.mark.parametrize("bad", ["0403019262", "2403019261", "04030192", "BE", "0000000000"])
def test_invalid_enterprise_numbers_are_refused(bad) -> None:
    with pytest.raises(ValidationError) as refused:
        Form(enterprise_number=bad)
    assert refused.value.errors()[0]["loc"] == ("enterprise_number",)


def test_a_number_is_not_accepted_where_a_string_is_expected() -> None:
    with pytest.raises(ValidationError):
        Form(niss=85073003328)  # type: ignore[arg-type]
