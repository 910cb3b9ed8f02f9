"""What ONSS checks in a Dimona declaration, on plain objects: a list of anomalies (none, warnings only, or
blocking ones) for a declaration, given the periods already known and today's date."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from stdnum.be import ssn, vat

from . import anomalies as a
from .declarations import Declaration, DimonaIn, Period

# Worker types of the "fichier du personnel" the simulator knows (domain.md §4).
WORKER_TYPES = frozenset({"OTH", "STU", "FLX", "EXT", "DWD", "A17", "BCW", "IVT", "TRI", "STG", "PCW", "TTE"})
END_REQUIRED = frozenset({"STU", "FLX", "EXT", "IVT"})  # declared with their end date at once
HOURS_REQUIRED = frozenset({"STU", "EXT"})
STUDENT_QUOTA_HOURS = 650  # per calendar year
XXX_COMMITTEES = frozenset({"144", "145", "302"})  # ordinary workers there are declared with "XXX"
EXT_COMMITTEES = frozenset({"144", "145", "302", "320", "322"})
# Sectors where flexi-jobs are allowed (the simulator's list, after the 2024 extension).
FLX_COMMITTEES = frozenset(
    {"118", "119", "200", "201", "202", "302", "311", "312", "314", "318", "319", "322", "330", "331", "332", "333"}
)
# Joint committees (the number before any dot) that exist.
JOINT_COMMITTEES = frozenset(
    str(n)
    for n in (
        *(100, 101, 102, 104, 105, 106, 107, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121),
        *(124, 125, 126, 127, 128, 129, 130, 132, 133, 136, 139, 140, 142, 143, 144, 145, 146, 147, 148, 149, 152),
        *(200, 201, 202, 203, 204, 205, 207, 209, 210, 211, 213, 214, 215, 216, 217, 218, 219, 220, 221, 222, 223),
        *(224, 225, 226, 227, 300, 301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312, 313, 314, 315, 316),
        *(317, 318, 319, 320, 321, 322, 323, 324, 325, 326, 327, 328, 329, 330, 331, 332, 333, 335, 336, 337, 339),
        *(340, 341),
    )
)
OLDEST_START = timedelta(days=366)
FURTHEST_START = timedelta(days=366)


def check(declaration: Declaration, periods: Iterable[Period], today: date) -> list[a.Anomaly]:
    found: list[a.Anomaly] = []
    employer = declaration.employer
    if employer.enterprise_number is not None and not vat.is_valid(employer.enterprise_number):
        found.append(a.EMPLOYER_UNKNOWN)
    if declaration.worker is not None and not ssn.is_valid(declaration.worker.ssin):  # NISS or BIS number
        found.append(a.SSIN_INVALID)
    known = [p for p in periods if p.employer == employer.key]
    if declaration.dimona_in is not None:
        assert declaration.worker is not None
        found += _check_in(declaration.dimona_in, declaration.worker.ssin, known, periods, today)
    else:
        found += _check_change(declaration, known)
    return found


def _check_in(
    dimona: DimonaIn, ssin: str, known: list[Period], every: Iterable[Period], today: date
) -> list[a.Anomaly]:
    found: list[a.Anomaly] = []
    features = dimona.dimona_features
    worker_type, committee = features.worker_type, features.joint_commission_number
    top = committee.split(".")[0]
    if dimona.starting_date < today - OLDEST_START:
        found.append(a.START_TOO_OLD)
    elif dimona.starting_date > today + FURTHEST_START:
        found.append(a.START_TOO_FAR)
    if worker_type not in WORKER_TYPES:
        found.append(a.WORKER_TYPE_UNKNOWN)
    if committee != "XXX" and top not in JOINT_COMMITTEES:
        found.append(a.JOINT_COMMITTEE_UNKNOWN)
    found += _coherence(worker_type, committee, top)
    found += _dates(dimona.starting_date, dimona.ending_date, worker_type)
    if worker_type in HOURS_REQUIRED and not dimona.planned_hours_number:
        found.append(a.HOURS_MISSING)
    if worker_type == "STU" and dimona.planned_hours_number:
        used = sum(
            p.planned_hours_number or 0
            for p in every
            if p.ssin == ssin
            and p.worker_type == "STU"
            and not p.cancelled
            and p.starting_date.year == dimona.starting_date.year
        )
        if used + dimona.planned_hours_number > STUDENT_QUOTA_HOURS:
            found.append(a.HOURS_OUT_OF_RANGE)
    if any(p.ssin == ssin and p.overlaps(dimona.starting_date, dimona.ending_date) for p in known):
        found.append(a.PERIOD_OVERLAP)
    if not found and dimona.starting_date < today:
        found.append(a.LATE_DECLARATION)
    return found


def _coherence(worker_type: str, committee: str, top: str) -> list[a.Anomaly]:
    if committee == "XXX":
        return [] if worker_type == "OTH" else [a.WORKER_TYPE_NOT_IN_COMMITTEE]
    if worker_type == "OTH" and top in XXX_COMMITTEES:
        return [a.JOINT_COMMITTEE_MUST_BE_XXX]
    if worker_type == "EXT" and top not in EXT_COMMITTEES:
        return [a.WORKER_TYPE_NOT_IN_COMMITTEE]
    if worker_type == "FLX" and top not in FLX_COMMITTEES:
        return [a.WORKER_TYPE_NOT_IN_COMMITTEE]
    return []


def _dates(start: date, end: date | None, worker_type: str) -> list[a.Anomaly]:
    if end is None:
        return [a.END_MISSING] if worker_type in END_REQUIRED else []
    return [a.END_BEFORE_START] if end < start else []


def _check_change(declaration: Declaration, known: list[Period]) -> list[a.Anomaly]:
    number = declaration.dimona_number
    period = next((p for p in known if p.period_id == number), None)
    if period is None:
        return [a.PERIOD_UNKNOWN]
    if period.cancelled:
        return [a.PERIOD_CANCELLED]
    if declaration.dimona_out is not None:
        return [a.END_BEFORE_START] if declaration.dimona_out.ending_date < period.starting_date else []
    if declaration.dimona_update is not None:
        update = declaration.dimona_update
        found = _dates(update.starting_date, update.ending_date, period.worker_type)
        others = [p for p in known if p.ssin == period.ssin and p.period_id != period.period_id]
        if any(p.overlaps(update.starting_date, update.ending_date) for p in others):
            found.append(a.PERIOD_OVERLAP)
        return found
    return []


def result_of(found: list[a.Anomaly]) -> str:
    if any(anomaly.severity == "blocking" for anomaly in found):
        return "B"
    return "W" if found else "A"
