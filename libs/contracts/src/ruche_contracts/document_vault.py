"""Events produced by the vault service."""

from typing import ClassVar

from pydantic import Field

from .envelope import Payload


class VaultOpened(Payload):
    event_type: ClassVar[str] = "be.ruche.vault.vault-opened.v1"
    producer: ClassVar[str] = "vault"

    vault_id: str
    worker_id: str
    identifier: str = Field(pattern=r"^\d{12}$", description="The employee's 12-digit vault login identifier.")
