"""Request and response bodies of salary elements and the message to the payroll provider, shared by their
routes and the month grid."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..domain.salary_elements import ElementTotal, PayrollInputs, SalaryElement

AmountIn = Annotated[Decimal, Field(description="EUR, more than 0, at most 100000, 2 decimals", examples=["400.00"])]
UnitAmountIn = Annotated[Decimal, Field(description="EUR per day, more than 0, at most 1000, 2 decimals")]
DaysIn = Annotated[int, Field(description="1 to the month's number of days")]


class ElementIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=20, examples=["BONUS"])
    amount: AmountIn | None = Field(default=None, description="For a code of unit `amount`: the total.")
    unit_amount: UnitAmountIn | None = Field(default=None, description="For a code of unit `unit_days`.")
    days: DaysIn | None = Field(default=None, description="For a code of unit `unit_days`.")
    comment: str | None = Field(default=None, max_length=500)


class ElementOut(BaseModel):
    element_id: str
    code: str
    unit: Literal["amount", "unit_days"]
    amount: Decimal = Field(description="The total, EUR (unit × days for `unit_days`).")
    unit_amount: Decimal | None
    days: int | None
    comment: str | None
    added_by: str
    added_at: datetime

    @classmethod
    def of(cls, e: SalaryElement) -> ElementOut:
        return cls(
            element_id=e.element_id,
            code=e.code,
            unit=e.unit.value,
            amount=e.amount,
            unit_amount=e.unit_amount,
            days=e.days,
            comment=e.comment,
            added_by=e.added_by,
            added_at=e.added_at,
        )


class ElementTotalOut(BaseModel):
    code: str
    amount: Decimal
    count: int

    @classmethod
    def of(cls, t: ElementTotal) -> ElementTotalOut:
        return cls(code=t.code, amount=t.amount, count=t.count)


class ElementsOut(BaseModel):
    worker_id: str
    month: str
    items: list[ElementOut]
    totals: list[ElementTotalOut] = Field(description="Per code: the sum of its elements and how many.")
    total: Decimal

    @classmethod
    def of(cls, inputs: PayrollInputs) -> ElementsOut:
        return cls(
            worker_id=inputs.worker_id,
            month=inputs.month,
            items=[ElementOut.of(e) for e in inputs.elements],
            totals=[ElementTotalOut.of(t) for t in inputs.totals()],
            total=inputs.total,
        )


class MessageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(max_length=2000, description="Sent with the month's calendar; empty: no message.")


class MessageOut(BaseModel):
    worker_id: str
    month: str
    text: str = Field(description="Empty when there is none.")
    changed_by: str | None
    changed_at: datetime | None

    @classmethod
    def of(cls, inputs: PayrollInputs) -> MessageOut:
        m = inputs.message
        return cls(
            worker_id=inputs.worker_id,
            month=inputs.month,
            text=m.text if m else "",
            changed_by=m.by if m else None,
            changed_at=m.at if m else None,
        )


class BulkItemIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    worker_id: str = Field(min_length=1, max_length=100)
    amount: AmountIn | None = None
    unit_amount: UnitAmountIn | None = None
    days: DaysIn | None = None
    comment: str | None = Field(default=None, max_length=500)


class BulkIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=20, examples=["BONUS"])
    items: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=500,
        description="`{worker_id, amount}` or `{worker_id, unit_amount, days}`, "
        "with an optional `comment`: each checked on its own",
    )


class BulkResult(BaseModel):
    index: int
    worker_id: str | None
    status: Literal["created", "refused"]
    element_id: str | None = None
    problem: dict[str, Any] | None = None


class BulkOut(BaseModel):
    month: str
    code: str
    results: list[BulkResult]
