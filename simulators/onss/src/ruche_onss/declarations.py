"""The Dimona declarations as ONSS's REST API takes them (JSON keys as ONSS names them), and the Dimona periods
they create and change."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Result = Literal["A", "W", "B", "S"]


class _Onss(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Employer(_Onss):
    nsso_registration_number: int | None = Field(None, alias="nssoRegistrationNumber", ge=1, le=99_999_999_999)
    enterprise_number: str | None = Field(None, alias="enterpriseNumber", pattern=r"^\d{10}$")

    @model_validator(mode="after")
    def _one_identifier(self) -> Employer:
        if self.nsso_registration_number is None and self.enterprise_number is None:
            raise ValueError("nssoRegistrationNumber or enterpriseNumber is required")
        return self

    @property
    def key(self) -> str:
        return self.enterprise_number or f"nsso:{self.nsso_registration_number}"


class Worker(_Onss):
    ssin: str = Field(pattern=r"^\d{11}$")


class DimonaFeatures(_Onss):
    joint_commission_number: str = Field(alias="jointCommissionNumber", pattern=r"^(\d{3}(\.\d{2})?|XXX)$")
    worker_type: str = Field(alias="workerType", pattern=r"^[A-Z0-9]{3}$")


class DimonaIn(_Onss):
    starting_date: date = Field(alias="startingDate")
    ending_date: date | None = Field(None, alias="endingDate")
    planned_hours_number: int | None = Field(None, alias="plannedHoursNumber", ge=0, le=9999)
    dimona_features: DimonaFeatures = Field(alias="dimonaFeatures")


class DimonaOut(_Onss):
    dimona_number: int = Field(alias="dimonaNumber", ge=1, le=999_999_999_999)
    ending_date: date = Field(alias="endingDate")


class DimonaUpdate(_Onss):
    dimona_number: int = Field(alias="dimonaNumber", ge=1, le=999_999_999_999)
    starting_date: date = Field(alias="startingDate")
    ending_date: date | None = Field(None, alias="endingDate")
    planned_hours_number: int | None = Field(None, alias="plannedHoursNumber", ge=0, le=9999)


class DimonaCancel(_Onss):
    dimona_number: int = Field(alias="dimonaNumber", ge=1, le=999_999_999_999)


class Declaration(_Onss):
    employer: Employer
    worker: Worker | None = None
    dimona_in: DimonaIn | None = Field(None, alias="dimonaIn")
    dimona_out: DimonaOut | None = Field(None, alias="dimonaOut")
    dimona_update: DimonaUpdate | None = Field(None, alias="dimonaUpdate")
    dimona_cancel: DimonaCancel | None = Field(None, alias="dimonaCancel")

    @model_validator(mode="after")
    def _exactly_one_kind(self) -> Declaration:
        kinds = [k for k in (self.dimona_in, self.dimona_out, self.dimona_update, self.dimona_cancel) if k]
        if len(kinds) != 1:
            raise ValueError("exactly one of dimonaIn, dimonaOut, dimonaUpdate, dimonaCancel")
        if self.dimona_in is not None and self.worker is None:
            raise ValueError("worker is required with dimonaIn")
        return self

    @property
    def kind(self) -> str:
        if self.dimona_in:
            return "IN"
        if self.dimona_out:
            return "OUT"
        if self.dimona_update:
            return "UPDATE"
        return "CANCEL"

    @property
    def dimona_number(self) -> int | None:
        for part in (self.dimona_out, self.dimona_update, self.dimona_cancel):
            if part is not None:
                return part.dimona_number
        return None


@dataclass
class Period:
    """A Dimona period: what ONSS knows of one employment of one worker at one employer."""

    period_id: int
    employer: str
    ssin: str
    starting_date: date
    ending_date: date | None
    worker_type: str
    joint_commission_number: str
    planned_hours_number: int | None
    cancelled: bool = False
    history: list[str] = field(default_factory=list)  # the declarations that shaped it

    def overlaps(self, start: date, end: date | None) -> bool:
        if self.cancelled:
            return False
        return (end is None or self.starting_date <= end) and (self.ending_date is None or start <= self.ending_date)

    def as_json(self) -> dict[str, object]:
        return {
            "dimonaPeriodId": self.period_id,
            "startingDate": self.starting_date.isoformat(),
            "endingDate": self.ending_date.isoformat() if self.ending_date else None,
            "workerType": self.worker_type,
            "jointCommissionNumber": self.joint_commission_number,
            "plannedHoursNumber": self.planned_hours_number,
            "cancelled": self.cancelled,
        }
