"""Events produced by the identity service."""

from datetime import datetime
from typing import ClassVar

from pydantic import Field

from .envelope import Payload
from .identifiers import StoredEnterpriseNumber


class EnterpriseRegistered(Payload):
    event_type: ClassVar[str] = "be.ruche.identity.enterprise-registered.v1"
    producer: ClassVar[str] = "identity"

    enterprise_number: StoredEnterpriseNumber
    name: str
    access_manager_id: str = Field(description="User id of the enterprise's first access manager.")


class DesignationRequested(Payload):
    event_type: ClassVar[str] = "be.ruche.identity.designation-requested.v1"
    producer: ClassVar[str] = "identity"

    ticket: str
    enterprise_number: StoredEnterpriseNumber
    replace_current: bool


class DesignationApproved(Payload):
    event_type: ClassVar[str] = "be.ruche.identity.designation-approved.v1"
    producer: ClassVar[str] = "identity"

    ticket: str
    enterprise_number: StoredEnterpriseNumber
    access_manager_id: str
    replaced_manager_ids: list[str] = Field(default_factory=list)
    actor_id: str


class DesignationRejected(Payload):
    event_type: ClassVar[str] = "be.ruche.identity.designation-rejected.v1"
    producer: ClassVar[str] = "identity"

    ticket: str
    enterprise_number: StoredEnterpriseNumber
    actor_id: str


class _UserEvent(Payload):
    """What every user event says: whose account, and who did it (the audit trail's who/what/whom/when)."""

    producer: ClassVar[str] = "identity"

    user_id: str
    actor_id: str = Field(description="The user (or operator) who performed the action.")


class UserCreated(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.user-created.v1"

    username: str
    last_name: str
    first_name: str
    kind: str = Field(description="access_manager, co_manager or user")
    language: str


class UserUpdated(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.user-updated.v1"

    changed: list[str] = Field(description="Names of the fields that changed (never their values).")


class UserBlocked(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.user-blocked.v1"


class UserUnblocked(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.user-unblocked.v1"


class UserDeleted(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.user-deleted.v1"


class ApplicationGranted(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.application-granted.v1"

    application: str
    profile: str


class ApplicationRevoked(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.application-revoked.v1"

    application: str


class PasswordChanged(_UserEvent):
    event_type: ClassVar[str] = "be.ruche.identity.password-changed.v1"

    provisional: bool = Field(description="True when set by an access manager (to change at next login).")


class AccessManagerReplaced(_UserEvent):
    """The user was an access manager and lost that role to a newly designated one."""

    event_type: ClassVar[str] = "be.ruche.identity.access-manager-replaced.v1"

    replaced_by: str


class EmployeeAccountOpened(_UserEvent):
    """An employee account for a worker whose vault was opened; `user_id` is its 12-digit identifier."""

    event_type: ClassVar[str] = "be.ruche.identity.employee-account-opened.v1"

    worker_id: str


class AccountLocked(_UserEvent):
    """Too many failed logins: the account is locked until `locked_until` (or a password reset)."""

    event_type: ClassVar[str] = "be.ruche.identity.account-locked.v1"

    locked_until: datetime


class MandateGranted(Payload):
    """An employer lets a service provider's users act on its data, for the named applications."""

    event_type: ClassVar[str] = "be.ruche.identity.mandate-granted.v1"
    producer: ClassVar[str] = "identity"

    mandate_id: str
    enterprise_number: StoredEnterpriseNumber = Field(description="The employer giving the mandate.")
    provider_enterprise_number: StoredEnterpriseNumber
    applications: list[str]
    actor_id: str


class MandateRevoked(Payload):
    """Either side ended the mandate; tokens issued under it stop working."""

    event_type: ClassVar[str] = "be.ruche.identity.mandate-revoked.v1"
    producer: ClassVar[str] = "identity"

    mandate_id: str
    enterprise_number: StoredEnterpriseNumber
    provider_enterprise_number: StoredEnterpriseNumber
    actor_id: str


class SessionsEnded(Payload):
    """Access tokens issued to `subject` before this event's time no longer count. Raised by identity with every
    change that ends sessions (a block, a deletion, a revoked application, a password change, a replaced access
    manager, an ended mandate), on a topic of its own: every service follows it, and only it, to refuse such
    tokens at once without asking identity."""

    event_type: ClassVar[str] = "be.ruche.identity.sessions-ended.v1"
    producer: ClassVar[str] = "identity"

    subject: str = Field(description="A user id, or 'mandate:<mandate id>' for the sessions under a mandate.")
    reason: str = Field(description="The event type that ended them, e.g. be.ruche.identity.user-blocked.v1.")
