"""Every refusal identity's rules can give, each its own problem type (`kind`), status and, when it is about one
field, that field."""

from __future__ import annotations

from ruche_servicekit.errors import DomainError


class UsernameTaken(DomainError):
    status, kind, title, field = 409, "username-taken", "Username taken", "username"


class WeakPassword(DomainError):
    status, kind, title, field = 422, "weak-password", "Password too weak", "password"


class Mismatch(DomainError):
    """A value typed twice differs from its confirmation."""

    status, kind, title = 422, "confirmation-mismatch", "Confirmation does not match"


class UnknownApplication(DomainError):
    status, kind, title, field = 422, "unknown-application", "Unknown application or profile", "application"


class NotAllowed(DomainError):
    status, kind, title = 403, "not-allowed", "Not allowed"


class NotFound(DomainError):
    status, kind, title = 404, "not-found", "Not found"


class ConfirmationRequired(DomainError):
    status, kind, title, field = 422, "confirmation-required", "Confirmation required", "confirm"


class ConcurrentUpdate(DomainError):
    status, kind, title = 409, "concurrent-update", "Changed meanwhile"


class WrongPassword(DomainError):
    status, kind, title, field = 403, "wrong-password", "Wrong password", "current_password"


# Designations ----------------------------------------------------------------------------------------------
class ManagerInPlace(DomainError):
    status, kind, title, field = (
        409,
        "access-manager-in-place",
        "The enterprise has an access manager",
        "replace_current",
    )


class DesignationDecided(DomainError):
    status, kind, title = 409, "designation-decided", "Request already decided"


class SignedFormMissing(DomainError):
    status, kind, title = 409, "signed-form-missing", "Signed form not received"


# Mandates --------------------------------------------------------------------------------------------------
class MandateExists(DomainError):
    status, kind, title, field = 409, "mandate-exists", "Mandate already active", "provider_enterprise_number"


class NoMandate(DomainError):
    status, kind, title, field = 403, "no-mandate", "No mandate", "acting_for"


# Technical users -------------------------------------------------------------------------------------------
class InvalidPublicKey(DomainError):
    status, kind, title, field = 422, "invalid-public-key", "Unusable public key", "public_key"


# Employee accounts -----------------------------------------------------------------------------------------
class AccountActivated(DomainError):
    """An enrollment letter is for an account not yet in use; an active one resets its password instead."""

    status, kind, title = 409, "account-already-activated", "Account already in use"


class ConsentRequired(DomainError):
    status, kind, title, field = 422, "consent-required", "Consent required", "consent"


# Sign-in ---------------------------------------------------------------------------------------------------
class LoginRefused(Exception):
    """Why a sign-in (a token request, a first login, a reset link) is refused; `error` is the OAuth 2.0 error
    code the answer carries. Not a DomainError: the token endpoint answers these in OAuth's own shape."""

    def __init__(self, error: str, detail: str) -> None:
        super().__init__(detail)
        self.error = error
