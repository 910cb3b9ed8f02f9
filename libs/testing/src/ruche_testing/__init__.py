"""Test support shared by every tier: identifiers, polling, Kafka and the outbox as a test sees it."""

from .identifiers import random_enterprise_number, random_niss, unique
from .outbox import pending_events, pending_mails
from .polling import eventually

__all__ = ["eventually", "pending_events", "pending_mails", "random_enterprise_number", "random_niss", "unique"]
