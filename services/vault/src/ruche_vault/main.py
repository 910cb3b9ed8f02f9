"""Composition root of the vault service: `uvicorn ruche_vault.main:app`."""

from __future__ import annotations

from fastapi import FastAPI
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service

from . import api, consumers, repository
from .settings import VaultSettings


def create_app(settings: VaultSettings | None = None) -> FastAPI:
    return create_service(
        ServiceSpec(
            title="Ruche vault",
            description="Employees' document vaults, opened for every registered worker.",
            routers=[api.router],
            produces=[topics.VAULT_VAULTS],
            outbox_collections=[repository.VAULTS],
            setup_database=repository.create_indexes,
            subscribe=consumers.register,
        ),
        settings or VaultSettings(),
    )


app = create_app()
