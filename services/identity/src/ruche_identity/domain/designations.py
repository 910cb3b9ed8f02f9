"""Designation of an enterprise's access manager: a request with a ticket, decided by a platform operator once the
signed form arrived; approval gives the manager provisional credentials for a limited time."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Literal

from .errors import DesignationDecided, NotAllowed, SignedFormMissing

ManagerCapacity = Literal["employee", "director", "manager", "partner"]
SignatoryCapacity = Literal["director", "manager", "partner"]
DesignationStatus = Literal["pending", "form_received", "approved", "rejected"]
PROVISIONAL_VALIDITY = timedelta(days=30)
OPERATOR_TENANT = "platform"  # operators act for the platform, not for an enterprise
# Crockford's base32: no I, L, O or U, so a ticket read over the phone is not misheard.
TICKET_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TICKET_SYMBOLS = 16  # 80 random bits: a ticket cannot be guessed


def new_ticket() -> str:
    symbols = "".join(secrets.choice(TICKET_ALPHABET) for _ in range(TICKET_SYMBOLS))
    return "-".join(symbols[i : i + 4] for i in range(0, TICKET_SYMBOLS, 4))


def normalize_ticket(ticket: str) -> str:
    """A ticket as typed: any case, with or without dashes or spaces, O and I and L read as 0 and 1."""
    cleaned = ticket.upper().replace("-", "").replace(" ", "").translate(str.maketrans("OIL", "011"))
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def check_can_decide(status: DesignationStatus, *, approving: bool) -> None:
    """An operator approves only once the signed form arrived; a decided request stays decided."""
    if status in ("approved", "rejected"):
        raise DesignationDecided(f"This request is already {status}.")
    if approving and status != "form_received":
        raise SignedFormMissing("The signed form has not been recorded as received yet.")


def check_provisional(*, provisional_expires_at: datetime | None, now: datetime) -> None:
    if provisional_expires_at is not None and now > provisional_expires_at:
        raise NotAllowed("These provisional credentials have expired; ask for a new designation.")
