"""Employees' document vaults. A vault's login identifier is 12 digits: 10 random and 2 check digits
(97 − n mod 97, as in Belgian enterprise numbers), so a mistyped identifier is caught before any lookup."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from ruche_servicekit.errors import DomainError


class VaultNotFound(DomainError):
    status, kind, title = 404, "vault-not-found", "Vault not found"


@dataclass(frozen=True)
class Vault:
    """One per worker: the vault's id is the worker's."""

    vault_id: str
    tenant: str
    worker_id: str
    identifier: str
    opened_at: datetime


def new_identifier() -> str:
    body = secrets.randbelow(9 * 10**9) + 10**9  # 10 digits, no leading zero
    return f"{body}{97 - body % 97:02d}"


def is_valid_identifier(identifier: str) -> bool:
    if len(identifier) != 12 or not identifier.isdigit():
        return False
    return 97 - int(identifier[:10]) % 97 == int(identifier[10:])


def open_vault(*, tenant: str, worker_id: str, identifier: str, opened_at: datetime) -> Vault:
    return Vault(vault_id=worker_id, tenant=tenant, worker_id=worker_id, identifier=identifier, opened_at=opened_at)
