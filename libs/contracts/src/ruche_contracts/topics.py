"""The one registry of Ruche's Kafka topics: name, record key, and the payload types each carries.

Topics are `<producer>.<aggregate>.v<N>`; a breaking change gets a new topic. The record key is the
aggregate id (the envelope's `subject`), so all events of one aggregate keep their order. Every topic
has a dead-letter twin `<name>.dlq`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .document_vault import VaultOpened
from .envelope import Payload
from .identity import (
    AccessManagerReplaced,
    AccountLocked,
    ApplicationGranted,
    ApplicationRevoked,
    DesignationApproved,
    DesignationRejected,
    DesignationRequested,
    EmployeeAccountOpened,
    EnterpriseRegistered,
    MandateGranted,
    MandateRevoked,
    PasswordChanged,
    SessionsEnded,
    UserBlocked,
    UserCreated,
    UserDeleted,
    UserUnblocked,
    UserUpdated,
)
from .payroll_calendar import (
    CalendarDayChanged,
    CalendarOpened,
    CodeSettingsChanged,
    PayrollMessageChanged,
    SalaryElementAdded,
    SalaryElementRemoved,
)
from .people import (
    AddressChanged,
    ContractAmended,
    ContractCancelled,
    ContractEnded,
    ContractSigned,
    DimonaAccepted,
    DimonaDeclared,
    DimonaRefused,
    OnboardingSubmitted,
    OnboardingValidated,
    PersonalDataChanged,
    WorkerAdded,
    WorkerRegistered,
)
from .presence import PresenceRegistered, WorkplaceDeclared


@dataclass(frozen=True)
class Topic:
    name: str
    key: str  # the payload field whose value is the record key and the envelope's subject
    payloads: tuple[type[Payload], ...]

    @property
    def dlq(self) -> str:
        return dead_letter_topic(self.name)

    def payload_type(self, event_type: str) -> type[Payload] | None:
        return next((p for p in self.payloads if p.event_type == event_type), None)


def dead_letter_topic(name: str) -> str:
    return f"{name}.dlq"


IDENTITY_ENTERPRISES = Topic(
    "identity.enterprises.v1",
    "enterprise_number",
    (
        EnterpriseRegistered,
        DesignationRequested,
        DesignationApproved,
        DesignationRejected,
        MandateGranted,
        MandateRevoked,
    ),
)
IDENTITY_USERS = Topic(
    "identity.users.v1",
    "user_id",
    (
        UserCreated,
        UserUpdated,
        UserBlocked,
        UserUnblocked,
        UserDeleted,
        ApplicationGranted,
        ApplicationRevoked,
        PasswordChanged,
        AccessManagerReplaced,
        EmployeeAccountOpened,
        AccountLocked,
    ),
)
IDENTITY_SESSIONS = Topic("identity.sessions.v1", "subject", (SessionsEnded,))
PEOPLE_WORKERS = Topic(
    "people.workers.v1",
    "worker_id",
    (
        WorkerAdded,
        WorkerRegistered,
        OnboardingSubmitted,
        OnboardingValidated,
        ContractSigned,
        ContractAmended,
        ContractEnded,
        ContractCancelled,
        DimonaDeclared,
        DimonaAccepted,
        DimonaRefused,
    ),
)
PEOPLE_PERSONAL_DATA = Topic("people.personal-data.v1", "worker_id", (PersonalDataChanged, AddressChanged))
CALENDAR_CALENDARS = Topic(
    "calendar.calendars.v1",
    "worker_id",
    (CalendarOpened, CalendarDayChanged, SalaryElementAdded, SalaryElementRemoved, PayrollMessageChanged),
)
CALENDAR_CODES = Topic("calendar.codes.v1", "enterprise_number", (CodeSettingsChanged,))
PRESENCE_WORKPLACES = Topic("presence.workplaces.v1", "workplace_id", (WorkplaceDeclared,))
PRESENCE_REGISTRATIONS = Topic("presence.registrations.v1", "worker_id", (PresenceRegistered,))
VAULT_VAULTS = Topic("vault.vaults.v1", "worker_id", (VaultOpened,))

ALL_TOPICS: tuple[Topic, ...] = (
    IDENTITY_ENTERPRISES,
    IDENTITY_USERS,
    IDENTITY_SESSIONS,
    PEOPLE_WORKERS,
    PEOPLE_PERSONAL_DATA,
    CALENDAR_CALENDARS,
    CALENDAR_CODES,
    PRESENCE_WORKPLACES,
    PRESENCE_REGISTRATIONS,
    VAULT_VAULTS,
)


def topic_for(payload_type: type[Payload]) -> Topic:
    for topic in ALL_TOPICS:
        if payload_type in topic.payloads:
            return topic
    raise LookupError(f"{payload_type.__name__} is on no topic")


def all_payload_types() -> list[type[Payload]]:
    return [p for topic in ALL_TOPICS for p in topic.payloads]
