"""The anomalies the simulator reports, with a code in ONSS's style (`<zone>-<number>`) and its labels.

The codes are the simulator's own: ONSS publishes its anomaly list in its Dimona glossary, not as a reusable
table. What matters to a client is the shape (a code, a severity, labels in French and Dutch) and that a
blocking anomaly refuses the declaration (result B) while warnings accept it (result W).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["blocking", "warning"]


@dataclass(frozen=True)
class Anomaly:
    code: str
    severity: Severity
    fr: str
    nl: str
    en: str

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity,
            "label": {"fr": self.fr, "nl": self.nl, "en": self.en},
        }


def _blocking(code: str, fr: str, nl: str, en: str) -> Anomaly:
    return Anomaly(code, "blocking", fr, nl, en)


EMPLOYER_UNKNOWN = _blocking(
    "00010-001",
    "Le numéro d'entreprise de l'employeur n'est pas valable.",
    "Het ondernemingsnummer van de werkgever is niet geldig.",
    "The employer's enterprise number is not valid.",
)
SSIN_INVALID = _blocking(
    "00020-001",
    "Le numéro NISS du travailleur n'est pas valable (chiffre de contrôle).",
    "Het INSZ van de werknemer is niet geldig (controlecijfer).",
    "The worker's social security number is not valid (check digits).",
)
START_MISSING = _blocking(
    "00030-001",
    "La date de début est obligatoire.",
    "De begindatum is verplicht.",
    "The starting date is required.",
)
START_TOO_OLD = _blocking(
    "00030-002",
    "La date de début est trop ancienne pour une déclaration électronique.",
    "De begindatum ligt te ver in het verleden voor een elektronische aangifte.",
    "The starting date is too far in the past for an electronic declaration.",
)
START_TOO_FAR = _blocking(
    "00030-003",
    "La date de début est trop éloignée dans le futur.",
    "De begindatum ligt te ver in de toekomst.",
    "The starting date is too far in the future.",
)
END_MISSING = _blocking(
    "00040-001",
    "La date de fin est obligatoire pour ce type de travailleur.",
    "De einddatum is verplicht voor dit type werknemer.",
    "The ending date is required for this worker type.",
)
END_BEFORE_START = _blocking(
    "00040-002",
    "La date de fin précède la date de début.",
    "De einddatum ligt vóór de begindatum.",
    "The ending date is before the starting date.",
)
WORKER_TYPE_UNKNOWN = _blocking(
    "00050-001",
    "Le type de travailleur n'existe pas.",
    "Het type werknemer bestaat niet.",
    "The worker type does not exist.",
)
JOINT_COMMITTEE_UNKNOWN = _blocking(
    "00060-001",
    "La commission paritaire n'existe pas.",
    "Het paritair comité bestaat niet.",
    "The joint committee does not exist.",
)
JOINT_COMMITTEE_MUST_BE_XXX = _blocking(
    "00060-002",
    "Un travailleur ordinaire des commissions paritaires 144, 145 et 302 se déclare avec la commission XXX.",
    "Een gewone werknemer van de paritaire comités 144, 145 en 302 wordt aangegeven met paritair comité XXX.",
    "An ordinary worker of joint committees 144, 145 and 302 is declared with joint committee XXX.",
)
WORKER_TYPE_NOT_IN_COMMITTEE = _blocking(
    "00060-003",
    "Ce type de travailleur n'est pas autorisé dans cette commission paritaire.",
    "Dit type werknemer is niet toegelaten in dit paritair comité.",
    "This worker type is not allowed in this joint committee.",
)
HOURS_MISSING = _blocking(
    "00070-001",
    "Le nombre d'heures prévues est obligatoire pour un étudiant ou un travailleur occasionnel.",
    "Het aantal geplande uren is verplicht voor een student of een gelegenheidswerknemer.",
    "The planned number of hours is required for a student or an occasional worker.",
)
HOURS_OUT_OF_RANGE = _blocking(
    "00070-002",
    "Le nombre d'heures prévues dépasse le contingent de l'étudiant (650 heures par année civile).",
    "Het aantal geplande uren overschrijdt het contingent van de student (650 uur per kalenderjaar).",
    "The planned hours exceed the student's quota (650 hours per calendar year).",
)
PERIOD_OVERLAP = _blocking(
    "00080-001",
    "Une période Dimona existe déjà pour ce travailleur chez cet employeur pendant cette période.",
    "Er bestaat al een Dimona-periode voor deze werknemer bij deze werkgever in die periode.",
    "A Dimona period already exists for this worker at this employer in that period.",
)
PERIOD_UNKNOWN = _blocking(
    "00090-001",
    "La période Dimona n'existe pas pour cet employeur.",
    "De Dimona-periode bestaat niet voor deze werkgever.",
    "The Dimona period does not exist for this employer.",
)
PERIOD_CANCELLED = _blocking(
    "00090-002",
    "La période Dimona est annulée.",
    "De Dimona-periode is geannuleerd.",
    "The Dimona period is cancelled.",
)
LATE_DECLARATION = Anomaly(
    "00030-900",
    "warning",
    "Déclaration tardive : la Dimona IN doit être faite au plus tard au début des prestations.",
    "Laattijdige aangifte: de Dimona IN moet ten laatste bij het begin van de prestaties gebeuren.",
    "Late declaration: a Dimona IN is due at the latest when work starts.",
)

CATALOGUE: dict[str, Anomaly] = {
    anomaly.code: anomaly
    for anomaly in (
        EMPLOYER_UNKNOWN,
        SSIN_INVALID,
        START_MISSING,
        START_TOO_OLD,
        START_TOO_FAR,
        END_MISSING,
        END_BEFORE_START,
        WORKER_TYPE_UNKNOWN,
        JOINT_COMMITTEE_UNKNOWN,
        JOINT_COMMITTEE_MUST_BE_XXX,
        WORKER_TYPE_NOT_IN_COMMITTEE,
        HOURS_MISSING,
        HOURS_OUT_OF_RANGE,
        PERIOD_OVERLAP,
        PERIOD_UNKNOWN,
        PERIOD_CANCELLED,
        LATE_DECLARATION,
    )
}
