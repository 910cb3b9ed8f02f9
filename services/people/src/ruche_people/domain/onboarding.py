"""Self-service onboarding: HR sends the new hire a single-use link; behind it the new hire saves a draft of their
personal data and submits it; HR reviews, corrects if needed (those fields' origin becomes `hr`) and validates,
and only then do the data count.

States: `sent` (link mailed) → `draft` (something saved) → `submitted` (link used) → `validated`; `withdrawn` by
HR at any step before validation. Sending a new link replaces the previous one, which stops working.

The link's token is never stored: only its SHA-256, which is also the link's identity.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal

from .errors import (
    InvalidPersonalData,
    OnboardingLinkExpired,
    OnboardingLinkUsed,
    OnboardingNotAllowed,
    OnboardingNotFound,
    OnboardingNotSubmitted,
)
from .personal_data import PersonalData, check_fields, complete

State = Literal["sent", "draft", "submitted", "validated", "withdrawn"]
MailLanguage = Literal["fr", "nl", "en"]
LINK_VALIDITY = timedelta(days=14)
OPEN_STATES = frozenset({"sent", "draft"})  # the new hire's link works
HR_OPEN_STATES = frozenset({"sent", "draft", "submitted"})  # HR may still withdraw or validate


@dataclass(frozen=True)
class Onboarding:
    state: State
    email: str
    language: MailLanguage
    link: str  # SHA-256 of the token, hex
    sent_at: datetime
    expires_at: datetime
    draft: Mapping[str, Any] = field(default_factory=dict)  # checked values, by field
    corrected: tuple[str, ...] = ()  # fields HR changed when validating
    submitted_at: datetime | None = None
    validated_at: datetime | None = None
    validated_by: str | None = None

    def origin(self, name: str) -> str:
        return "hr" if name in self.corrected else "new_hire"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def send(current: Onboarding | None, *, email: str, language: MailLanguage, link: str, now: datetime) -> Onboarding:
    """A new link (replacing the previous one); a draft the new hire saved is kept."""
    if current is not None and current.state == "validated":
        raise OnboardingNotAllowed("The onboarding was validated already: HR corrects the data directly.")
    draft = current.draft if current is not None and current.state in OPEN_STATES | {"submitted"} else {}
    return Onboarding(
        state="draft" if draft else "sent",
        email=email,
        language=language,
        link=link,
        sent_at=now,
        expires_at=now + LINK_VALIDITY,
        draft=draft,
    )


def opened(current: Onboarding | None, *, link: str, now: datetime) -> Onboarding:
    """The onboarding behind a link the new hire opens: refused when replaced, used, withdrawn or expired."""
    if current is None or current.link != link or current.state not in OPEN_STATES:
        raise OnboardingLinkUsed("This link was already used or replaced. Ask your employer for a new one.")
    if now >= current.expires_at:
        raise OnboardingLinkExpired("This link has expired. Ask your employer for a new one.")
    return current


def save_draft(current: Onboarding, values: Mapping[str, Any], *, today: date) -> Onboarding:
    """Fields checked one by one, missing ones allowed; a field sent as null is emptied."""
    checked = check_fields(values, today=today)
    cleared = {name for name, value in values.items() if value is None}
    draft = {name: value for name, value in {**current.draft, **checked}.items() if name not in cleared}
    check_fields(draft, today=today)  # the NISS against birth date and sex, whichever was saved first
    return replace(current, state="draft", draft=draft)


def submit(current: Onboarding, *, now: datetime, today: date) -> tuple[Onboarding, PersonalData]:
    """Every field required and checked; the link is used."""
    data = complete(current.draft, today=today)
    return replace(current, state="submitted", draft=data.as_fields(), submitted_at=now), data


def validate(
    current: Onboarding | None, corrections: Mapping[str, Any], *, actor: str, now: datetime, today: date
) -> tuple[Onboarding, PersonalData]:
    """HR's corrections (origin `hr`), then the data that now count."""
    onboarding = present(current)
    if onboarding.state != "submitted":
        raise OnboardingNotSubmitted("The new hire has not submitted the form yet.")
    checked = check_fields(corrections, today=today)
    corrected = tuple(name for name, value in checked.items() if onboarding.draft.get(name) != value)
    unknown_nulls = [name for name, value in corrections.items() if value is None]
    if unknown_nulls:
        raise InvalidPersonalData("A correction needs a value.", field=unknown_nulls[0])
    data = complete({**onboarding.draft, **checked}, today=today)
    validated = replace(
        onboarding,
        state="validated",
        draft=data.as_fields(),
        corrected=corrected,
        validated_at=now,
        validated_by=actor,
    )
    return validated, data


def withdraw(current: Onboarding | None) -> Onboarding:
    onboarding = present(current)
    if onboarding.state not in HR_OPEN_STATES:
        raise OnboardingNotAllowed(f"The onboarding is {onboarding.state}: there is nothing to withdraw.")
    return replace(onboarding, state="withdrawn")


def present(current: Onboarding | None) -> Onboarding:
    if current is None:
        raise OnboardingNotFound("No self-service link was sent to this worker.")
    return current
