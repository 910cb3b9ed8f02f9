"""Workers and their employment contracts: the rules, on plain objects, with no I/O.

Time comes in as an argument (`today`), so the rules are tested without freezing the clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from ruche_servicekit.errors import DomainError

Sex = Literal["M", "F", "X"]
ContractType = Literal["indefinite", "fixed_term", "replacement", "specific_work", "student", "flexi"]
# Dimona worker types (ONSS "type de travailleur"); see shared/domain.md §4.
WorkerType = Literal["OTH", "STU", "FLX", "EXT", "DWD", "A17", "BCW", "IVT", "TRI", "STG"]
# Students, IBO/PFI/FPI trainees and occasional workers: Dimona wants the end date with the start date.
WORKER_TYPES_NEEDING_END_DATE = frozenset({"STU", "IVT", "EXT"})
CONTRACT_TYPES_NEEDING_END_DATE = frozenset({"fixed_term", "student"})
MAX_WEEKLY_HOURS = Decimal(50)
# A monthly gross salary above this is a typo (an annual amount, cents typed as units), not a salary.
MAX_GROSS_MONTHLY_SALARY = Decimal(1_000_000)
# A contract is signed at most about a year before it starts (366 days: a year ahead, leap years included).
MAX_DAYS_BEFORE_START = timedelta(days=366)
LAST_END_YEAR = 2100


class InvalidWorker(DomainError):
    status, kind, title = 422, "invalid-worker", "Invalid worker"


class InvalidContract(DomainError):
    status, kind, title = 422, "invalid-contract", "Invalid contract"


class OverlappingContract(DomainError):
    status, kind, title, field = 409, "overlapping-contract", "Overlapping contract", "start_date"


class WorkerNotFound(DomainError):
    status, kind, title = 404, "worker-not-found", "Worker not found"


class ContractNotFound(DomainError):
    status, kind, title = 404, "contract-not-found", "Contract not found"


class WorkerAlreadyRegistered(DomainError):
    status, kind, title, field = 409, "worker-already-registered", "Worker already registered", "niss"


class ConcurrentUpdate(DomainError):
    """The worker kept changing between read and write; the use case retried, then gives up."""

    status, kind, title = 409, "concurrent-update", "Changed meanwhile"


@dataclass(frozen=True)
class Contract:
    contract_id: str
    start_date: date
    end_date: date | None
    contract_type: ContractType
    weekly_hours: Decimal
    gross_monthly_salary: Decimal
    joint_committee: str
    worker_type: WorkerType

    def overlaps(self, other: Contract) -> bool:
        far = date.max
        return self.start_date <= (other.end_date or far) and other.start_date <= (self.end_date or far)


@dataclass(frozen=True)
class Worker:
    worker_id: str
    tenant: str
    first_name: str
    last_name: str
    niss: str
    birth_date: date
    sex: Sex
    nationality: str
    work_email: str
    birth_place: str | None = None
    mobile_phone: str | None = None
    contracts: tuple[Contract, ...] = field(default=())
    version: int = 0

    def contract(self, contract_id: str) -> Contract:
        for contract in self.contracts:
            if contract.contract_id == contract_id:
                return contract
        raise ContractNotFound(f"No contract {contract_id} for this worker.")


def register_worker(worker: Worker, *, niss_birth_date: date | None, niss_sex: str | None) -> Worker:
    """Check a new worker's personal data against what the NISS itself encodes (a typo guard)."""
    if niss_birth_date is not None and niss_birth_date != worker.birth_date:
        raise InvalidWorker("The birth date does not match the one encoded in the NISS.", field="birth_date")
    if niss_sex is not None and worker.sex in ("M", "F") and niss_sex != worker.sex:
        raise InvalidWorker("The sex does not match the one encoded in the NISS.", field="sex")
    return worker


def sign_contract(worker: Worker, contract: Contract, *, today: date) -> Worker:
    """Add a contract to a worker, enforcing the contract rules. Returns the new worker state."""
    check_dates(contract, birth_date=worker.birth_date, today=today)
    check_terms(contract)
    if any(contract.overlaps(existing) for existing in worker.contracts):
        raise OverlappingContract("The worker already has a contract in that period.")
    return replace(worker, contracts=(*worker.contracts, contract))


def check_dates(contract: Contract, *, birth_date: date, today: date) -> None:
    """The period: ends after it starts, ends when its type needs an end, and lies within sane bounds."""
    if contract.end_date is not None and contract.end_date < contract.start_date:
        raise InvalidContract("The end date is before the start date.", field="end_date")
    if contract.end_date is None and contract.worker_type in WORKER_TYPES_NEEDING_END_DATE:
        raise InvalidContract(
            f"A {contract.worker_type} contract needs an end date (declared with the start in Dimona).",
            field="end_date",
        )
    if contract.end_date is None and contract.contract_type in CONTRACT_TYPES_NEEDING_END_DATE:
        raise InvalidContract(f"A {contract.contract_type} contract needs an end date.", field="end_date")
    if contract.end_date is not None and contract.end_date.year > LAST_END_YEAR:
        raise InvalidContract(f"The end date must be in {LAST_END_YEAR} or earlier.", field="end_date")
    if contract.start_date < birth_date:
        raise InvalidContract("The contract starts before the worker was born.", field="start_date")
    latest_start = today + MAX_DAYS_BEFORE_START
    if contract.start_date > latest_start:
        raise InvalidContract(
            f"A contract starts at most a year ahead (on {latest_start.isoformat()} at the latest).",
            field="start_date",
        )


def check_terms(contract: Contract) -> None:
    """Working time and pay: more than nothing, and not beyond what any contract could say."""
    if not Decimal(0) < contract.weekly_hours <= MAX_WEEKLY_HOURS:
        raise InvalidContract(f"Weekly hours must be more than 0 and at most {MAX_WEEKLY_HOURS}.", field="weekly_hours")
    if not Decimal(0) < contract.gross_monthly_salary <= MAX_GROSS_MONTHLY_SALARY:
        raise InvalidContract(
            f"The gross monthly salary must be more than 0 and at most {MAX_GROSS_MONTHLY_SALARY:,}.",
            field="gross_monthly_salary",
        )
