"""Ruche's public event language. Services import this package, never each other."""

from .envelope import CONTENT_TYPE, CloudEvent, Payload, new_event, to_wire
from .topics import ALL_TOPICS, Topic, all_payload_types, dead_letter_topic, topic_for

__all__ = [
    "ALL_TOPICS",
    "CONTENT_TYPE",
    "CloudEvent",
    "Payload",
    "Topic",
    "all_payload_types",
    "dead_letter_topic",
    "new_event",
    "to_wire",
    "topic_for",
]
