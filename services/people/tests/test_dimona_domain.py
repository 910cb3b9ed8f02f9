"""The Dimona state machine on plain objects: which declaration a contract calls for, the body ONSS takes, and
what each answer does."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from ruche_people.domain import dimona as d

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
TODAY = date(2026, 3, 2)
START = date(2026, 3, 9)
WANTED = d.Wanted(START, None)
REFUSAL = d.Anomaly("00040-001", "blocking", {"fr": "La date de fin…", "nl": "De einddatum…", "en": "The end…"})


def sent(dimona: d.Dimona, kind: d.Kind, wanted: d.Wanted = WANTED, today: date = TODAY) -> d.Dimona:
    return d.record_sent(dimona, kind, declaration_id="7001", body={}, wanted=wanted, today=today, now=NOW)


def accepted_in() -> d.Dimona:
    dimona = sent(d.Dimona.initial(declares=True, ready=True), "IN")
    return d.record_answer(dimona, result="A", anomalies=[], period_id="100000000001", now=NOW)


def test_an_in_leaves_when_ready_and_never_for_another_provider() -> None:
    assert d.Dimona.initial(declares=False, ready=True).state == "not_applicable"
    assert d.next_declaration(d.Dimona.initial(declares=False, ready=True), WANTED, ready=True) is None
    waiting = d.Dimona.initial(declares=True, ready=False)
    assert waiting.state == "waiting_for_data" and d.next_declaration(waiting, WANTED, ready=False) is None
    assert waiting.ready(True).state == "to_declare"
    assert d.next_declaration(waiting, WANTED, ready=True) == "IN"
    assert d.next_declaration(waiting, d.Wanted(START, None, cancelled=True), ready=True) is None


def test_nothing_leaves_while_a_declaration_is_in_flight() -> None:
    dimona = sent(d.Dimona.initial(declares=True, ready=True), "IN")
    assert dimona.state == "sent" and dimona.in_flight is not None
    assert d.next_declaration(dimona, d.Wanted(START, START + timedelta(days=9)), ready=True) is None


def test_accepted_in_then_update_out_and_cancel_follow_the_contract() -> None:
    dimona = accepted_in()
    assert dimona.state == "accepted" and dimona.period_id == "100000000001"
    assert d.next_declaration(dimona, WANTED, ready=True) is None
    assert d.next_declaration(dimona, d.Wanted(START, START + timedelta(days=90)), ready=True) == "UPDATE"
    assert d.next_declaration(dimona, d.Wanted(START, START + timedelta(days=9), ended=True), ready=True) == "OUT"
    assert d.next_declaration(dimona, d.Wanted(START, None, cancelled=True), ready=True) == "CANCEL"
    out = d.Wanted(START, START + timedelta(days=9), ended=True)
    ended = d.record_answer(sent(dimona, "OUT", out), result="A", anomalies=[], period_id=None, now=NOW)
    assert ended.declared == d.Declared(START, START + timedelta(days=9))
    assert d.next_declaration(ended, out, ready=True) is None
    cancelled = d.record_answer(
        sent(dimona, "CANCEL", d.Wanted(START, None, cancelled=True)), result="A", anomalies=[], period_id=None, now=NOW
    )
    assert cancelled.declared is not None and cancelled.declared.cancelled
    assert d.next_declaration(cancelled, d.Wanted(START, None, cancelled=True), ready=True) is None


def test_a_refusal_holds_until_the_contract_changes_then_a_new_in_leaves() -> None:
    refused = d.record_answer(
        sent(d.Dimona.initial(declares=True, ready=True), "IN"),
        result="B",
        anomalies=[REFUSAL],
        period_id=None,
        now=NOW,
    )
    assert refused.state == "refused" and refused.refused_in and refused.hold
    assert refused.declarations[-1].anomalies == (REFUSAL,)
    assert d.next_declaration(refused, WANTED, ready=True) is None
    assert d.next_declaration(refused.released(), WANTED, ready=True) == "IN"


def test_waiting_for_identification_stays_in_flight_until_a() -> None:
    waiting = d.record_answer(
        sent(d.Dimona.initial(declares=True, ready=True), "IN"), result="S", anomalies=[], period_id="1", now=NOW
    )
    assert waiting.state == "waiting_for_identification" and waiting.in_flight is not None
    assert d.next_declaration(waiting, WANTED, ready=True) is None
    done = d.record_answer(waiting, result="A", anomalies=[], period_id="1", now=NOW)
    assert done.state == "accepted" and done.in_flight is None and done.declared == d.Declared(START, None)


def test_a_late_in_is_flagged() -> None:
    late = sent(d.Dimona.initial(declares=True, ready=True), "IN", today=START + timedelta(days=1))
    assert late.declarations[-1].late
    assert not sent(d.Dimona.initial(declares=True, ready=True), "IN").declarations[-1].late


def test_bodies_follow_the_onss_schema() -> None:
    student = d.declaration_body(
        "IN",
        employer="0403170701",
        niss="85073003328",
        wanted=d.Wanted(START, START + timedelta(days=27)),
        period_id=None,
        joint_committee="200",
        worker_type="STU",
        planned_hours=152,
    )
    assert student == {
        "employer": {"enterpriseNumber": "0403170701"},
        "worker": {"ssin": "85073003328"},
        "dimonaIn": {
            "startingDate": "2026-03-09",
            "endingDate": "2026-04-05",
            "plannedHoursNumber": 152,
            "dimonaFeatures": {"jointCommissionNumber": "200", "workerType": "STU"},
        },
    }
    horeca = d.declaration_body(
        "IN",
        employer="0403170701",
        niss="85073003328",
        wanted=WANTED,
        period_id=None,
        joint_committee="302",
        worker_type="OTH",
        planned_hours=None,
    )
    assert horeca["dimonaIn"]["dimonaFeatures"] == {"jointCommissionNumber": "XXX", "workerType": "OTH"}
    assert "endingDate" not in horeca["dimonaIn"] and "plannedHoursNumber" not in horeca["dimonaIn"]
    common = {
        "employer": "0403170701",
        "niss": None,
        "joint_committee": "200",
        "worker_type": "OTH",
        "planned_hours": None,
        "period_id": "100000000001",
    }
    ended = d.Wanted(START, START + timedelta(days=9), ended=True)
    assert d.declaration_body("OUT", wanted=ended, **common)["dimonaOut"] == {
        "dimonaNumber": 100000000001,
        "endingDate": "2026-03-18",
    }
    assert d.declaration_body("CANCEL", wanted=WANTED, **common)["dimonaCancel"] == {"dimonaNumber": 100000000001}
    assert d.declaration_body("UPDATE", wanted=WANTED, **common)["dimonaUpdate"] == {
        "dimonaNumber": 100000000001,
        "startingDate": "2026-03-09",
    }
