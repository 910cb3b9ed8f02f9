"""Employment contracts on plain objects: their terms and the rules they follow, their versions (amendments with
an effective date), an early end, a cancellation before the start, and the overlap rule between a worker's
contracts. Time comes in as an argument (`today`, `now`), so the rules are tested without freezing the clock.

Each refusal is an `InvalidContract` naming its field, so the edge answers a problem the console can show."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal, get_args

from . import joint_committees
from .dimona import Dimona, Wanted
from .errors import ContractNotChangeable, InvalidContract, OverlappingContract

PayrollProvider = Literal["ruche", "other"]
ContractType = Literal["open_ended", "fixed_term", "replacement", "specific_work", "student", "flexi", "occasional"]
CONTRACT_TYPES: tuple[str, ...] = get_args(ContractType)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Dimona worker types of the "fichier du personnel" (domain.md §4).
WORKER_TYPES = frozenset({"OTH", "STU", "FLX", "EXT", "DWD", "A17", "BCW", "IVT", "TRI", "STG", "PCW", "TTE"})
# Contracts whose end is known when they are signed, and worker types Dimona declares with their end at once.
END_REQUIRED_TYPES = frozenset({"fixed_term", "replacement", "student", "flexi", "occasional"})
END_REQUIRED_WORKER_TYPES = frozenset({"STU", "FLX", "EXT", "IVT"})
# Worker types that go with exactly one contract type, both ways.
TYPE_OF_WORKER = {"STU": "student", "FLX": "flexi", "EXT": "occasional"}
FIRST_DATE, LAST_DATE = date(1900, 1, 1), date(2100, 12, 31)
LONGEST_LEAD = timedelta(days=366)  # a contract starts at most a year (leap years included) after it is signed
MAX_WEEKLY_HOURS = Decimal(50)
DEFAULT_FULL_TIME = Decimal(38)
MAX_DAY_HOURS = Decimal(24)
# Amounts beyond these are typos (an annual amount, cents typed as units), not pay.
MAX_GROSS_MONTHLY_SALARY = Decimal(100_000)
MAX_HOURLY_WAGE = Decimal(1_000)
HOURS_TOLERANCE = Decimal("0.01")
STALE_CLAIM = timedelta(minutes=2)  # a ledger period whose contract never got claimed this long is forgotten


@dataclass(frozen=True)
class Terms:
    """What one version of a contract says."""

    payroll_provider: PayrollProvider
    start_date: date
    end_date: date | None
    contract_type: ContractType
    weekly_hours: Decimal
    full_time_weekly_hours: Decimal
    schedule: Mapping[str, Decimal]  # hours per weekday, every weekday present
    gross_monthly_salary: Decimal | None
    hourly_wage: Decimal | None
    joint_committee: str
    worker_type: str
    job_title: str | None = None

    @property
    def minutes_by_weekday(self) -> dict[str, int]:
        return {day: int((self.schedule.get(day, Decimal(0)) * 60).to_integral_value()) for day in WEEKDAYS}

    def planned_hours(self, start: date, end: date | None) -> int | None:
        """The hours the schedule plans over the period (what Dimona calls plannedHoursNumber); None if open."""
        if end is None or end < start:
            return None
        full_weeks, rest = divmod((end - start).days + 1, 7)
        hours = sum(self.schedule.get(d, Decimal(0)) for d in WEEKDAYS) * full_weeks
        for offset in range(rest):
            hours += self.schedule.get(WEEKDAYS[(start + timedelta(days=offset)).weekday()], Decimal(0))
        return math.ceil(hours)

    def as_fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in TERM_FIELDS}


TERM_FIELDS: tuple[str, ...] = tuple(Terms.__dataclass_fields__)


def even_schedule(weekly_hours: Decimal) -> dict[str, Decimal]:
    """Monday to Friday in equal parts: the schedule of a contract that gives none."""
    day = (weekly_hours / 5).quantize(Decimal("0.01"))
    schedule = dict.fromkeys(WEEKDAYS, Decimal(0)) | dict.fromkeys(WEEKDAYS[:5], day)
    schedule["mon"] += weekly_hours - day * 5
    return schedule


def terms_of(values: Mapping[str, Any]) -> Terms:
    """Terms from request values (dates and amounts as objects or as JSON text); a missing schedule spreads the
    weekly hours Monday to Friday, a missing full-time reference is 38 hours."""
    weekly = _decimal(values.get("weekly_hours"), "weekly_hours")
    given = values.get("schedule")
    if given is not None and not isinstance(given, Mapping):
        raise InvalidContract("The schedule gives hours per weekday.", field="schedule")
    schedule = (
        {d: _decimal(given.get(d) or 0, f"schedule.{d}") for d in WEEKDAYS}
        | {d: Decimal(0) for d in set(given) - set(WEEKDAYS)}
        if given is not None
        else even_schedule(weekly)
    )
    full_time = values.get("full_time_weekly_hours")
    return Terms(
        payroll_provider=values.get("payroll_provider") or "ruche",
        start_date=_date(values.get("start_date"), "start_date"),
        end_date=None if values.get("end_date") is None else _date(values["end_date"], "end_date"),
        contract_type=values.get("contract_type"),  # type: ignore[arg-type]  # checked by check_terms
        weekly_hours=weekly,
        full_time_weekly_hours=DEFAULT_FULL_TIME
        if full_time is None
        else _decimal(full_time, "full_time_weekly_hours"),
        schedule=schedule,
        gross_monthly_salary=_optional_decimal(values.get("gross_monthly_salary"), "gross_monthly_salary"),
        hourly_wage=_optional_decimal(values.get("hourly_wage"), "hourly_wage"),
        joint_committee=str(values.get("joint_committee") or ""),
        worker_type=values.get("worker_type") or "OTH",
        job_title=values.get("job_title"),
    )


def _decimal(value: Any, name: str) -> Decimal:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except ArithmeticError:
        raise InvalidContract("A number is expected.", field=name) from None
    if not number.is_finite():
        raise InvalidContract("A number is expected.", field=name)
    return number


def _optional_decimal(value: Any, name: str) -> Decimal | None:
    return None if value is None else _decimal(value, name)


def _date(value: Any, name: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidContract("A date (YYYY-MM-DD) is expected.", field=name) from None


# The rules ----------------------------------------------------------------------------------------------------
def check_terms(terms: Terms, *, birth_date: date | None, today: date) -> None:
    """Every rule a contract's terms follow; the first broken one is refused, naming its field."""
    if terms.payroll_provider not in ("ruche", "other"):
        raise InvalidContract("The payroll provider is 'ruche' or 'other'.", field="payroll_provider")
    if terms.contract_type not in CONTRACT_TYPES:
        raise InvalidContract(f"The contract type is one of {', '.join(CONTRACT_TYPES)}.", field="contract_type")
    check_sector(terms)
    check_dates(terms, birth_date=birth_date, today=today)
    check_time(terms)
    check_pay(terms)


