"""Mail out through a real SMTP server: the relay's sender for the mails a service's use cases store.

Stored mails link to `{site}/…`; the sender writes the console's public address in at sending time, so a mail
stored before the console moved still leads to it.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

from .outbox import mail_entry
from .settings import ServiceSettings


class MailSettings(ServiceSettings):
    """The settings of a service that sends mail."""

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 8025
    mail_sender: str = "Ruche <no-reply@ruche.example>"
    # Where people open the links the service mails: the web console (by default at the gateway's root).
    console_url: str | None = None

    @property
    def site(self) -> str:
        return (self.console_url or self.public_url).rstrip("/")


class SmtpSender:
    def __init__(self, *, host: str, port: int, sender: str, site: str) -> None:
        self._host, self._port, self._sender, self._site = host, port, sender, site.rstrip("/")

    @classmethod
    def of(cls, settings: MailSettings) -> SmtpSender:
        return cls(host=settings.smtp_host, port=settings.smtp_port, sender=settings.mail_sender, site=settings.site)

    async def __call__(self, mail: Mapping[str, Any]) -> None:
        await asyncio.to_thread(self._send, mail)

    def _send(self, mail: Mapping[str, Any]) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, mail["to"], mail["subject"]
        message["Message-ID"] = f"<{mail['id']}@ruche>"  # the same id if a crash makes us send it again
        message.set_content(mail["body"].replace("{site}", self._site))
        with smtplib.SMTP(self._host, self._port, timeout=10) as smtp:
            smtp.send_message(message)


# Mails a use case stores -------------------------------------------------------------------------------------
SITE = "{site}"  # left in a stored body, replaced by the console's address when the mail is sent
BRUSSELS = ZoneInfo("Europe/Brussels")
Templates = Mapping[str, Mapping[str, tuple[str, str]]]  # template → language → (subject, body)


def templated_mail(templates: Templates, template: str, *, to: str, language: str, **values: Any) -> dict[str, Any]:
    """The outbox entry of a mail in the recipient's language (English when the template has not that language
    yet), its values written as Belgians read them; `{site}` in a body stays for the sender to fill in."""
    texts = templates[template]
    subject, body = texts.get(language) or texts["en"]
    shown = {name: shown_belgian(value) for name, value in values.items()}
    return mail_entry(to=to, subject=subject.format(**shown), body=body.format(site=SITE, **shown), template=template)


def shown_belgian(value: Any) -> Any:
    """Dates as Belgians write them (31/12/2026), times in Brussels (31/12/2026 17:30)."""
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)  # Mongo hands back naive UTC
        return aware.astimezone(BRUSSELS).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return value
