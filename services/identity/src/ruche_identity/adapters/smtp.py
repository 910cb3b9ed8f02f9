"""Mail out through a real SMTP server: the relay's sender for the mails identity's use cases store."""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Any


class SmtpSender:
    def __init__(self, *, host: str, port: int, sender: str) -> None:
        self._host, self._port, self._sender = host, port, sender

    async def __call__(self, mail: Mapping[str, Any]) -> None:
        await asyncio.to_thread(self._send, mail)

    def _send(self, mail: Mapping[str, Any]) -> None:
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self._sender, mail["to"], mail["subject"]
        message["Message-ID"] = f"<{mail['id']}@ruche>"  # the same id if a crash makes us send it again
        message.set_content(mail["body"])
        with smtplib.SMTP(self._host, self._port, timeout=10) as smtp:
            smtp.send_message(message)
