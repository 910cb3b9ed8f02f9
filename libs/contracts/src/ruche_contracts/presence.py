"""Events produced by the presence service."""

from datetime import date
from typing import ClassVar

from .envelope import Payload


class PresenceRegistered(Payload):
    event_type: ClassVar[str] = "be.ruche.presence.presence-registered.v1"
    producer: ClassVar[str] = "presence"

    registration_id: str
    receipt_number: str
    worker_id: str
    workplace_id: str
    date: date


class WorkplaceDeclared(Payload):
    event_type: ClassVar[str] = "be.ruche.presence.workplace-declared.v1"
    producer: ClassVar[str] = "presence"

    workplace_id: str
    name: str
