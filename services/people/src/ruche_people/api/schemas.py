"""Request and answer shapes of workers, personal data and onboarding. Requests are typed loosely where the
domain checks (NISS, IBAN, phone, country, postal code), so every refusal of a value names its field the same way."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, EmailStr, Field

from ..domain.onboarding import MailLanguage, Onboarding
from ..domain.personal_data import Address, CivilStatus, Language, PersonalData, Sex, address_fields
from ..domain.workers import Status, Worker
from .deps import Strict

Name = Annotated[str, Field(min_length=1, max_length=100)]
Text = Annotated[str, Field(min_length=1, max_length=150)]
Short = Annotated[str, Field(min_length=1, max_length=12)]


class AddressIn(Strict):
    street: Text
    number: Short
    box: Annotated[str, Field(max_length=10)] | None = None
    postal_code: Short
    municipality: Name
    country: str = Field(default="BE", min_length=2, max_length=2, description="ISO 3166-1 alpha-2")


class PersonalDataIn(Strict):
    nationality: str = Field(min_length=2, max_length=2, description="ISO 3166-1 alpha-2, e.g. BE")
    niss: str = Field(max_length=20, description="National register or BIS number; dots and dashes allowed")
    birth_date: date
    birth_place: Name
    sex: Sex
    civil_status: CivilStatus
    civil_status_date: date | None = Field(default=None, description="Required unless single")
    language: Language
    private_email: EmailStr
    mobile_phone: str = Field(max_length=30, description="Belgian numbers by default; stored in E.164")
    iban: str = Field(max_length=42)
    address: AddressIn


class PersonalDataDraft(Strict):
    """The new hire's draft: any field, each checked alone; null empties a field."""

    nationality: str | None = Field(default=None, max_length=2)
    niss: str | None = Field(default=None, max_length=20)
    birth_date: date | None = None
    birth_place: Name | None = None
    sex: Sex | None = None
    civil_status: CivilStatus | None = None
    civil_status_date: date | None = None
    language: Language | None = None
    private_email: EmailStr | None = None
    mobile_phone: str | None = Field(default=None, max_length=30)
    iban: str | None = Field(default=None, max_length=42)
    address: AddressIn | None = None


class OnboardingRequest(Strict):
    email: EmailStr
    language: MailLanguage = "fr"


class WorkerCreate(Strict):
    first_name: Name
    last_name: Name
    work_email: EmailStr
    personal_data: PersonalDataIn | None = Field(default=None, description="HR fills them in at once")
    onboarding: OnboardingRequest | None = Field(default=None, description="Or mail the new hire a link")


class AddressChange(Strict):
    effective_date: date
    address: AddressIn


class CivilStatusChange(Strict):
    civil_status: CivilStatus
    effective_date: date


class Corrections(Strict):
    corrections: PersonalDataDraft = Field(default_factory=PersonalDataDraft)


# Answers -----------------------------------------------------------------------------------------------------
class OnboardingSummary(BaseModel):
    state: str
    email: str
    language: str
    sent_at: datetime
    expires_at: datetime
    submitted_at: datetime | None = None
    validated_at: datetime | None = None

    @classmethod
    def of(cls, o: Onboarding) -> OnboardingSummary:
        return cls(
            state=o.state,
            email=o.email,
            language=o.language,
            sent_at=o.sent_at,
            expires_at=o.expires_at,
            submitted_at=o.submitted_at,
            validated_at=o.validated_at,
        )


class OnboardingOut(OnboardingSummary):
    """HR's review: the state and the values given, each field's origin in `values.origins`."""

    validated_by: str | None = None
    values: dict[str, Any]

    @classmethod
    def of(cls, o: Onboarding) -> OnboardingOut:
        values = {**shown_fields(o.draft), "origins": {name: o.origin(name) for name in o.draft}}
        return cls(**OnboardingSummary.of(o).model_dump(), validated_by=o.validated_by, values=values)


class SentOut(BaseModel):
    state: str
    expires_at: datetime


class FormOut(BaseModel):
    """What the new hire sees behind the link."""

    first_name: str
    last_name: str
    state: str
    language: str
    expires_at: datetime
    draft: dict[str, Any]


class WorkerOut(BaseModel):
    worker_id: str
    first_name: str
    last_name: str
    work_email: str
    registered: bool
    created_at: datetime | None = None
    personal_data: dict[str, Any] | None = Field(
        description="Current values; `origins` gives each field's origin (`hr` or `new_hire`)"
    )
    onboarding: OnboardingSummary | None = None
    status: Status | None = Field(
        default=None, description="In a list: future, in_service or left on the list's `on` date; null without contract"
    )
    contracts: list[dict[str, Any]] = Field(default_factory=list)

    @classmethod
    def of(
        cls,
        w: Worker,
        *,
        today: date,
        contracts: list[dict[str, Any]] | None = None,
        status: Status | None = None,
    ) -> WorkerOut:
        data = w.personal_data_on(today)
        return cls(
            worker_id=w.worker_id,
            first_name=w.first_name,
            last_name=w.last_name,
            work_email=w.work_email,
            registered=w.registered,
            created_at=w.created_at,
            personal_data=None if data is None else personal_data_out(data, w.origins),
            onboarding=None if w.onboarding is None else OnboardingSummary.of(w.onboarding),
            status=status,
            contracts=contracts or [],
        )


class AddressOut(BaseModel):
    effective_date: date
    address: dict[str, Any]


class CivilStatusOut(BaseModel):
    effective_date: date
    civil_status: CivilStatus


class AddressHistory(BaseModel):
    items: list[AddressOut]


class CivilStatusHistory(BaseModel):
    items: list[CivilStatusOut]


def personal_data_out(data: PersonalData, origins: Mapping[str, str]) -> dict[str, Any]:
    return {**shown_fields(data.as_fields()), "origins": dict(origins)}


def shown_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        name: address_fields(value)
        if isinstance(value, Address)
        else value.isoformat()
        if isinstance(value, date)
        else value
        for name, value in values.items()
    }


SortKey = Literal["last_name", "-last_name", "first_name", "-first_name", "created", "-created"]
