"""One-off salary elements and the message to the payroll provider, per worker and month (Officient's "éléments
de salaire non-récurrents" and "message à Securex"), on plain objects.

A salary element is one of the catalogue's `salary_element` codes with a value: a total `amount` (unit `amount`),
or a `unit_amount` per day times a number of `days` (unit `unit_days`, the total computed). A worker's month
(`PayrollInputs`) holds its elements and the message sent with the calendar; a locked month (sent to the payroll
provider) refuses changes to both.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation

from ruche_servicekit.errors import DomainError

from .calendars import MonthLocked, month_bounds
from .codes import Code, Kind, Unit

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal(100_000)  # a one-off element above this is a typing error, not a bonus
MAX_UNIT_AMOUNT = Decimal(1_000)  # per day
MAX_COMMENT = 500
MAX_MESSAGE = 2_000
MAX_ELEMENTS = 100  # per worker and month


class NotASalaryElement(DomainError):
    kind, title, field = "not-a-salary-element", "Not a salary element code", "code"


class AmountRefused(DomainError):
    kind, title = "amount-refused", "Amount refused"


class DaysRefused(DomainError):
    kind, title, field = "days-refused", "Number of days refused", "days"


class ValueNotForThisCode(DomainError):
    kind, title = "value-not-for-this-code", "This value does not go with the code's unit"


class CommentTooLong(DomainError):
    kind, title, field = "comment-too-long", "Comment too long", "comment"


class MessageTooLong(DomainError):
    kind, title, field = "message-too-long", "Message too long", "text"


class TooManyElements(DomainError):
    kind, title, field = "too-many-salary-elements", "Too many salary elements in this month", "code"


class SalaryElementNotFound(DomainError):
    status, kind, title, field = 404, "salary-element-not-found", "No such salary element", "element_id"


@dataclass(frozen=True)
class SalaryElement:
    element_id: str
    code: str
    unit: Unit  # amount or unit_days
    amount: Decimal  # the total, 2 decimals
    unit_amount: Decimal | None  # unit_days only
    days: int | None  # unit_days only
    comment: str | None
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class Message:
    text: str
    by: str
    at: datetime


@dataclass(frozen=True)
class ElementTotal:
    code: str
    amount: Decimal
    count: int


def _money(value: Decimal | int | str, field: str, *, most: Decimal) -> Decimal:
    """A positive amount of EUR with at most 2 decimals, at most `most`."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise AmountRefused("Not a decimal amount.", field=field) from None
    if not amount.is_finite() or amount <= 0 or amount > most:
        raise AmountRefused(f"The amount must be more than 0 and at most {most} EUR.", field=field)
    if amount != amount.quantize(CENT):
        raise AmountRefused("At most 2 decimals (cents).", field=field)
    return amount.quantize(CENT)


def ensure_salary_element(code: Code) -> Code:
    if code.kind != Kind.SALARY_ELEMENT:
        raise NotASalaryElement(f"{code.code} is a code for a day, not a salary element.")
    return code


def new_element(
    code: Code,
    *,
    month: str,
    element_id: str,
    amount: Decimal | None = None,
    unit_amount: Decimal | None = None,
    days: int | None = None,
    comment: str | None = None,
    by: str,
    at: datetime,
) -> SalaryElement:
    """A salary element of `code` for `month`: `amount` for a code of unit `amount`; `unit_amount` × `days` (days
    1 to the month's length) for unit `unit_days`. Each refusal names its field."""
    ensure_salary_element(code)
    comment = (comment or "").strip() or None
    if comment is not None and len(comment) > MAX_COMMENT:
        raise CommentTooLong(f"At most {MAX_COMMENT} characters.")
    if code.unit == Unit.UNIT_DAYS:
        if amount is not None:
            raise ValueNotForThisCode(
                f"{code.code} takes a unit amount and a number of days, not a total.", field="amount"
            )
        if unit_amount is None:
            raise AmountRefused(f"{code.code} takes an amount per day.", field="unit_amount")
        per_day = _money(unit_amount, "unit_amount", most=MAX_UNIT_AMOUNT)
        longest = month_bounds(month)[1].day
        if days is None or isinstance(days, bool) or not 1 <= days <= longest:
            raise DaysRefused(f"From 1 to {longest} days in {month}.")
        total = (per_day * days).quantize(CENT)
        return SalaryElement(element_id, code.code, code.unit, total, per_day, days, comment, by, at)
    for name, given in (("unit_amount", unit_amount), ("days", days)):
        if given is not None:
            raise ValueNotForThisCode(f"{code.code} takes a total amount, not {name}.", field=name)
    if amount is None:
        raise AmountRefused(f"{code.code} takes an amount.", field="amount")
    total = _money(amount, "amount", most=MAX_AMOUNT)
    return SalaryElement(element_id, code.code, code.unit, total, None, None, comment, by, at)


@dataclass(frozen=True)
class PayrollInputs:
    """What a worker's month sends to the payroll provider besides its days: the salary elements and the
    message. `version` guards the single-document writes against concurrent writers (0: not stored yet)."""

    tenant: str
    worker_id: str
    month: str
    elements: tuple[SalaryElement, ...] = ()
    message: Message | None = None
    locked: bool = False
    version: int = 0

    def _open(self) -> None:
        if self.locked:
            raise MonthLocked(f"{self.month} is locked: it was sent to the payroll provider.")

    def element(self, element_id: str) -> SalaryElement:
        found = next((e for e in self.elements if e.element_id == element_id), None)
        if found is None:
            raise SalaryElementNotFound("No such salary element in this month.")
        return found

    def has(self, element_id: str) -> bool:
        return any(e.element_id == element_id for e in self.elements)

    def with_element(self, element: SalaryElement) -> PayrollInputs:
        """The month with `element` added (the same id again: unchanged, for retries)."""
        self._open()
        if self.has(element.element_id):
            return self
        if len(self.elements) >= MAX_ELEMENTS:
            raise TooManyElements(f"At most {MAX_ELEMENTS} salary elements in a month.")
        return replace(self, elements=(*self.elements, element))

    def without_element(self, element_id: str) -> tuple[PayrollInputs, SalaryElement]:
        self._open()
        removed = self.element(element_id)
        return replace(self, elements=tuple(e for e in self.elements if e.element_id != element_id)), removed

    def with_message(self, text: str, *, by: str, at: datetime) -> PayrollInputs:
        """The month with its message (blank: none)."""
        self._open()
        text = text.strip()
        if len(text) > MAX_MESSAGE:
            raise MessageTooLong(f"At most {MAX_MESSAGE} characters.")
        return replace(self, message=Message(text, by, at) if text else None)

    def totals(self) -> list[ElementTotal]:
        """Per code, in code order: the sum of its elements' amounts and how many there are."""
        sums: dict[str, Decimal] = {}
        counts: dict[str, int] = {}
        for e in self.elements:
            sums[e.code] = sums.get(e.code, Decimal(0)) + e.amount
            counts[e.code] = counts.get(e.code, 0) + 1
        return [ElementTotal(code, sums[code], counts[code]) for code in sorted(sums)]

    @property
    def total(self) -> Decimal:
        return sum((e.amount for e in self.elements), Decimal("0.00"))
