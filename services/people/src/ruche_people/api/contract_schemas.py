"""Request and response bodies of contracts, readiness, joint committees and bulk hire.

Types are parsed here (dates, amounts, enumerations); the contract rules themselves (bounds, end date required,
worker type and joint committee coherence, the schedule summing to the weekly hours) are the domain's, so a
refusal reads the same from one contract or from an item of a bulk hire."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field

from ..domain.contracts import WEEKDAYS, Contract, ContractType, PayrollProvider, Terms, Version
from ..domain.dimona import Declaration, Dimona
from .deps import CanRead, CanWrite, Strict

__all__ = ["CanRead", "CanWrite"]

Hours = Annotated[Decimal, Field(max_digits=5, decimal_places=2, description="Hours, e.g. 7.6")]
Amount = Annotated[Decimal, Field(max_digits=12, decimal_places=2, description="Euros, e.g. 3150.00")]
Name = Annotated[str, Field(min_length=1, max_length=100)]


class ScheduleIn(Strict):
    """Hours per weekday; a day not given is a day off."""

    mon: Hours = Decimal(0)
    tue: Hours = Decimal(0)
    wed: Hours = Decimal(0)
    thu: Hours = Decimal(0)
    fri: Hours = Decimal(0)
    sat: Hours = Decimal(0)
    sun: Hours = Decimal(0)


class ContractIn(Strict):
    payroll_provider: PayrollProvider = Field(description="ruche: Ruche declares the Dimona; other: it does not")
    start_date: date
    end_date: date | None = Field(
        default=None,
        description="Required for fixed_term, replacement, student, flexi, "
        "occasional (and worker types STU, FLX, EXT, IVT)",
    )
    contract_type: ContractType
    weekly_hours: Hours
    full_time_weekly_hours: Hours | None = Field(default=None, description="The full-time reference; 38 if not given")
    schedule: ScheduleIn | None = Field(default=None, description="Summing to weekly_hours; Mon-Fri evenly if absent")
    gross_monthly_salary: Amount | None = None
    hourly_wage: Amount | None = None
    joint_committee: str = Field(max_length=6, description="e.g. 200, 124, 302 (GET /joint-committees)")
    worker_type: str = Field(default="OTH", max_length=3, description="Dimona worker type: OTH, STU, FLX, EXT, IVT...")
    job_title: Annotated[str, Field(max_length=100)] | None = None

    def values(self, *, given_only: bool = False) -> dict[str, Any]:
        return self.model_dump(exclude_unset=given_only)


class AmendmentIn(Strict):
    """A new version from `effective_date`: the terms given replace the current ones, the others are kept."""

    effective_date: date
    payroll_provider: PayrollProvider | None = None
    start_date: date | None = None
    end_date: date | None = None
    contract_type: ContractType | None = None
    weekly_hours: Hours | None = None
    full_time_weekly_hours: Hours | None = None
    schedule: ScheduleIn | None = None
    gross_monthly_salary: Amount | None = None
    hourly_wage: Amount | None = None
    joint_committee: str | None = Field(default=None, max_length=6)
    worker_type: str | None = Field(default=None, max_length=3)
    job_title: Annotated[str, Field(max_length=100)] | None = None

    def changes(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True, exclude={"effective_date"})
        # null keeps the current value, except where null means something: no end date, the other pay, no title
        return {k: v for k, v in given.items() if v is not None or k in NULLABLE}


NULLABLE = frozenset({"end_date", "gross_monthly_salary", "hourly_wage", "job_title"})


class EndIn(Strict):
    end_date: date = Field(description="The last day; on or after the start, before the planned end")
    reason: str = Field(min_length=1, max_length=200)


class CancelIn(Strict):
    reason: str | None = Field(default=None, max_length=200)


# Answers -----------------------------------------------------------------------------------------------------
class TermsOut(BaseModel):
    payroll_provider: str
    start_date: date
    end_date: date | None
    contract_type: str
    weekly_hours: Decimal
    full_time_weekly_hours: Decimal
    part_time_ratio: Decimal = Field(description="weekly_hours / full_time_weekly_hours")
    schedule: dict[str, Decimal]
    minutes_by_weekday: dict[str, int]
    gross_monthly_salary: Decimal | None
    hourly_wage: Decimal | None
    joint_committee: str
    worker_type: str
    job_title: str | None

    @classmethod
    def of(cls, terms: Terms) -> TermsOut:
        ratio = (terms.weekly_hours / terms.full_time_weekly_hours).quantize(Decimal("0.0001"))
        fields = terms.as_fields() | {"schedule": {d: terms.schedule.get(d, Decimal(0)) for d in WEEKDAYS}}
        return cls(**fields, part_time_ratio=ratio, minutes_by_weekday=terms.minutes_by_weekday)


class VersionOut(BaseModel):
    version: int
    effective_date: date
    recorded_at: datetime
    terms: TermsOut

    @classmethod
    def of(cls, v: Version) -> VersionOut:
        return cls(
            version=v.version, effective_date=v.effective_date, recorded_at=v.recorded_at, terms=TermsOut.of(v.terms)
        )


class TermsOnOut(TermsOut):
    version: int
    effective_date: date


class AnomalyOut(BaseModel):
    code: str
    severity: str | None
    label: dict[str, str] = Field(description="fr, nl, en")


class DeclarationOut(BaseModel):
    declaration_id: str = Field(description="ONSS's id; empty when ONSS did not take it (400)")
    type: str = Field(description="IN, UPDATE, OUT or CANCEL")
    sent_at: datetime
    start_date: date
    end_date: date | None
    late: bool = Field(description="An IN sent after the start")
    result: str | None = Field(description="A, W, B, S; null while ONSS processes it")
    anomalies: list[AnomalyOut]
    answered_at: datetime | None
    body: dict[str, Any] = Field(description="The declaration as sent to ONSS")

    @classmethod
    def of(cls, d: Declaration) -> DeclarationOut:
        return cls(
            declaration_id=d.declaration_id,
            type=d.type,
            sent_at=d.sent_at,
            start_date=d.start,
            end_date=d.end,
            late=d.late,
            result=d.result,
            answered_at=d.answered_at,
            body=dict(d.body),
            anomalies=[AnomalyOut(code=a.code, severity=a.severity, label=dict(a.label)) for a in d.anomalies],
        )


class DeclaredOut(BaseModel):
    start_date: date
    end_date: date | None
    cancelled: bool


class DimonaOut(BaseModel):
    state: str
    applicable: bool = Field(description="false: another payroll provider declares, Ruche declares nothing")
    period_id: str | None
    declared: DeclaredOut | None = Field(description="The Dimona period ONSS accepted")
    late: bool
    declarations: list[DeclarationOut]

    @classmethod
    def of(cls, dimona: Dimona) -> DimonaOut:
        declared = dimona.declared
        return cls(
            state=dimona.state,
            applicable=dimona.state != "not_applicable",
            period_id=dimona.period_id,
            declared=None
            if declared is None
            else DeclaredOut(start_date=declared.start, end_date=declared.end, cancelled=declared.cancelled),
            late=any(d.late for d in dimona.declarations),
            declarations=[DeclarationOut.of(d) for d in dimona.declarations],
        )


class EndedOut(BaseModel):
    end_date: date
    reason: str
    recorded_at: datetime


class CancelledOut(BaseModel):
    reason: str | None
    recorded_at: datetime


class ContractOut(BaseModel):
    contract_id: str
    worker_id: str
    status: Literal["future", "active", "ended", "cancelled"]
    start_date: date
    end_date: date | None = Field(description="The last day: the early end if any, else the planned end")
    payroll_provider: str
    contract_type: str
    worker_type: str
    joint_committee: str
    job_title: str | None
    terms: TermsOut = Field(description="The latest version's terms")
    terms_on: TermsOnOut | None = Field(default=None, description="With ?on=: the version in force on that date")
    versions: list[VersionOut]
    ended: EndedOut | None
    cancelled: CancelledOut | None
    dimona: DimonaOut
    created_at: datetime

    @classmethod
    def of(cls, c: Contract, *, today: date, on: date | None = None) -> ContractOut:
        terms = c.terms
        in_force = c.terms_on(on) if on is not None else None
        return cls(
            contract_id=c.contract_id,
            worker_id=c.worker_id,
            status=c.status(today),
            start_date=c.start_date,
            end_date=c.end_date,
            payroll_provider=terms.payroll_provider,
            contract_type=terms.contract_type,
            worker_type=terms.worker_type,
            joint_committee=terms.joint_committee,
            job_title=terms.job_title,
            terms=TermsOut.of(terms),
            terms_on=None
            if in_force is None
            else TermsOnOut(
                **TermsOut.of(in_force.terms).model_dump(),
                version=in_force.version,
                effective_date=in_force.effective_date,
            ),
            versions=[VersionOut.of(v) for v in c.versions],
            ended=None if c.ended is None else EndedOut(**c.ended.__dict__),
            cancelled=None if c.cancelled is None else CancelledOut(**c.cancelled.__dict__),
            dimona=DimonaOut.of(c.dimona),
            created_at=c.created_at,
        )


class MissingOut(BaseModel):
    field: str
    message: str


class ReadinessOut(BaseModel):
    ready: bool
    language: str
    missing: list[MissingOut]


class JointCommitteeOut(BaseModel):
    number: str
    label: str


# Bulk hire ---------------------------------------------------------------------------------------------------
class BulkItem(Strict):
    first_name: Name
    last_name: Name
    work_email: EmailStr
    personal_data: dict[str, Any] = Field(description="As PUT /workers/{id}/personal-data takes them")
    contract: ContractIn


class BulkIn(BaseModel):
    items: list[dict[str, Any]] = Field(min_length=1, max_length=500, description="Each checked on its own")


class BulkResult(BaseModel):
    index: int
    status: Literal["created", "refused"]
    worker_id: str | None = None
    contract_id: str | None = None
    problem: dict[str, Any] | None = None


class BulkOut(BaseModel):
    results: list[BulkResult]
