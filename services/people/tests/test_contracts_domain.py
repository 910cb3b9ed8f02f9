"""Contract rules on plain objects: terms, versions, early end, cancel, overlap."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from ruche_people.domain import contracts as c
from ruche_people.domain import joint_committees
from ruche_people.domain.errors import ContractNotChangeable, InvalidContract, OverlappingContract

TODAY = date(2026, 3, 2)  # a Monday
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
BIRTH = date(1990, 5, 17)


def terms(**overrides: Any) -> c.Terms:
    values: dict[str, Any] = {
        "payroll_provider": "ruche",
        "start_date": TODAY + timedelta(days=7),
        "contract_type": "open_ended",
        "weekly_hours": Decimal(38),
        "schedule": {d: Decimal("7.6") for d in ("mon", "tue", "wed", "thu", "fri")},
        "gross_monthly_salary": Decimal(3150),
        "joint_committee": "200",
        "worker_type": "OTH",
        "job_title": "Vendeuse",
    }
    return c.terms_of(values | overrides)


def refused_field(t: c.Terms) -> str | None:
    with pytest.raises(InvalidContract) as refused:
        c.check_terms(t, birth_date=BIRTH, today=TODAY)
    return refused.value.field


def signed(t: c.Terms | None = None) -> c.Contract:
    return c.sign(
        "k1",
        tenant="0403170701",
        worker_id="w1",
        terms=t or terms(),
        birth_date=BIRTH,
        ready=True,
        today=TODAY,
        now=NOW,
    )


def test_a_complete_contract_passes_and_gives_minutes_by_weekday() -> None:
    t = terms()
    c.check_terms(t, birth_date=BIRTH, today=TODAY)
    assert t.minutes_by_weekday == {"mon": 456, "tue": 456, "wed": 456, "thu": 456, "fri": 456, "sat": 0, "sun": 0}
    assert t.full_time_weekly_hours == 38


def test_without_schedule_the_hours_spread_monday_to_friday() -> None:
    t = terms(schedule=None, weekly_hours=Decimal(19))
    assert sum(t.schedule.values()) == 19 and t.schedule["sat"] == 0 and t.schedule["fri"] == Decimal("3.80")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contract_type": "fixed_term"}, "end_date"),
        ({"contract_type": "replacement"}, "end_date"),
        ({"worker_type": "IVT"}, "end_date"),
        ({"end_date": TODAY}, "end_date"),
        ({"start_date": date(1899, 12, 31)}, "start_date"),
        ({"end_date": date(9999, 1, 1)}, "end_date"),
        ({"start_date": TODAY + timedelta(days=367)}, "start_date"),
        ({"start_date": date(1989, 1, 2)}, "start_date"),
        ({"weekly_hours": Decimal(0), "schedule": {}}, "weekly_hours"),
        ({"weekly_hours": Decimal(51)}, "weekly_hours"),
        ({"full_time_weekly_hours": Decimal(30)}, "full_time_weekly_hours"),
        ({"schedule": {"mon": Decimal(8)}}, "schedule"),
        ({"schedule": {"mon": Decimal(25), "tue": Decimal(13)}}, "schedule.mon"),
        ({"gross_monthly_salary": Decimal(0)}, "gross_monthly_salary"),
        ({"gross_monthly_salary": Decimal(2_000_000)}, "gross_monthly_salary"),
        ({"hourly_wage": Decimal(14)}, "gross_monthly_salary"),
        ({"gross_monthly_salary": None, "hourly_wage": Decimal(-1)}, "hourly_wage"),
        ({"joint_committee": "999"}, "joint_committee"),
        ({"joint_committee": "XXX"}, "joint_committee"),
        ({"worker_type": "ZZZ"}, "worker_type"),
        ({"worker_type": "STU"}, "worker_type"),
        ({"contract_type": "student", "end_date": TODAY + timedelta(days=30)}, "worker_type"),
        (
            {
                "contract_type": "flexi",
                "worker_type": "FLX",
                "end_date": TODAY + timedelta(days=30),
                "joint_committee": "124",
            },
            "worker_type",
        ),
        ({"contract_type": "occasional", "worker_type": "EXT", "end_date": TODAY + timedelta(days=9)}, "worker_type"),
    ],
)
def test_each_broken_rule_names_its_field(overrides: dict[str, Any], field: str) -> None:
    assert refused_field(terms(**overrides)) == field


def test_sector_coherence_accepts_what_dimona_accepts() -> None:
    end = TODAY + timedelta(days=30)
    for ok in (
        terms(contract_type="student", worker_type="STU", end_date=end),
        terms(contract_type="flexi", worker_type="FLX", end_date=end, joint_committee="302"),
        terms(contract_type="occasional", worker_type="EXT", end_date=end, joint_committee="145"),
        terms(joint_committee="302"),
    ):
        c.check_terms(ok, birth_date=BIRTH, today=TODAY)
    assert joint_committees.exists("341") and not joint_committees.exists("XXX")
    assert ("302", "Joint committee for the hotel and catering industry") in joint_committees.search("hotel", "en")
    assert [n for n, _ in joint_committees.search("horeca", "en")] == []
    assert [n for n, _ in joint_committees.search("hôtel", "fr")] == ["302"]


def test_planned_hours_count_the_schedule_over_the_period() -> None:
    t = terms()
    monday = TODAY
    assert t.planned_hours(monday, monday + timedelta(days=6)) == 38
    assert t.planned_hours(monday, monday + timedelta(days=15)) == 92  # two weeks and a Monday and Tuesday: 91.2
    assert t.planned_hours(monday + timedelta(days=5), monday + timedelta(days=6)) == 0  # a weekend
    assert t.planned_hours(monday, None) is None


def test_amendments_keep_versions_readable_on_a_date() -> None:
    contract = signed()
    start = contract.start_date
    part_time = terms(weekly_hours=Decimal(19), schedule={"mon": Decimal("9.5"), "tue": Decimal("9.5")})
    amended = c.amend(
        contract, part_time, effective_date=start + timedelta(days=28), birth_date=BIRTH, today=TODAY, now=NOW
    )
    assert [v.version for v in amended.versions] == [1, 2]
    assert amended.terms_on(start + timedelta(days=27)).terms.weekly_hours == 38  # type: ignore[union-attr]
    assert amended.terms_on(start + timedelta(days=28)).terms.weekly_hours == 19  # type: ignore[union-attr]
    assert amended.terms_on(start - timedelta(days=1)) is None
    with pytest.raises(InvalidContract) as early:
        c.amend(contract, part_time, effective_date=start - timedelta(days=1), birth_date=BIRTH, today=TODAY, now=NOW)
    assert early.value.field == "effective_date"
    with pytest.raises(InvalidContract) as provider:
        c.amend(contract, terms(payroll_provider="other"), effective_date=start, birth_date=BIRTH, today=TODAY, now=NOW)
    assert provider.value.field == "payroll_provider"


def test_end_early_and_cancel_before_the_start() -> None:
    contract = signed()
    start = contract.start_date
    assert contract.status(TODAY) == "future" and contract.status(start) == "active"
    ended = c.end(contract, end_date=start + timedelta(days=30), reason="trial", now=NOW)
    assert ended.end_date == start + timedelta(days=30) and ended.status(start + timedelta(days=31)) == "ended"
    assert ended.wanted().ended
    with pytest.raises(ContractNotChangeable):
        c.end(ended, end_date=start + timedelta(days=20), reason="again", now=NOW)
    with pytest.raises(InvalidContract):
        c.end(contract, end_date=start - timedelta(days=1), reason="x", now=NOW)
    cancelled = c.cancel(contract, reason="withdrew", today=TODAY, now=NOW)
    assert cancelled.status(TODAY) == "cancelled" and cancelled.wanted().cancelled
    with pytest.raises(ContractNotChangeable):
        c.cancel(contract, reason=None, today=start, now=NOW)


def test_the_ledger_refuses_overlaps_and_forgets_stale_claims() -> None:
    a = c.Period("a", date(2026, 1, 1), date(2026, 3, 31))
    b = c.Period("b", date(2026, 6, 1), None)
    ledger = c.claim([a], b)
    assert [p.contract_id for p in ledger] == ["a", "b"]
    with pytest.raises(OverlappingContract) as clash:
        c.claim(ledger, c.Period("x", date(2026, 3, 1), date(2026, 4, 30)))
    assert clash.value.field == "start_date"
    assert c.clashes(ledger, c.Period("x", date(2025, 12, 1), date(2026, 1, 5))) == ["a"]
    assert [p.contract_id for p in c.claim(ledger, c.Period("x", date(2026, 3, 1), None), stale=["a", "b"])] == ["x"]
    cancelled = c.Period("a", date(2026, 1, 1), date(2026, 3, 31), cancelled=True)
    assert len(c.claim([cancelled], c.Period("y", date(2026, 2, 1), None))) == 2
