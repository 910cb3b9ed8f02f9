"""What the simulator checks in a declaration, as ONSS does (domain.md §4)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ruche_onss import anomalies as a
from ruche_onss.declarations import Declaration, Period
from ruche_onss.rules import check, result_of

TODAY = date(2026, 12, 2)
ENTERPRISE = "0403170701"
SSIN = "85073003328"


def dimona_in(worker_type: str = "OTH", committee: str = "200", **dimona: Any) -> Declaration:
    body = {
        "employer": {"enterpriseNumber": ENTERPRISE},
        "worker": {"ssin": dimona.pop("ssin", SSIN)},
        "dimonaIn": {
            "startingDate": str(TODAY + timedelta(days=7)),
            "dimonaFeatures": {"jointCommissionNumber": committee, "workerType": worker_type},
            **dimona,
        },
    }
    return Declaration.model_validate(body)


def period(**overrides: Any) -> Period:
    values: dict[str, Any] = {
        "period_id": 100_000_000_001,
        "employer": ENTERPRISE,
        "ssin": SSIN,
        "starting_date": TODAY,
        "ending_date": None,
        "worker_type": "OTH",
        "joint_commission_number": "200",
        "planned_hours_number": None,
    }
    return Period(**(values | overrides))


def test_an_ordinary_worker_in_a_known_committee_is_accepted() -> None:
    assert check(dimona_in(), [], TODAY) == []
    assert result_of([]) == "A"


def test_a_student_needs_an_end_date_and_planned_hours() -> None:
    found = check(dimona_in("STU"), [], TODAY)
    assert a.END_MISSING in found and a.HOURS_MISSING in found and result_of(found) == "B"
    assert check(dimona_in("STU", endingDate=str(TODAY + timedelta(days=30)), plannedHoursNumber=80), [], TODAY) == []


def test_a_student_s_hours_count_against_650_a_year() -> None:
    earlier = period(worker_type="STU", planned_hours_number=600, ending_date=TODAY, employer="0999999999")
    later = dimona_in("STU", endingDate=str(TODAY + timedelta(days=20)), plannedHoursNumber=60)
    assert check(later, [earlier], TODAY) == [a.HOURS_OUT_OF_RANGE]


def test_the_committee_and_the_worker_type_must_agree() -> None:
    assert check(dimona_in("OTH", "302"), [], TODAY) == [a.JOINT_COMMITTEE_MUST_BE_XXX]
    assert check(dimona_in("OTH", "XXX"), [], TODAY) == []
    end = str(TODAY + timedelta(days=30))
    assert check(dimona_in("EXT", "200", endingDate=end, plannedHoursNumber=8), [], TODAY) == [
        a.WORKER_TYPE_NOT_IN_COMMITTEE
    ]
    assert check(dimona_in("EXT", "302", endingDate=end, plannedHoursNumber=8), [], TODAY) == []
    assert check(dimona_in("FLX", "124", endingDate=end), [], TODAY) == [a.WORKER_TYPE_NOT_IN_COMMITTEE]
    assert check(dimona_in("OTH", "999"), [], TODAY) == [a.JOINT_COMMITTEE_UNKNOWN]
    assert check(dimona_in("ZZZ"), [], TODAY) == [a.WORKER_TYPE_UNKNOWN]


def test_a_bad_ssin_or_enterprise_number_is_blocking() -> None:
    assert check(dimona_in(ssin="85073003329"), [], TODAY) == [a.SSIN_INVALID]
    bis = "85273003327"  # a BIS number (month + 20) with its own check digits
    assert a.SSIN_INVALID not in check(dimona_in(ssin=_with_check_digits(bis[:9])), [], TODAY)


def _with_check_digits(base: str) -> str:
    return base + f"{97 - int(base) % 97:02d}"


def test_dates_late_old_far_and_overlapping() -> None:
    assert check(dimona_in(startingDate=str(TODAY - timedelta(days=3))), [], TODAY) == [a.LATE_DECLARATION]
    assert result_of([a.LATE_DECLARATION]) == "W"  # accepted, with a warning
    assert check(dimona_in(startingDate=str(TODAY - timedelta(days=400))), [], TODAY) == [a.START_TOO_OLD]
    assert check(dimona_in(startingDate=str(TODAY + timedelta(days=400))), [], TODAY) == [a.START_TOO_FAR]
    assert check(dimona_in(endingDate=str(TODAY)), [], TODAY) == [a.END_BEFORE_START]
    assert check(dimona_in(), [period()], TODAY) == [a.PERIOD_OVERLAP]
    assert check(dimona_in(), [period(cancelled=True)], TODAY) == []
    assert check(dimona_in(), [period(ending_date=TODAY + timedelta(days=6))], TODAY) == []


def test_out_update_and_cancel_need_a_live_period_of_the_employer() -> None:
    def change(kind: str, **values: Any) -> Declaration:
        return Declaration.model_validate(
            {"employer": {"enterpriseNumber": ENTERPRISE}, kind: {"dimonaNumber": 100_000_000_001, **values}}
        )

    assert check(change("dimonaCancel"), [], TODAY) == [a.PERIOD_UNKNOWN]
    assert check(change("dimonaCancel"), [period(employer="0999999999")], TODAY) == [a.PERIOD_UNKNOWN]
    assert check(change("dimonaCancel"), [period(cancelled=True)], TODAY) == [a.PERIOD_CANCELLED]
    assert check(change("dimonaOut", endingDate=str(TODAY - timedelta(days=1))), [period()], TODAY) == [
        a.END_BEFORE_START
    ]
    assert check(change("dimonaOut", endingDate=str(TODAY + timedelta(days=9))), [period()], TODAY) == []
    update = change("dimonaUpdate", startingDate=str(TODAY + timedelta(days=2)))
    assert check(update, [period()], TODAY) == []
