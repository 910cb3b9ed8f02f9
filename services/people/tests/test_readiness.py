"""Readiness on plain objects: what is missing before the Dimona, field by field, in the reader's language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ruche_people.domain import contracts as c
from ruche_people.domain import readiness as r

REGISTERED = r.WorkerFacts(registered=True, niss="85073003328", birth_date=date(1985, 7, 30))


def terms(**overrides: Any) -> c.Terms:
    values: dict[str, Any] = {
        "payroll_provider": "ruche",
        "start_date": date(2026, 3, 9),
        "contract_type": "open_ended",
        "weekly_hours": Decimal(38),
        "gross_monthly_salary": Decimal(3150),
        "joint_committee": "200",
        "worker_type": "OTH",
    }
    return c.terms_of(values | overrides)


def test_a_registered_worker_with_a_complete_contract_is_ready() -> None:
    assert r.missing(REGISTERED, terms()) == [] and r.is_ready(REGISTERED, terms())


def test_each_missing_thing_is_named() -> None:
    unknown = r.WorkerFacts(registered=False, niss=None, birth_date=None)
    assert r.missing(unknown, terms()) == ["worker.personal_data", "worker.niss", "worker.birth_date"]
    student = terms(contract_type="student", worker_type="STU", end_date=None)
    assert r.missing(REGISTERED, student) == ["end_date"]
    weekend = terms(
        contract_type="student",
        worker_type="STU",
        end_date=date(2026, 3, 13),
        schedule={"sat": Decimal(8)},
        weekly_hours=Decimal(8),
    )
    assert r.missing(REGISTERED, weekend) == ["schedule"]
    assert r.missing(REGISTERED, terms(payroll_provider="other")) == ["payroll_provider"]


def test_messages_speak_the_accept_language() -> None:
    assert r.language_of("nl-BE,nl;q=0.9,en;q=0.8") == "nl"
    assert r.language_of("de-DE, en;q=0.5, fr;q=0.7") == "fr"
    assert r.language_of(None) == "en" and r.language_of("de") == "en"
    assert r.message("worker.niss", "fr").startswith("Le numéro national")
    assert r.message("worker.niss", "nl").startswith("Het rijksregisternummer")
    assert set(r.MESSAGES) >= {"worker.personal_data", "end_date", "schedule"}
    assert all(set(labels) == {"fr", "nl", "en"} for labels in r.MESSAGES.values())