def check_dates(terms: Terms, *, birth_date: date | None, today: date) -> None:
    for name in ("start_date", "end_date"):
        value = getattr(terms, name)
        if value is not None and not FIRST_DATE <= value <= LAST_DATE:
            raise InvalidContract("A date lies between 1900 and 2100.", field=name)
    if terms.end_date is not None and terms.end_date < terms.start_date:
        raise InvalidContract("The end date is before the start date.", field="end_date")
    if terms.end_date is None and terms.contract_type in END_REQUIRED_TYPES:
        raise InvalidContract(f"A {terms.contract_type} contract needs an end date.", field="end_date")
    if terms.end_date is None and terms.worker_type in END_REQUIRED_WORKER_TYPES:
        raise InvalidContract(
            f"Worker type {terms.worker_type} is declared with its end date: an end date is required.",
            field="end_date",
        )
    if terms.start_date > today + LONGEST_LEAD:
        latest = (today + LONGEST_LEAD).isoformat()
        raise InvalidContract(
            f"A contract starts at most a year ahead (on {latest} at the latest).", field="start_date"
        )
    if birth_date is not None and terms.start_date < birth_date:
        raise InvalidContract("The contract starts before the worker was born.", field="start_date")


def check_time(terms: Terms) -> None:
    if not Decimal(0) < terms.weekly_hours <= MAX_WEEKLY_HOURS:
        raise InvalidContract(f"Weekly hours are more than 0 and at most {MAX_WEEKLY_HOURS}.", field="weekly_hours")
    if not terms.weekly_hours <= terms.full_time_weekly_hours <= MAX_WEEKLY_HOURS:
        raise InvalidContract(
            f"The full-time reference is at least the weekly hours and at most {MAX_WEEKLY_HOURS}.",
            field="full_time_weekly_hours",
        )
    unknown = set(terms.schedule) - set(WEEKDAYS)
    if unknown:
        raise InvalidContract("The schedule's days are mon to sun.", field=f"schedule.{sorted(unknown)[0]}")
    for day in WEEKDAYS:
        if not Decimal(0) <= terms.schedule.get(day, Decimal(0)) <= MAX_DAY_HOURS:
            raise InvalidContract("A day's hours are between 0 and 24.", field=f"schedule.{day}")
    total = sum(terms.schedule.values(), Decimal(0))
    if abs(total - terms.weekly_hours) > HOURS_TOLERANCE:
        raise InvalidContract(
            f"The schedule sums to {total} hours, not the {terms.weekly_hours} weekly hours.", field="schedule"
        )


