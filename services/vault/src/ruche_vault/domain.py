"""Employees' document vaults. A vault's login identifier is 12 digits: 10 random and 2 check digits
(97 − n mod 97, as in Belgian enterprise numbers), so a mistyped identifier is caught before any lookup."""

from __future__ import annotations

import secrets


def new_identifier() -> str:
    body = secrets.randbelow(9 * 10**9) + 10**9  # 10 digits, no leading zero
    return f"{body}{97 - body % 97:02d}"


def is_valid_identifier(identifier: str) -> bool:
    if len(identifier) != 12 or not identifier.isdigit():
        return False
    return 97 - int(identifier[:10]) % 97 == int(identifier[10:])
