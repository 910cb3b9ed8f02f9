"""Each contract's Dimona on plain objects: what ONSS knows of the contract's period, what Ruche sent and what
ONSS answered, and the next declaration the contract calls for.

The next declaration is found by comparing the period the contract wants (`Wanted`: its start, its end, whether
it was cancelled) with the period ONSS accepted (`declared`): no accepted IN yet → IN; cancelled → CANCEL; ended
early → OUT; other date changes → UPDATE. So a dispatcher that crashed, a change made while a declaration was
in flight, or two changes in a row all end in the right declarations. A refusal holds the contract (`hold`)
until it changes or HR asks to send again, so a refused declaration is not sent again and again.

States: waiting_for_data (readiness not met), to_declare, sent, accepted (A), accepted_with_warnings (W),
refused (B), waiting_for_identification (S: polled until A), not_applicable (another payroll provider)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any, Literal

DimonaState = Literal[
    "waiting_for_data",
    "to_declare",
    "sent",
    "accepted",
    "accepted_with_warnings",
    "refused",
    "waiting_for_identification",
    "not_applicable",
]
Kind = Literal["IN", "UPDATE", "OUT", "CANCEL"]
Result = Literal["A", "W", "B", "S"]
XXX_COMMITTEES = frozenset({"144", "145", "302"})  # ordinary workers there are declared with committee "XXX"
HOURS_REQUIRED = frozenset({"STU", "EXT"})  # plannedHoursNumber required


@dataclass(frozen=True)
class Wanted:
    """The Dimona period a contract calls for."""

    start: date
    end: date | None
    cancelled: bool = False
    ended: bool = False  # ended early: an OUT rather than an UPDATE


@dataclass(frozen=True)
class Declared:
    """The Dimona period ONSS accepted."""

    start: date
    end: date | None
    cancelled: bool = False


@dataclass(frozen=True)
class Anomaly:
    code: str
    severity: str | None
    label: Mapping[str, str]  # fr, nl, en


@dataclass(frozen=True)
class Declaration:
    """One declaration sent to ONSS, and its answer once read."""

    declaration_id: str
    type: Kind
    body: Mapping[str, Any]  # as sent
    sent_at: datetime
    start: date  # the period it asks for
    end: date | None
    late: bool = False
    result: Result | None = None
    anomalies: tuple[Anomaly, ...] = ()
    answered_at: datetime | None = None

    @property
    def in_flight(self) -> bool:
        return self.result is None or self.result == "S"


@dataclass(frozen=True)
class Dimona:
    state: DimonaState
    period_id: str | None = None
    declared: Declared | None = None
    hold: bool = False  # a refusal waits for a change or a retry
    declarations: tuple[Declaration, ...] = ()

    @staticmethod
    def initial(*, declares: bool, ready: bool) -> Dimona:
        if not declares:
            return Dimona("not_applicable")
        return Dimona("to_declare" if ready else "waiting_for_data")

    @property
    def in_flight(self) -> Declaration | None:
        last = self.declarations[-1] if self.declarations else None
        return last if last is not None and last.in_flight else None

    @property
    def refused_in(self) -> bool:
        """The last declaration was a refused IN (an amendment is its correction)."""
        last = self.declarations[-1] if self.declarations else None
        return last is not None and last.type == "IN" and last.result == "B"

    def released(self) -> Dimona:
        """The contract changed: a held refusal may be followed by a new declaration."""
        return replace(self, hold=False) if self.state != "not_applicable" else self

    def ready(self, ready: bool) -> Dimona:
        """Readiness now met (or not) for a contract with nothing declared yet."""
        if self.state in ("waiting_for_data", "to_declare") and not self.declarations:
            return replace(self, state="to_declare" if ready else "waiting_for_data")
        return self


def next_declaration(dimona: Dimona, wanted: Wanted, *, ready: bool) -> Kind | None:
    """The declaration the contract calls for now, if any (none while one is in flight or a refusal holds)."""
    if dimona.state == "not_applicable" or dimona.in_flight is not None or dimona.hold:
        return None
    declared = dimona.declared
    if dimona.period_id is None or declared is None:
        return "IN" if ready and not wanted.cancelled else None
    if declared.cancelled:
        return None
    if wanted.cancelled:
        return "CANCEL"
    if (wanted.start, wanted.end) == (declared.start, declared.end):
        return None
    if wanted.ended and wanted.start == declared.start:
        return "OUT"
    return "UPDATE"


def idle_state(dimona: Dimona, *, ready: bool) -> Dimona:
    """The state of a contract with nothing to send (after its last answer, or before the first IN)."""
    if dimona.declarations or dimona.state == "not_applicable":
        return dimona
    return dimona.ready(ready)


def dimona_committee(joint_committee: str, worker_type: str) -> str:
    top = joint_committee.split(".")[0]
    return "XXX" if worker_type == "OTH" and top in XXX_COMMITTEES else joint_committee


def declaration_body(
    kind: Kind,
    *,
    employer: str,
    niss: str | None,
    wanted: Wanted,
    period_id: str | None,
    joint_committee: str,
    worker_type: str,
    planned_hours: int | None,
) -> dict[str, Any]:
    """The JSON ONSS's REST API takes for this declaration."""
    body: dict[str, Any] = {"employer": {"enterpriseNumber": employer}}
    hours = planned_hours if worker_type in HOURS_REQUIRED else None
    if kind == "IN":
        assert niss is not None, "an IN names the worker"
        dimona_in: dict[str, Any] = {"startingDate": wanted.start.isoformat()}
        if wanted.end is not None:
            dimona_in["endingDate"] = wanted.end.isoformat()
        if hours is not None:
            dimona_in["plannedHoursNumber"] = hours
        dimona_in["dimonaFeatures"] = {
            "jointCommissionNumber": dimona_committee(joint_committee, worker_type),
            "workerType": worker_type,
        }
        return body | {"worker": {"ssin": niss}, "dimonaIn": dimona_in}
    assert period_id is not None, f"a {kind} names the Dimona period"
    number = int(period_id)
    if kind == "CANCEL":
        return body | {"dimonaCancel": {"dimonaNumber": number}}
    if kind == "OUT":
        assert wanted.end is not None
        return body | {"dimonaOut": {"dimonaNumber": number, "endingDate": wanted.end.isoformat()}}
    update: dict[str, Any] = {"dimonaNumber": number, "startingDate": wanted.start.isoformat()}
    if wanted.end is not None:
        update["endingDate"] = wanted.end.isoformat()
    if hours is not None:
        update["plannedHoursNumber"] = hours
    return body | {"dimonaUpdate": update}


