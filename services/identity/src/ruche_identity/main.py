"""Composition root of the identity service: `uvicorn ruche_identity.main:app`."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import FastAPI
from pydantic import SecretStr
from ruche_contracts import topics
from ruche_servicekit.app import ServiceSpec, create_service
from ruche_servicekit.settings import ServiceSettings

from . import (
    api,
    consumers,
    designations,
    employees,
    employees_api,
    keys,
    mails,
    mandates,
    mandates_api,
    refresh_tokens,
    repository,
    users_api,
)


class IdentitySettings(ServiceSettings):
    service_name: str = "identity"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    mail_sender: str = "Ruche <no-reply@ruche.example>"
    # The platform operator who handles designation requests; created on first start when both are set.
    operator_username: str | None = None
    operator_password: SecretStr | None = None


async def _setup(db) -> None:
    await repository.create_indexes(db)
    await designations.create_indexes(db)
    await refresh_tokens.create_indexes(db)
    await mandates.create_indexes(db)
    await employees.create_indexes(db)


def create_app(settings: IdentitySettings | None = None) -> FastAPI:
    settings = settings or IdentitySettings()

    async def started(app: FastAPI) -> None:
        app.state.signing_key = await keys.ensure_signing_key(app.state.db)
        if settings.operator_username and settings.operator_password:
            await designations.ensure_operator(
                app.state.db,
                username=settings.operator_username,
                password=settings.operator_password.get_secret_value(),
                now=datetime.now(UTC),
            )

    async def send_mails(app: FastAPI) -> None:
        await app.state.mail_relay.run()

    app = create_service(
        ServiceSpec(
            title="Ruche identity",
            description="Enterprises, access managers, users, credentials and access tokens.",
            routers=[api.router, users_api.router, employees_api.router, mandates_api.router],
            produces=[topics.IDENTITY_ENTERPRISES, topics.IDENTITY_USERS],
            outbox_collections=[
                repository.ENTERPRISES,
                repository.USERS,
                designations.DESIGNATIONS,
                employees.EMPLOYEES,
                mandates.MANDATES,
            ],
            subscribe=consumers.register,
            setup_database=_setup,
            on_started=started,
            background=[send_mails],
        ),
        settings,
    )
    app.state.mail_relay = mails.MailRelay(
        app.state.db,
        [repository.USERS, designations.DESIGNATIONS, employees.EMPLOYEES, employees.RESET_LINKS],
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.mail_sender,
    )
    return app


app = create_app()
