"""Every refusal people's rules can give, each its own problem type (`kind`), status and, when it is about one
field, that field. Workers, personal data and onboarding first; contracts and Dimona below."""

from __future__ import annotations

from ruche_servicekit.errors import DomainError


class ConcurrentUpdate(DomainError):
    """A document kept changing between read and write; the use case retried, then gives up."""

    status, kind, title = 409, "concurrent-update", "Changed meanwhile"


class WorkerNotFound(DomainError):
    status, kind, title = 404, "worker-not-found", "Worker not found"


class WorkerAlreadyRegistered(DomainError):
    status, kind, title, field = 409, "worker-already-registered", "Worker already registered", "niss"


class InvalidPersonalData(DomainError):
    status, kind, title = 422, "invalid-personal-data", "Invalid personal data"


class InvalidWorker(DomainError):
    status, kind, title = 422, "invalid-worker", "Invalid worker"


class NotRegistered(DomainError):
    """The worker's personal data do not count yet (HR fills them in, or validates the new hire's)."""

    status, kind, title = 409, "worker-not-registered", "Personal data missing"


class NoHistoryOnDate(DomainError):
    status, kind, title, field = 404, "nothing-on-date", "Nothing known on that date", "on"


class OnboardingNotFound(DomainError):
    status, kind, title = 404, "onboarding-not-found", "No self-service link"


class OnboardingNotAllowed(DomainError):
    """A step of the self-service onboarding that its state does not allow (validate before submit, ...)."""

    status, kind, title = 409, "onboarding-not-allowed", "Not possible at this step"


class OnboardingNotSubmitted(DomainError):
    status, kind, title = 409, "onboarding-not-submitted", "Not submitted yet"


class OnboardingLinkUnknown(DomainError):
    status, kind, title = 404, "onboarding-link-unknown", "Unknown link"


class OnboardingLinkExpired(DomainError):
    status, kind, title = 410, "onboarding-link-expired", "This link has expired"


class OnboardingLinkUsed(DomainError):
    status, kind, title = 410, "onboarding-link-used", "This link was already used"


# Contracts and Dimona ------------------------------------------------------------------------------------------
class ContractNotFound(DomainError):
    status, kind, title = 404, "contract-not-found", "Contract not found"


class InvalidContract(DomainError):
    status, kind, title = 422, "invalid-contract", "Invalid contract"


class OverlappingContract(DomainError):
    status, kind, title, field = 409, "overlapping-contract", "Overlapping contract", "start_date"


class ContractNotChangeable(DomainError):
    """The contract's state does not allow the change: cancelled, already ended, or started (for a cancel)."""

    status, kind, title = 409, "contract-not-changeable", "Contract cannot change this way"


class NothingToRetry(DomainError):
    """A retry of the Dimona asked for a contract whose last declaration was not refused."""

    status, kind, title = 409, "dimona-nothing-to-retry", "No refused declaration to send again"
