"""Workers and their employment contracts: the rules, on plain objects, with no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
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


class InvalidWorker(DomainError):
    status, kind, title = 422, "invalid-worker", "Invalid worker"


class InvalidContract(DomainError):
    status, kind, title = 422, "invalid-contract", "Invalid contract"


class OverlappingContract(DomainError):
    status, kind, title, field = 409, "overlapping-contract", "Overlapping contract", "start_date"


class WorkerNotFound(DomainError):
    status, kind, title = 404, "worker-not-found", "Worker not found"


class WorkerAlreadyRegistered(DomainError):
    status, kind, title, field = 409, "worker-already-registered", "Worker already registered", "niss"


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


def register_worker(worker: Worker, *, niss_birth_date: date | None, niss_sex: str | None) -> Worker:
    """Check a new worker's personal data against what the NISS itself encodes (a typo guard)."""
    if niss_birth_date is not None and niss_birth_date != worker.birth_date:
        raise InvalidWorker("The birth date does not match the one encoded in the NISS.", field="birth_date")
    if niss_sex is not None and worker.sex in ("M", "F") and niss_sex != worker.sex:
        raise InvalidWorker("The sex does not match the one encoded in the NISS.", field="sex")
    return worker


def sign_contract(worker: Worker, contract: Contract) -> Worker:
    """Add a contract to a worker, enforcing the contract rules. Returns the new worker state."""
    if contract.end_date is not None and contract.end_date < contract.start_date:
        raise InvalidContract("The end date is before the start date.", field="end_date")
    if contract.end_date is None and contract.worker_type in WORKER_TYPES_NEEDING_END_DATE:
        raise InvalidContract(
            f"A {contract.worker_type} contract needs an end date (declared with the start in Dimona).",
            field="end_date",
        )
    if contract.end_date is None and contract.contract_type in CONTRACT_TYPES_NEEDING_END_DATE:
        raise InvalidContract(f"A {contract.contract_type} contract needs an end date.", field="end_date")
    if not Decimal(0) < contract.weekly_hours <= MAX_WEEKLY_HOURS:
        raise InvalidContract(f"Weekly hours must be more than 0 and at most {MAX_WEEKLY_HOURS}.", field="weekly_hours")
    if contract.gross_monthly_salary < 0:
        raise InvalidContract("The gross monthly salary cannot be negative.", field="gross_monthly_salary")
    if contract.start_date < worker.birth_date:
        raise InvalidContract("The contract starts before the worker was born.", field="start_date")
    if any(contract.overlaps(existing) for existing in worker.contracts):
        raise OverlappingContract("The worker already has a contract in that period.")
    return replace(worker, contracts=(*worker.contracts, contract))
