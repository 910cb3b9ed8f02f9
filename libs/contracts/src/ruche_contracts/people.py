"""Events produced by the people service, on two topics keyed by worker id.

- `people.workers.v1`: the worker's life at the employer (added, registered, onboarding, contracts, Dimona). A
  worker's events keep their order, so a worker's registration reaches consumers before its contracts.
- `people.personal-data.v1`: personal data changes (private address, civil status, IBAN...). Only consumers that
  need a person's private data subscribe to it; the workers topic carries what downstream services plan with.

New fields of an existing event type are optional, so a consumer built on the older schema reads new events, and
a new consumer reads events stored before the field existed.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import BaseModel, Field

from .envelope import Payload
from .identifiers import StoredNiss

Sex = Literal["M", "F", "X"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
PayrollProvider = Literal["ruche", "other"]
DeclarationType = Literal["IN", "UPDATE", "OUT", "CANCEL"]


class WorkerAdded(Payload):
    """Step one of "add a worker": names and work e-mail; personal data follow (by HR or the new hire)."""

    event_type: ClassVar[str] = "be.ruche.people.worker-added.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    first_name: str
    last_name: str
    work_email: str


class WorkerRegistered(Payload):
    """The worker's identity counts: raised once, when the personal data were first filled in by HR or validated
    after self-service onboarding. Carries what identity (employee accounts) and presence (NISS) need."""

    event_type: ClassVar[str] = "be.ruche.people.worker-registered.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    first_name: str
    last_name: str
    niss: StoredNiss
    birth_date: date
    sex: Sex
    nationality: str = Field(description="ISO 3166-1 alpha-2 country code.")
    work_email: str
    birth_place: str | None = Field(default=None, description="Town of birth (lets an employee recover a login).")
    mobile_phone: str | None = None


class OnboardingSubmitted(Payload):
    """The new hire submitted the self-service form; HR reviews it before the data count."""

    event_type: ClassVar[str] = "be.ruche.people.onboarding-submitted.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    submitted_at: datetime


class OnboardingValidated(Payload):
    event_type: ClassVar[str] = "be.ruche.people.onboarding-validated.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    validated_by: str = Field(description="The HR user's id.")
    corrected_fields: list[str] = Field(default_factory=list, description="Fields HR changed before validating.")


class ContractTerms(BaseModel):
    """What a contract says, as of one version."""

    start_date: date
    end_date: date | None = None
    contract_type: str
    weekly_hours: Decimal
    gross_monthly_salary: Decimal | None = None
    hourly_wage: Decimal | None = None
    joint_committee: str
    worker_type: str
    payroll_provider: PayrollProvider = "ruche"
    full_time_weekly_hours: Decimal | None = None
    minutes_by_weekday: dict[Weekday, int] | None = Field(
        default=None, description="Planned minutes per weekday; absent for contracts signed before schedules."
    )
    job_title: str | None = None


class ContractSigned(ContractTerms, Payload):
    event_type: ClassVar[str] = "be.ruche.people.contract-signed.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str


class ContractAmended(ContractTerms, Payload):
    """A new version of the contract, effective from `effective_date`; the terms are the whole new version."""

    event_type: ClassVar[str] = "be.ruche.people.contract-amended.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str
    version: int
    effective_date: date


class ContractEnded(Payload):
    """The contract ends early: its last day is `end_date`."""

    event_type: ClassVar[str] = "be.ruche.people.contract-ended.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str
    end_date: date
    reason: str
    payroll_provider: PayrollProvider = "ruche"


class ContractCancelled(Payload):
    """The contract was cancelled before it started: it never was."""

    event_type: ClassVar[str] = "be.ruche.people.contract-cancelled.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str
    payroll_provider: PayrollProvider = "ruche"


class Anomaly(BaseModel):
    code: str
    severity: str | None = None
    label: dict[str, str] = Field(default_factory=dict, description="By language: fr, nl, en.")


class DimonaDeclared(Payload):
    event_type: ClassVar[str] = "be.ruche.people.dimona-declared.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str
    declaration_id: str
    declaration_type: DeclarationType
    late: bool = Field(default=False, description="An IN sent after the work started.")


class DimonaAccepted(Payload):
    """ONSS accepted a declaration (A, or W with warnings): the Dimona period now runs from `start_date` to
    `end_date` (none: open-ended), or, after a CANCEL, does not exist (`cancelled`)."""

    event_type: ClassVar[str] = "be.ruche.people.dimona-accepted.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str
    declaration_id: str
    declaration_type: DeclarationType
    result: Literal["A", "W"]
    dimona_period_id: str | None = None
    start_date: date
    end_date: date | None = None
    cancelled: bool = False
    anomalies: list[Anomaly] = Field(default_factory=list)


class DimonaRefused(Payload):
    event_type: ClassVar[str] = "be.ruche.people.dimona-refused.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str
    declaration_id: str
    declaration_type: DeclarationType
    anomalies: list[Anomaly]


class Address(BaseModel):
    street: str
    number: str
    box: str | None = None
    postal_code: str
    municipality: str
    country: str = Field(description="ISO 3166-1 alpha-2.")


class AddressChanged(Payload):
    event_type: ClassVar[str] = "be.ruche.people.address-changed.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    effective_date: date
    address: Address


class PersonalDataChanged(Payload):
    """Personal data (other than the address) changed; `changes` holds the new value of each changed field
    (`civil_status` comes with `civil_status_date`)."""

    event_type: ClassVar[str] = "be.ruche.people.personal-data-changed.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    changes: dict[str, str | None]
