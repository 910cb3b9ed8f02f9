"""Which filters a piece of code sends to the database: FerretDB answers only filters holding `_id` from an index
(see ruche_devstack.ferretdb_fixes), so a hot path must send nothing else. A test records the commands of one
operation and asserts none scanned."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pymongo import monitoring

FILTERED = {"find": "filter", "findAndModify": "query", "count": "query"}
BATCHED = {"update": "updates", "delete": "deletes"}


@dataclass
class QueryLog(monitoring.CommandListener):
    """Every filter sent, as (command, collection, filter)."""

    filters: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        name, command = event.command_name, event.command
        if name in FILTERED:
            self.filters.append((name, command[name], dict(command.get(FILTERED[name]) or {})))
        elif name in BATCHED:
            for statement in command.get(BATCHED[name], []):
                self.filters.append((name, command[name], dict(statement.get("q") or {})))

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def clear(self) -> None:
        self.filters.clear()

    def scans(self, *, allowed: frozenset[str] = frozenset()) -> list[tuple[str, str, dict[str, Any]]]:
        """The filters without an `_id` equality (each a full scan on FerretDB), but in `allowed` collections."""
        return [
            (name, collection, query)
            for name, collection, query in self.filters
            if collection not in allowed and not isinstance(query.get("_id"), str)
        ]
