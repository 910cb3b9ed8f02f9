"""ONSS's back office, in memory: the declarations received, the Dimona periods, and what tests asked the
simulator to do on purpose (scenarios). Declarations are checked and applied in the order they arrive; their
result becomes visible only once "processed", like the real asynchronous service."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import anomalies as a
from . import rules
from .declarations import Declaration, Period


@dataclass
class Scenario:
    """What the next `count` declarations about `ssin` get instead of the rules' verdict."""

    ssin: str
    result: str | None = None  # "A", "W", "B" or "S"
    anomalies: list[str] = field(default_factory=list)
    delay_seconds: float | None = None
    unavailable: bool = False  # answer 503 instead of taking the declaration
    count: int = 1


@dataclass
class Received:
    declaration_id: int
    expeditor: str
    kind: str
    body: dict[str, Any]
    ssin: str | None
    received_at: float
    ready_at: float
    result: str
    anomalies: list[a.Anomaly]
    period_id: int | None
    identified_at: float | None = None  # when a result S turns into A

    def status(self, now: float) -> dict[str, Any]:
        result = self.result
        if result == "S" and self.identified_at is not None and now >= self.identified_at:
            result = "A"
        return {
            "declarationId": self.declaration_id,
            "declarationType": self.kind,
            "result": result,
            "dimonaPeriodId": self.period_id,
            "anomalies": [anomaly.as_json() for anomaly in self.anomalies],
        }


class Unavailable(Exception):
    """A scenario asked the service to be unavailable for this declaration."""


class Office:
    def __init__(self, *, processing_seconds: float, identification_seconds: float) -> None:
        self.processing_seconds = processing_seconds
        self.identification_seconds = identification_seconds
        self.received: dict[int, Received] = {}
        self.periods: dict[int, Period] = {}
        self.scenarios: list[Scenario] = []
        self._declaration_ids = itertools.count(700_000_001)
        self._period_ids = itertools.count(100_000_000_001)

    def reset(self) -> None:
        self.received.clear()
        self.periods.clear()
        self.scenarios.clear()

    def receive(
        self, declaration: Declaration, body: dict[str, Any], *, expeditor: str, today: date, now: float
    ) -> int:
        ssin = self._ssin_of(declaration)
        scenario = self._take_scenario(ssin)
        if scenario is not None and scenario.unavailable:
            raise Unavailable
        found = rules.check(declaration, list(self.periods.values()), today)
        result = rules.result_of(found)
        if scenario is not None and scenario.result is not None:
            result = scenario.result
            found = [a.CATALOGUE[code] for code in scenario.anomalies if code in a.CATALOGUE] or (
                [] if result in ("A", "S") else found
            )
        declaration_id = next(self._declaration_ids)
        period_id = self._apply(declaration, declaration_id, ssin) if result != "B" else None
        delay = scenario.delay_seconds if scenario and scenario.delay_seconds is not None else self.processing_seconds
        received = Received(
            declaration_id=declaration_id,
            expeditor=expeditor,
            kind=declaration.kind,
            body=body,
            ssin=ssin,
            received_at=now,
            ready_at=now + delay,
            result=result,
            anomalies=found,
            period_id=period_id,
            identified_at=now + delay + self.identification_seconds if result == "S" else None,
        )
        self.received[declaration_id] = received
        return declaration_id

    def _ssin_of(self, declaration: Declaration) -> str | None:
        if declaration.worker is not None:
            return declaration.worker.ssin
        period = self.periods.get(declaration.dimona_number or 0)
        return period.ssin if period else None

    def _take_scenario(self, ssin: str | None) -> Scenario | None:
        for scenario in self.scenarios:
            if scenario.ssin == ssin and scenario.count > 0:
                scenario.count -= 1
                if scenario.count == 0:
                    self.scenarios.remove(scenario)
                return scenario
        return None

    def _apply(self, declaration: Declaration, declaration_id: int, ssin: str | None) -> int | None:
        """The declaration's effect on the periods; the period it concerns."""
        reference = f"{declaration.kind}:{declaration_id}"
        if (dimona := declaration.dimona_in) is not None:
            assert ssin is not None
            period = Period(
                period_id=next(self._period_ids),
                employer=declaration.employer.key,
                ssin=ssin,
                starting_date=dimona.starting_date,
                ending_date=dimona.ending_date,
                worker_type=dimona.dimona_features.worker_type,
                joint_commission_number=dimona.dimona_features.joint_commission_number,
                planned_hours_number=dimona.planned_hours_number,
                history=[reference],
            )
            self.periods[period.period_id] = period
            return period.period_id
        known = self.periods.get(declaration.dimona_number or 0)
        if known is None:
            return None
        known.history.append(reference)
        if declaration.dimona_out is not None:
            known.ending_date = declaration.dimona_out.ending_date
        elif (update := declaration.dimona_update) is not None:
            known.starting_date, known.ending_date = update.starting_date, update.ending_date
            if update.planned_hours_number is not None:
                known.planned_hours_number = update.planned_hours_number
        else:
            known.cancelled = True
        return known.period_id