def check_pay(terms: Terms) -> None:
    salary, wage = terms.gross_monthly_salary, terms.hourly_wage
    if (salary is None) == (wage is None):
        raise InvalidContract("Give either a gross monthly salary or an hourly wage.", field="gross_monthly_salary")
    if salary is not None and not Decimal(0) < salary <= MAX_GROSS_MONTHLY_SALARY:
        raise InvalidContract(
            f"The gross monthly salary is more than 0 and at most {MAX_GROSS_MONTHLY_SALARY}.",
            field="gross_monthly_salary",
        )
    if wage is not None and not Decimal(0) < wage <= MAX_HOURLY_WAGE:
        raise InvalidContract(f"The hourly wage is more than 0 and at most {MAX_HOURLY_WAGE}.", field="hourly_wage")


def check_sector(terms: Terms) -> None:
    """The joint committee exists, and the worker type agrees with it and with the contract type."""
    committee, worker_type = terms.joint_committee, terms.worker_type
    if committee == joint_committees.DIMONA_ONLY:
        raise InvalidContract(
            "XXX is what Dimona declares for ordinary workers of 144, 145 and 302: give the real joint committee.",
            field="joint_committee",
        )
    if not joint_committees.exists(committee):
        raise InvalidContract("Unknown joint committee (see GET /joint-committees).", field="joint_committee")
    if worker_type not in WORKER_TYPES:
        raise InvalidContract(f"The worker type is one of {', '.join(sorted(WORKER_TYPES))}.", field="worker_type")
    expected = TYPE_OF_WORKER.get(worker_type)
    if expected is not None and terms.contract_type != expected:
        raise InvalidContract(f"Worker type {worker_type} goes with a {expected} contract.", field="worker_type")
    for kind_of_worker, contract_type in TYPE_OF_WORKER.items():
        if terms.contract_type == contract_type and worker_type != kind_of_worker:
            raise InvalidContract(f"A {contract_type} contract has worker type {kind_of_worker}.", field="worker_type")
    if worker_type == "FLX" and not joint_committees.allows_flexi(committee):
        raise InvalidContract("Flexi-jobs are not allowed in this joint committee.", field="worker_type")
    if worker_type == "EXT" and not joint_committees.allows_occasional(committee):
        raise InvalidContract(
            "Occasional workers (EXT) exist only in joint committees 144, 145, 302, 320 and 322.", field="worker_type"
        )


# Contracts and their versions ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Version:
    version: int
    effective_date: date
    terms: Terms
    recorded_at: datetime


@dataclass(frozen=True)
class Ending:
    end_date: date
    reason: str
    recorded_at: datetime


@dataclass(frozen=True)
class Cancellation:
    reason: str | None
    recorded_at: datetime


Status = Literal["future", "active", "ended", "cancelled"]


@dataclass(frozen=True)
class Contract:
    contract_id: str
    tenant: str
    worker_id: str
    versions: tuple[Version, ...]
    dimona: Dimona
    created_at: datetime
    ended: Ending | None = None
    cancelled: Cancellation | None = None
    revision: int = 0  # the stored document's version: every write compares and sets it

    @property
    def terms(self) -> Terms:
        return self.versions[-1].terms

    @property
    def start_date(self) -> date:
        return self.terms.start_date

    @property
    def end_date(self) -> date | None:
        return self.ended.end_date if self.ended else self.terms.end_date

    @property
    def declares_dimona(self) -> bool:
        return self.terms.payroll_provider == "ruche"

    def terms_on(self, day: date) -> Version | None:
        """The version in force on `day`: the last one effective on or before it (none before the first)."""
        in_force = [v for v in self.versions if v.effective_date <= day]
        return in_force[-1] if in_force else None

    def status(self, today: date) -> Status:
        if self.cancelled:
            return "cancelled"
        if today < self.start_date:
            return "future"
        end = self.end_date
        return "ended" if end is not None and today > end else "active"

    def wanted(self) -> Wanted:
        """The Dimona period this contract calls for."""
        return Wanted(
            self.start_date, self.end_date, cancelled=self.cancelled is not None, ended=self.ended is not None
        )


