"""What is missing before a contract's Dimona can be declared, field by field, in the reader's language.

"The Dimona cannot be declared until all these steps were done correctly" (the seed, §4): the worker's
personal data must count (filled in by HR or validated after self-service onboarding), with a NISS, and the
contract must say what Dimona needs (dates, joint committee, worker type, planned hours for students and
occasional workers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .contracts import END_REQUIRED_WORKER_TYPES, Terms
from .dimona import HOURS_REQUIRED

LANGUAGES = ("fr", "nl", "en")
MESSAGES: dict[str, dict[str, str]] = {
    "worker.personal_data": {
        "fr": "Les données personnelles du travailleur ne sont pas encore complètes ni validées.",
        "nl": "De persoonsgegevens van de werknemer zijn nog niet volledig of gevalideerd.",
        "en": "The worker's personal data are not complete and validated yet.",
    },
    "worker.niss": {
        "fr": "Le numéro national (NISS) du travailleur manque.",
        "nl": "Het rijksregisternummer (INSZ) van de werknemer ontbreekt.",
        "en": "The worker's national number (NISS) is missing.",
    },
    "worker.birth_date": {
        "fr": "La date de naissance du travailleur manque.",
        "nl": "De geboortedatum van de werknemer ontbreekt.",
        "en": "The worker's birth date is missing.",
    },
    "start_date": {
        "fr": "La date de début du contrat manque.",
        "nl": "De begindatum van het contract ontbreekt.",
        "en": "The contract's start date is missing.",
    },
    "end_date": {
        "fr": "La date de fin est obligatoire pour ce type de travailleur.",
        "nl": "De einddatum is verplicht voor dit type werknemer.",
        "en": "The end date is required for this worker type.",
    },
    "joint_committee": {
        "fr": "La commission paritaire manque.",
        "nl": "Het paritair comité ontbreekt.",
        "en": "The joint committee is missing.",
    },
    "worker_type": {
        "fr": "Le type de travailleur manque.",
        "nl": "Het type werknemer ontbreekt.",
        "en": "The worker type is missing.",
    },
    "schedule": {
        "fr": "L'horaire ne prévoit aucune heure sur la période : les heures prévues sont obligatoires.",
        "nl": "Het uurrooster plant geen uren in de periode: de geplande uren zijn verplicht.",
        "en": "The schedule plans no hours over the period: planned hours are required.",
    },
    "payroll_provider": {
        "fr": "Un autre fournisseur de paie déclare la Dimona de ce contrat : Ruche ne déclare rien.",
        "nl": "Een andere payrollprovider doet de Dimona van dit contract: Ruche geeft niets aan.",
        "en": "Another payroll provider declares this contract's Dimona: Ruche declares nothing.",
    },
}


@dataclass(frozen=True)
class WorkerFacts:
    """What the Dimona needs of the worker."""

    registered: bool
    niss: str | None
    birth_date: date | None


def missing(worker: WorkerFacts, terms: Terms) -> list[str]:
    """The fields missing before the Dimona IN, in the order a user fills them in."""
    found = []
    if terms.payroll_provider != "ruche":
        return ["payroll_provider"]
    if not worker.registered:
        found.append("worker.personal_data")
    if not worker.niss:
        found.append("worker.niss")
    if worker.birth_date is None:
        found.append("worker.birth_date")
    if terms.start_date is None:
        found.append("start_date")
    if terms.end_date is None and terms.worker_type in END_REQUIRED_WORKER_TYPES:
        found.append("end_date")
    if not terms.joint_committee:
        found.append("joint_committee")
    if not terms.worker_type:
        found.append("worker_type")
    if terms.worker_type in HOURS_REQUIRED and terms.end_date is not None:
        if not terms.planned_hours(terms.start_date, terms.end_date):
            found.append("schedule")
    return found


def is_ready(worker: WorkerFacts, terms: Terms) -> bool:
    return not missing(worker, terms)


def message(field: str, language: str) -> str:
    labels = MESSAGES[field]
    return labels.get(language) or labels["en"]


def language_of(accept_language: str | None) -> str:
    """The first of fr, nl, en the `Accept-Language` header asks for (by quality), English otherwise."""
    if not accept_language:
        return "en"
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, position, tag.strip().lower().split("-")[0]))
    for _, _, language in sorted(ranked):
        if language in LANGUAGES:
            return language
    return "en"
