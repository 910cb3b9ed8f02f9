"""Salary elements and the message on plain objects: a total for a code of unit `amount`, unit × days for
`unit_days`, the bounds, and a locked month refusing changes."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from ruche_calendar.domain import MonthLocked
from ruche_calendar.domain.codes import find
from ruche_calendar.domain.salary_elements import (
    AmountRefused,
    DaysRefused,
    NotASalaryElement,
    PayrollInputs,
    SalaryElementNotFound,
    ValueNotForThisCode,
    new_element,
)

AT = datetime(2026, 6, 3, 9, 30, tzinfo=UTC)


def element(code: str, month: str = "2026-06", element_id: str = "e-1", **value):
    return new_element(find(code), month=month, element_id=element_id, by="hr-1", at=AT, **value)


def test_a_bonus_takes_a_total_amount() -> None:
    bonus = element("BONUS", amount=Decimal("400"), comment="  Q2 target  ")
    assert (bonus.amount, bonus.unit_amount, bonus.days, bonus.comment) == (Decimal("400.00"), None, None, "Q2 target")
    assert str(bonus.amount) == "400.00"


def test_expenses_per_day_are_the_unit_amount_times_the_days() -> None:
    per_day = element("5003", unit_amount=Decimal("12.35"), days=7)
    assert (per_day.amount, per_day.unit_amount, per_day.days) == (Decimal("86.45"), Decimal("12.35"), 7)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"amount": Decimal(0)}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"amount": Decimal("100000.01")}, "amount"),
        ({"amount": Decimal("10.005")}, "amount"),
        ({}, "amount"),
        ({"amount": Decimal(10), "days": 2}, "days"),
        ({"amount": Decimal(10), "unit_amount": Decimal(2)}, "unit_amount"),
    ],
)
def test_a_bad_total_is_refused_naming_the_field(value, field) -> None:
    with pytest.raises((AmountRefused, ValueNotForThisCode)) as refused:
        element("BONUS", **value)
    assert refused.value.field == field


def test_the_largest_total_passes() -> None:
    assert element("5000", amount=Decimal("100000")).amount == Decimal("100000.00")


@pytest.mark.parametrize(
    ("value", "field", "error"),
    [
        ({"unit_amount": Decimal(0), "days": 2}, "unit_amount", AmountRefused),
        ({"unit_amount": Decimal("1000.01"), "days": 2}, "unit_amount", AmountRefused),
        ({"days": 2}, "unit_amount", AmountRefused),
        ({"unit_amount": Decimal(10)}, "days", DaysRefused),
        ({"unit_amount": Decimal(10), "days": 0}, "days", DaysRefused),
        ({"unit_amount": Decimal(10), "days": 31}, "days", DaysRefused),  # June has 30
        ({"amount": Decimal(10)}, "amount", ValueNotForThisCode),
    ],
)
def test_bad_unit_days_are_refused_naming_the_field(value, field, error) -> None:
    with pytest.raises(error) as refused:
        element("5071", **value)
    assert refused.value.field == field


def test_a_day_code_is_not_a_salary_element() -> None:
    with pytest.raises(NotASalaryElement) as refused:
        element("HOL", amount=Decimal(10))
    assert refused.value.field == "code"


def test_totals_per_code_and_the_same_element_twice_counts_once() -> None:
    month = PayrollInputs("t", "w-1", "2026-06")
    month = month.with_element(element("BONUS", element_id="a", amount=Decimal(400)))
    month = month.with_element(element("BONUS", element_id="b", amount=Decimal("50.50")))
    month = month.with_element(element("5003", element_id="c", unit_amount=Decimal(10), days=3))
    assert month.with_element(element("BONUS", element_id="a", amount=Decimal(400))) is month
    assert [(t.code, t.amount, t.count) for t in month.totals()] == [
        ("5003", Decimal("30.00"), 1),
        ("BONUS", Decimal("450.50"), 2),
    ]
    assert month.total == Decimal("480.50")
    removed, gone = month.without_element("b")
    assert gone.amount == Decimal("50.50") and [e.element_id for e in removed.elements] == ["a", "c"]
    with pytest.raises(SalaryElementNotFound):
        removed.without_element("b")


def test_the_message_is_trimmed_and_a_blank_one_removes_it() -> None:
    month = PayrollInputs("t", "w-1", "2026-06").with_message("  Bonus paid in cash last month  ", by="hr-1", at=AT)
    assert month.message is not None and month.message.text == "Bonus paid in cash last month"
    assert month.with_message("   ", by="hr-1", at=AT).message is None


def test_a_locked_month_refuses_every_change() -> None:
    locked = PayrollInputs("t", "w-1", "2026-06", locked=True)
    with pytest.raises(MonthLocked):
        locked.with_element(element("BONUS", amount=Decimal(1)))
    with pytest.raises(MonthLocked):
        locked.with_message("x", by="hr-1", at=AT)
