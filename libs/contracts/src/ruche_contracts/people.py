"""Events produced by the people service. Both live on one topic keyed by worker id, so a worker's
registration always reaches consumers before that worker's contracts."""

from datetime import date
from decimal import Decimal
from typing import ClassVar, Literal

from pydantic import Field

from .envelope import Payload
from .identifiers import StoredNiss

Sex = Literal["M", "F", "X"]


class WorkerRegistered(Payload):
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


class ContractSigned(Payload):
    event_type: ClassVar[str] = "be.ruche.people.contract-signed.v1"
    producer: ClassVar[str] = "people"

    worker_id: str
    contract_id: str
    start_date: date
    end_date: date | None = None
    contract_type: str
    weekly_hours: Decimal
    gross_monthly_salary: Decimal
    joint_committee: str
    worker_type: str