def sign(
    contract_id: str,
    *,
    tenant: str,
    worker_id: str,
    terms: Terms,
    birth_date: date | None,
    ready: bool,
    today: date,
    now: datetime,
) -> Contract:
    check_terms(terms, birth_date=birth_date, today=today)
    return Contract(
        contract_id=contract_id,
        tenant=tenant,
        worker_id=worker_id,
        versions=(Version(1, terms.start_date, terms, now),),
        dimona=Dimona.initial(declares=terms.payroll_provider == "ruche", ready=ready),
        created_at=now,
    )


def _changeable(contract: Contract) -> None:
    if contract.cancelled:
        raise ContractNotChangeable("The contract was cancelled.")
    if contract.ended:
        raise ContractNotChangeable("The contract was ended early; sign a new one.")


def amend(
    contract: Contract, terms: Terms, *, effective_date: date, birth_date: date | None, today: date, now: datetime
) -> Contract:
    """A new version from `effective_date` (not before the contract's start); the earlier ones are kept."""
    _changeable(contract)
    current = contract.terms
    if effective_date < current.start_date:
        raise InvalidContract("An amendment takes effect on or after the contract's start.", field="effective_date")
    if current.end_date is not None and effective_date > current.end_date:
        raise InvalidContract("An amendment takes effect before the contract's end.", field="effective_date")
    if effective_date < contract.versions[-1].effective_date:
        raise InvalidContract("An amendment takes effect on or after the previous one.", field="effective_date")
    if terms.payroll_provider != current.payroll_provider:
        raise InvalidContract(
            "The payroll provider cannot change: end this contract and sign another.", field="payroll_provider"
        )
    check_terms(terms, birth_date=birth_date, today=today)
    version = Version(len(contract.versions) + 1, effective_date, terms, now)
    dates_changed = (terms.start_date, terms.end_date) != (current.start_date, current.end_date)
    dimona = contract.dimona.released() if dates_changed or contract.dimona.refused_in else contract.dimona
    return replace(contract, versions=(*contract.versions, version), dimona=dimona)


def end(contract: Contract, *, end_date: date, reason: str, now: datetime) -> Contract:
    """End early: the last day becomes `end_date` (not before the start, not after the planned end)."""
    _changeable(contract)
    if end_date < contract.start_date:
        raise InvalidContract("A contract ends on or after its start.", field="end_date")
    if contract.terms.end_date is not None and end_date > contract.terms.end_date:
        raise InvalidContract("An early end comes before the planned end; amend to extend.", field="end_date")
    if end_date > LAST_DATE:
        raise InvalidContract("A date lies between 1900 and 2100.", field="end_date")
    return replace(contract, ended=Ending(end_date, reason, now), dimona=contract.dimona.released())


def cancel(contract: Contract, *, reason: str | None, today: date, now: datetime) -> Contract:
    """Cancel a contract that has not started: it never was."""
    _changeable(contract)
    if today >= contract.start_date:
        raise ContractNotChangeable("The contract has started: end it instead.")
    return replace(contract, cancelled=Cancellation(reason, now), dimona=contract.dimona.released())


# The overlap rule ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """A contract's place in the worker's ledger."""

    contract_id: str
    start: date
    end: date | None
    cancelled: bool = False

    def overlaps(self, start: date, end: date | None) -> bool:
        if self.cancelled:
            return False
        return (end is None or self.start <= end) and (self.end is None or start <= self.end)


def period_of(contract: Contract) -> Period:
    return Period(contract.contract_id, contract.start_date, contract.end_date, cancelled=bool(contract.cancelled))


def claim(periods: Iterable[Period], period: Period, *, stale: Iterable[str] = ()) -> list[Period]:
    """The ledger with `period` in it (replacing the contract's earlier period), or OverlappingContract.
    Periods of `stale` contracts (claimed, never signed) are dropped."""
    forgotten = set(stale)
    others = [p for p in periods if p.contract_id != period.contract_id and p.contract_id not in forgotten]
    clash = next((p for p in others if p.overlaps(period.start, period.end)), None)
    if clash is not None:
        until = clash.end.isoformat() if clash.end else "open-ended"
        raise OverlappingContract(
            f"The worker already has a contract from {clash.start.isoformat()} to {until} in that period.",
            field="start_date" if clash.overlaps(period.start, period.start) else "end_date",
        )
    return sorted([*others, period], key=lambda p: p.start)


def clashes(periods: Iterable[Period], period: Period) -> list[str]:
    """The contracts of the ledger whose period clashes with `period`."""
    return [
        p.contract_id for p in periods if p.contract_id != period.contract_id and p.overlaps(period.start, period.end)
    ]
