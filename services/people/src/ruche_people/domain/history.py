"""Effective-dated values: what was true from which date, so "what was the address on date D" has an answer.

A history is a list of (effective date, value), oldest first; a value holds from its date until the next one.
Before the first date nothing is known. A new value on a date that already has one replaces it (a correction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Dated(Generic[T]):
    effective_date: date
    value: T


@dataclass(frozen=True)
class History(Generic[T]):
    entries: tuple[Dated[T], ...] = ()

    def on(self, day: date) -> T | None:
        """The value in force on `day`, or None before the first date."""
        found: T | None = None
        for entry in self.entries:
            if entry.effective_date > day:
                break
            found = entry.value
        return found

    def since(self, day: date) -> Dated[T] | None:
        """The entry in force on `day` (its date and value)."""
        found: Dated[T] | None = None
        for entry in self.entries:
            if entry.effective_date > day:
                break
            found = entry
        return found

    def with_value(self, effective_date: date, value: T) -> History[T]:
        """The history with `value` from `effective_date` (replacing a value of the same date)."""
        kept = [e for e in self.entries if e.effective_date != effective_date]
        entries = sorted([*kept, Dated(effective_date, value)], key=lambda e: e.effective_date)
        return History(tuple(entries))

    def changes(self, effective_date: date, value: T) -> bool:
        """Whether `value` from `effective_date` says something the history does not say already."""
        return self.on(effective_date) != value

    @property
    def latest(self) -> T | None:
        return self.entries[-1].value if self.entries else None
