"""Mail out through a real SMTP server: the relay's sender for the mails identity's use cases store.

Stored mails link to `{site}/…` (see use_cases/mails.py); the sender writes the console's public address in,
so a mail stored before the console moved still leads to it.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any


class SmtpSender:
    def __init__(self, *, host: str, port: int, sender: str, site: str) -> None:
        self._host, self._port, self._sender, self._site = host, port, sender, site.rstrip("/")

    async def __call__(self, mail: Mapping[str, Any]) -> None:
        await asyncio.to_thread(self._send, mail)

    def _send(self, mail: Mapping[str, Any]) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, mail["to"], mail["subject"]
        message["Message-ID"] = f"<{mail['id']}@ruche>"  # the same id if a crash makes us send it again
        message.set_content(mail["body"].replace("{site}", self._site))
        with smtplib.SMTP(self._host, self._port, timeout=10) as smtp:
            smtp.send_message(message)