def record_sent(
    dimona: Dimona,
    kind: Kind,
    *,
    declaration_id: str,
    body: Mapping[str, Any],
    wanted: Wanted,
    today: date,
    now: datetime,
) -> Dimona:
    """ONSS took the declaration (201): it is in flight until its answer is read. An IN after the start is late."""
    declaration = Declaration(
        declaration_id=declaration_id,
        type=kind,
        body=body,
        sent_at=now,
        start=wanted.start,
        end=wanted.end,
        late=kind == "IN" and wanted.start < today,
    )
    return replace(dimona, state="sent", hold=False, declarations=(*dimona.declarations, declaration))


def record_refused_at_once(
    dimona: Dimona, kind: Kind, *, body: Mapping[str, Any], wanted: Wanted, anomalies: Sequence[Anomaly], now: datetime
) -> Dimona:
    """ONSS refused the declaration on receipt (400: not its schema): kept as a refusal with its reasons."""
    declaration = Declaration(
        declaration_id="",
        type=kind,
        body=body,
        sent_at=now,
        start=wanted.start,
        end=wanted.end,
        result="B",
        anomalies=tuple(anomalies),
        answered_at=now,
    )
    return replace(dimona, state="refused", hold=True, declarations=(*dimona.declarations, declaration))


STATE_OF: dict[str, DimonaState] = {
    "A": "accepted",
    "W": "accepted_with_warnings",
    "B": "refused",
    "S": "waiting_for_identification",
}


def record_answer(
    dimona: Dimona, *, result: Result, anomalies: Sequence[Anomaly], period_id: str | None, now: datetime
) -> Dimona:
    """ONSS's answer to the declaration in flight. A and W change the period ONSS knows; B holds the contract
    until it changes or HR retries; S stays in flight (polled until A)."""
    sent = dimona.in_flight
    assert sent is not None, "an answer follows a declaration"
    answered = replace(sent, result=result, anomalies=tuple(anomalies), answered_at=now)
    changed = replace(dimona, state=STATE_OF[result], declarations=(*dimona.declarations[:-1], answered))
    if result == "S":
        return replace(changed, period_id=period_id or dimona.period_id)
    if result == "B":
        return replace(changed, hold=True)
    declared = dimona.declared
    if sent.type == "IN":
        return replace(changed, period_id=period_id or dimona.period_id, declared=Declared(sent.start, sent.end))
    assert declared is not None, f"a {sent.type} follows an accepted IN"
    if sent.type == "CANCEL":
        return replace(changed, declared=replace(declared, cancelled=True))
    if sent.type == "OUT":
        return replace(changed, declared=replace(declared, end=sent.end))
    return replace(changed, declared=Declared(sent.start, sent.end))
