"""Employee accounts, the vault's users: their 12-digit identifiers, reset links, and how a lost employee is
recognised."""

from __future__ import annotations

import secrets
from datetime import timedelta

RESET_LINK_VALIDITY = timedelta(minutes=30)
IDENTIFIER_DIGITS = 12


def new_employee_identifier() -> str:
    """A fresh 12-digit login: 10 random digits and 2 check digits (97 − n mod 97), like the vault's."""
    body = secrets.randbelow(9 * 10**9) + 10**9
    return f"{body}{97 - body % 97:02d}"


def is_employee_login(login: str) -> bool:
    """Employees log in with their 12-digit identifier or their personal e-mail; managers with a username."""
    return (len(login) == IDENTIFIER_DIGITS and login.isdigit()) or "@" in login


def phone_key(phone: str) -> str:
    """The subscriber part of a phone number, so +32 475… and 0475… agree."""
    return "".join(c for c in phone if c.isdigit())[-9:]
