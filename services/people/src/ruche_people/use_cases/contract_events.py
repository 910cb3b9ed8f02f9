"""Outbox entries of the contracts' and Dimona's events (people.workers.v1, keyed by worker id). Calendar plans
from `minutes_by_weekday`; presence counts the accepted Dimona periods, or the contract's dates when another
payroll provider declares (`payroll_provider`)."""

from __future__ import annotations

from typing import Any

from ruche_contracts import new_event, topics
from ruche_contracts.people import (
    Anomaly as AnomalyPayload,
)
from ruche_contracts.people import (
    ContractAmended,
    ContractCancelled,
    ContractEnded,
    ContractSigned,
    DimonaAccepted,
    DimonaDeclared,
    DimonaRefused,
)
from ruche_servicekit.outbox import event_entry

from ..domain.contracts import Contract, Terms
from ..domain.dimona import Anomaly, Declaration

Entry = dict[str, Any]


def _entry(contract: Contract, payload: Any) -> Entry:
    event = new_event(payload, tenant=contract.tenant, subject=contract.worker_id)
    return event_entry(topics.PEOPLE_WORKERS, event)


def _terms(terms: Terms) -> dict[str, Any]:
    return {
        "start_date": terms.start_date,
        "end_date": terms.end_date,
        "contract_type": terms.contract_type,
        "weekly_hours": terms.weekly_hours,
        "gross_monthly_salary": terms.gross_monthly_salary,
        "hourly_wage": terms.hourly_wage,
        "joint_committee": terms.joint_committee,
        "worker_type": terms.worker_type,
        "payroll_provider": terms.payroll_provider,
        "full_time_weekly_hours": terms.full_time_weekly_hours,
        "minutes_by_weekday": terms.minutes_by_weekday,
        "job_title": terms.job_title,
    }


def _ids(contract: Contract) -> dict[str, str]:
    return {"worker_id": contract.worker_id, "contract_id": contract.contract_id}


def contract_signed(contract: Contract) -> Entry:
    return _entry(contract, ContractSigned(**_ids(contract), **_terms(contract.terms)))


def contract_amended(contract: Contract) -> Entry:
    version = contract.versions[-1]
    payload = ContractAmended(
        **_ids(contract), **_terms(version.terms), version=version.version, effective_date=version.effective_date
    )
    return _entry(contract, payload)


def contract_ended(contract: Contract) -> Entry:
    assert contract.ended is not None
    payload = ContractEnded(
        **_ids(contract),
        end_date=contract.ended.end_date,
        reason=contract.ended.reason,
        payroll_provider=contract.terms.payroll_provider,
    )
    return _entry(contract, payload)


def contract_cancelled(contract: Contract) -> Entry:
    return _entry(contract, ContractCancelled(**_ids(contract), payroll_provider=contract.terms.payroll_provider))


def dimona_declared(contract: Contract, declaration: Declaration) -> Entry:
    payload = DimonaDeclared(
        **_ids(contract),
        declaration_id=declaration.declaration_id,
        declaration_type=declaration.type,
        late=declaration.late,
    )
    return _entry(contract, payload)


def _anomalies(anomalies: tuple[Anomaly, ...]) -> list[AnomalyPayload]:
    return [AnomalyPayload(code=a.code, severity=a.severity, label=dict(a.label)) for a in anomalies]


def dimona_answered(contract: Contract, declaration: Declaration) -> list[Entry]:
    """DimonaAccepted (A, W) with the period ONSS now knows, DimonaRefused (B); nothing while S."""
    if declaration.result == "B":
        payload: Any = DimonaRefused(
            **_ids(contract),
            declaration_id=declaration.declaration_id,
            declaration_type=declaration.type,
            anomalies=_anomalies(declaration.anomalies),
        )
        return [_entry(contract, payload)]
    declared = contract.dimona.declared
    if declaration.result not in ("A", "W") or declared is None:
        return []
    payload = DimonaAccepted(
        **_ids(contract),
        declaration_id=declaration.declaration_id,
        declaration_type=declaration.type,
        result=declaration.result,
        dimona_period_id=contract.dimona.period_id,
        start_date=declared.start,
        end_date=declared.end,
        cancelled=declared.cancelled,
        anomalies=_anomalies(declaration.anomalies),
    )
    return [_entry(contract, payload)]
