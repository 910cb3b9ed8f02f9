"""The calendar codes' catalogue and an employer's settings of a code, on plain objects: every code of the
catalogue is complete, WORK and PH stay active, and only leave types take the self-service switches."""

from __future__ import annotations

import pytest
from ruche_calendar.domain import codes
from ruche_calendar.domain.codes import (
    AlwaysActive,
    CodeSettings,
    InactiveCode,
    Kind,
    NotALeaveType,
    Unit,
    UnknownCode,
)

DAY_CODES = {"WORK", "HOL", "PH", "SICK-GS", "SICK", "TRAIN", "BIRTH", "SMALL", "TC", "OT"}
SALARY_ELEMENTS = {"3110", "5000", "5003", "5071", "5084", "BONUS"}


def test_the_catalogue_holds_every_code_of_the_domain_table() -> None:
    catalogue = codes.catalogue()

    assert {c for c, code in catalogue.items() if code.kind == Kind.PERFORMANCE} == DAY_CODES
    assert {c for c, code in catalogue.items() if code.kind == Kind.SALARY_ELEMENT} == SALARY_ELEMENTS


@pytest.mark.parametrize("code", sorted(DAY_CODES | SALARY_ELEMENTS))
def test_every_code_is_labelled_in_french_dutch_and_english(code: str) -> None:
    labels = codes.catalogue()[code].labels

    assert set(labels) == {"fr", "nl", "en"}
    assert all(label.strip() for label in labels.values())


def test_day_codes_count_in_hours_or_days_and_salary_elements_in_amounts() -> None:
    for code in codes.catalogue().values():
        if code.kind == Kind.PERFORMANCE:
            assert code.unit in {Unit.HOURS, Unit.DAY, Unit.HALF_DAY}
            assert code.max_hours_per_day == 24
        else:
            assert code.unit in {Unit.AMOUNT, Unit.UNIT_DAYS}
            assert code.max_hours_per_day is None
            assert code.dmfa_code is None
            assert not code.leave_type


def test_what_counts_as_worked_time_and_for_meal_vouchers() -> None:
    catalogue = codes.catalogue()

    assert {c for c, code in catalogue.items() if code.worked} == {"WORK", "TRAIN", "OT"}
    assert {c for c, code in catalogue.items() if code.meal_voucher} == {"WORK", "TRAIN", "OT"}
    assert (catalogue["SICK"].dmfa_code, catalogue["SICK-GS"].dmfa_code, catalogue["WORK"].dmfa_code) == (50, 1, 1)


def test_defaults_the_common_codes_active_and_paid_leave_requestable_with_validation() -> None:
    defaults = {c: code.default_settings for c, code in codes.catalogue().items()}

    assert {c for c, s in defaults.items() if s.active} == {
        "WORK",
        "PH",
        "HOL",
        "SICK-GS",
        "SICK",
        "BIRTH",
        "SMALL",
        "OT",
        "BONUS",
        "5000",
    }
    assert defaults["HOL"] == CodeSettings(active=True, requestable=True, needs_validation=True)
    assert defaults["SICK"] == CodeSettings(active=True, requestable=False, needs_validation=True)
    assert defaults["WORK"] == CodeSettings(active=True, requestable=False, needs_validation=False)


def test_a_code_is_found_whatever_its_case_and_an_unknown_one_is_refused_on_the_field_code() -> None:
    assert codes.find(" sick-gs ").code == "SICK-GS"
    with pytest.raises(UnknownCode) as refused:
        codes.find("NOPE")
    assert (refused.value.status, refused.value.field) == (404, "code")


def test_labels_follow_the_callers_language_and_fall_back_to_english() -> None:
    hol = codes.find("HOL")

    assert hol.label(codes.language_of("nl-BE,nl;q=0.9,en;q=0.8")) == "Wettelijke vakantie"
    assert hol.label(codes.language_of("de-DE, fr;q=0.5")) == "Congé payé (vacances légales)"
    assert hol.label(codes.language_of("de-DE")) == "Paid leave (statutory holidays)"
    assert codes.language_of(None) == "en"
    assert codes.language_of("fr;q=0, nl;q=0.2") == "nl"


def test_work_and_public_holidays_cannot_be_deactivated() -> None:
    for code in ("WORK", "PH"):
        with pytest.raises(AlwaysActive) as refused:
            codes.change_settings(codes.employer_code(codes.find(code), None), active=False)
        assert refused.value.field == "active"


def test_only_leave_types_can_be_made_requestable_or_validated() -> None:
    overtime = codes.employer_code(codes.find("OT"), None)

    for field in ("requestable", "needs_validation"):
        with pytest.raises(NotALeaveType) as refused:
            codes.change_settings(overtime, active=True, **{field: True})
        assert (refused.value.status, refused.value.field) == (422, field)
    assert codes.change_settings(overtime, active=False, requestable=False) == CodeSettings(False, False, False)


def test_a_switch_left_out_keeps_its_value() -> None:
    training = codes.employer_code(codes.find("TRAIN"), None)

    activated = codes.change_settings(training, active=True, needs_validation=False)

    assert activated == CodeSettings(active=True, requestable=True, needs_validation=False)


def test_an_inactive_code_is_refused_and_requestable_by_nobody() -> None:
    time_credit = codes.employer_code(
        codes.find("TC"), CodeSettings(active=False, requestable=True, needs_validation=True)
    )

    assert time_credit.requestable is False
    with pytest.raises(InactiveCode) as refused:
        codes.ensure_active(time_credit)
    assert (refused.value.status, refused.value.field) == (422, "code")
    assert codes.ensure_active(codes.employer_code(codes.find("HOL"), None)).code == "HOL"
