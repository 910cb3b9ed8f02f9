from datetime import date, timedelta
from decimal import Decimal

import pytest
from ruche_contracts.identifiers import niss_birth_date, niss_sex
from ruche_people.domain import (
    Contract,
    InvalidContract,
    InvalidWorker,
    OverlappingContract,
    Worker,
    register_worker,
    sign_contract,
)

TODAY = date(2026, 1, 1)


def worker(**overrides) -> Worker:
    values = dict(
        worker_id="w",
        tenant="0403019261",
        first_name="An",
        last_name="Peeters",
        niss="85073003328",
        birth_date=date(1985, 7, 30),
        sex="M",
        nationality="BE",
        work_email="an@example.be",
    )
    return Worker(**(values | overrides))


def contract(start: date, end: date | None = None, **overrides) -> Contract:
    values = dict(
        contract_id="c",
        start_date=start,
        end_date=end,
        contract_type="indefinite",
        weekly_hours=Decimal(38),
        gross_monthly_salary=Decimal(3000),
        joint_committee="200",
        worker_type="OTH",
    )
    return Contract(**(values | overrides))


def registered(w: Worker) -> Worker:
    return register_worker(w, niss_birth_date=niss_birth_date(w.niss), niss_sex=niss_sex(w.niss))


def test_a_worker_whose_data_matches_the_niss_is_accepted() -> None:
    assert registered(worker()) == worker()


def test_a_birth_date_other_than_the_niss_one_is_refused() -> None:
    with pytest.raises(InvalidWorker) as refused:
        registered(worker(birth_date=date(1985, 7, 31)))
    assert refused.value.field == "birth_date"


def test_a_sex_other_than_the_niss_one_is_refused_but_x_is_accepted() -> None:
    with pytest.raises(InvalidWorker) as refused:
        registered(worker(sex="F"))
    assert refused.value.field == "sex"
    assert registered(worker(sex="X")).sex == "X"


def test_a_bis_number_with_sex_unknown_accepts_any_sex() -> None:
    # BIS with month + 20: sex unknown at assignment; 98.27.28-997.xx
    first9 = 982728997
    niss = f"{first9}{97 - first9 % 97:02d}"
    assert registered(worker(niss=niss, birth_date=date(1998, 7, 28), sex="F")).sex == "F"


def test_contracts_that_overlap_are_refused() -> None:
    w = sign_contract(worker(), contract(date(2026, 1, 1), date(2026, 6, 30)), today=TODAY)
    with pytest.raises(OverlappingContract):
        sign_contract(w, contract(date(2026, 6, 30), contract_id="c2"), today=TODAY)
    w = sign_contract(w, contract(date(2026, 7, 1), contract_id="c2"), today=TODAY)
    assert [c.contract_id for c in w.contracts] == ["c", "c2"]


def test_an_open_ended_contract_overlaps_everything_after_it() -> None:
    w = sign_contract(worker(), contract(date(2026, 1, 1)), today=TODAY)
    with pytest.raises(OverlappingContract):
        sign_contract(w, contract(date(2026, 12, 1), date(2026, 12, 31), contract_id="c2"), today=TODAY)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"end_date": date(2025, 12, 31)}, "end_date"),
        ({"worker_type": "STU", "contract_type": "student"}, "end_date"),
        ({"contract_type": "fixed_term"}, "end_date"),
        ({"weekly_hours": Decimal(0)}, "weekly_hours"),
        ({"weekly_hours": Decimal("50.5")}, "weekly_hours"),
        ({"gross_monthly_salary": Decimal(-1)}, "gross_monthly_salary"),
        ({"gross_monthly_salary": Decimal(0)}, "gross_monthly_salary"),
        ({"gross_monthly_salary": Decimal("1000000.01")}, "gross_monthly_salary"),
        ({"start_date": date(1980, 1, 1)}, "start_date"),
        ({"start_date": TODAY + timedelta(days=367)}, "start_date"),
        ({"start_date": date(9999, 1, 1)}, "start_date"),
        ({"end_date": date(2101, 1, 1)}, "end_date"),
        ({"end_date": date(9999, 12, 31)}, "end_date"),
    ],
)
def test_contract_rules_name_the_field(overrides, field) -> None:
    with pytest.raises(InvalidContract) as refused:
        sign_contract(worker(), Contract(**(contract(date(2026, 1, 1)).__dict__ | overrides)), today=TODAY)
    assert refused.value.field == field


def test_a_contract_may_start_a_year_ahead_and_end_in_2100() -> None:
    a_year_ahead = TODAY.replace(year=TODAY.year + 1)
    w = sign_contract(worker(), contract(a_year_ahead, date(2100, 12, 31)), today=TODAY)
    assert w.contracts[0].start_date == a_year_ahead


def test_a_student_contract_with_an_end_date_is_accepted() -> None:
    w = sign_contract(
        worker(),
        contract(date(2026, 7, 1), date(2026, 8, 31), worker_type="STU", contract_type="student"),
        today=TODAY,
    )
    assert w.contracts[0].worker_type == "STU"
