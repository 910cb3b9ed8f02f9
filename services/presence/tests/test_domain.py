from datetime import date

import pytest
from ruche_presence.domain import Period, RegistrationRefused, check_registration, new_receipt_number


def test_a_registration_inside_a_contract_from_today_on_is_accepted() -> None:
    periods = [Period(date(2026, 1, 1), None)]
    check_registration(day=date(2026, 11, 22), today=date(2026, 11, 22), periods=periods)
    check_registration(day=date(2026, 12, 1), today=date(2026, 11, 22), periods=periods)


def test_a_registration_in_the_past_is_refused() -> None:
    with pytest.raises(RegistrationRefused) as refused:
        check_registration(day=date(2026, 11, 21), today=date(2026, 11, 22), periods=[Period(date(2026, 1, 1), None)])
    assert refused.value.field == "date"


def test_a_registration_outside_every_contract_is_refused() -> None:
    periods = [Period(date(2026, 1, 1), date(2026, 6, 30)), Period(date(2027, 1, 1), None)]
    with pytest.raises(RegistrationRefused, match="no contract"):
        check_registration(day=date(2026, 12, 1), today=date(2026, 11, 22), periods=periods)
    check_registration(day=date(2027, 1, 1), today=date(2026, 11, 22), periods=periods)


def test_receipt_numbers_carry_the_day_and_differ() -> None:
    receipts = {new_receipt_number(date(2026, 11, 22)) for _ in range(100)}
    assert len(receipts) == 100
    assert all(r.startswith("20261122") and len(r) == 18 and r.isdigit() for r in receipts)
