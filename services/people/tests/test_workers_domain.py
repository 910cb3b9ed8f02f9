"""Workers' rules on plain objects: effective-dated history, registration by the first complete personal data,
field origins, the list status from contract periods, and the onboarding link's states."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from ruche_people.domain import onboarding
from ruche_people.domain.errors import (
    NotRegistered,
    OnboardingLinkExpired,
    OnboardingLinkUsed,
    OnboardingNotAllowed,
    OnboardingNotSubmitted,
)
from ruche_people.domain.history import History
from ruche_people.domain.personal_data import Address, complete
from ruche_people.domain.workers import Period, Worker, fill, move, new_worker, search_key, status_on

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)
HOME = Address("Rue de Fer", "12", "5000", "Namur", "BE")
DATA = complete(
    {
        "nationality": "BE",
        "niss": "94051721028",
        "birth_date": date(1994, 5, 17),
        "birth_place": "Namur",
        "sex": "F",
        "civil_status": "single",
        "language": "fr",
        "private_email": "lotte@example.org",
        "mobile_phone": "+32470123456",
        "iban": "BE71096123456769",
        "address": HOME,
    },
    today=TODAY,
)


def worker() -> Worker:
    return new_worker(
        worker_id="w1", tenant="t1", first_name=" Lotte ", last_name="Maes", work_email="lotte@example.be", now=NOW
    )


def test_a_history_answers_what_was_true_on_a_day() -> None:
    history = History[str]().with_value(date(2024, 1, 1), "A").with_value(date(2025, 1, 1), "B")

    assert history.on(date(2023, 12, 31)) is None
    assert history.on(date(2024, 6, 1)) == "A"
    assert history.on(date(2025, 1, 1)) == "B"
    assert history.with_value(date(2024, 1, 1), "A2").on(date(2024, 6, 1)) == "A2"  # a correction replaces
    assert len(history.with_value(date(2024, 1, 1), "A2").entries) == 2


def test_the_first_complete_data_register_the_worker_and_later_ones_only_change_it() -> None:
    first = fill(worker(), DATA, origins={}, today=TODAY)
    second = fill(first.worker, replace(DATA, birth_place="Liège"), origins={}, today=TODAY)

    assert first.registered_now and first.worker.registered
    assert first.address_from == TODAY and first.worker.addresses.on(TODAY) == HOME
    assert not second.registered_now
    assert second.changed == {"birth_place": "Liège"} and second.address_from is None


def test_each_field_keeps_the_origin_of_whoever_last_changed_it() -> None:
    from_new_hire = fill(worker(), DATA, origins=dict.fromkeys(DATA.as_fields(), "new_hire"), today=TODAY).worker
    corrected = fill(from_new_hire, replace(DATA, iban="BE68539007547034"), origins={}, today=TODAY).worker

    assert corrected.origins["iban"] == "hr"
    assert corrected.origins["niss"] == "new_hire"


def test_a_future_address_counts_from_its_date() -> None:
    registered = fill(worker(), DATA, origins={}, today=TODAY).worker
    antwerp = Address("Meir", "1", "2000", "Antwerpen", "BE")

    moved = move(registered, antwerp, effective_date=date(2026, 6, 1), today=TODAY)

    assert moved.personal_data is not None and moved.personal_data.address == HOME
    assert moved.personal_data_on(date(2026, 6, 1)).address == antwerp  # type: ignore[union-attr]
    with pytest.raises(NotRegistered):
        move(worker(), antwerp, effective_date=TODAY, today=TODAY)


def test_names_are_searched_without_case_or_accents() -> None:
    assert search_key("  Élodie   Van der Heyden ") == "elodie van der heyden"
    assert worker().first_name == "Lotte"


@pytest.mark.parametrize(
    ("periods", "expected"),
    [
        ([], None),
        ([Period(date(2026, 4, 1), None)], "future"),
        ([Period(date(2025, 1, 1), None)], "in_service"),
        ([Period(date(2025, 1, 1), date(2026, 3, 2))], "in_service"),
        ([Period(date(2025, 1, 1), date(2026, 3, 1))], "left"),
        ([Period(date(2025, 1, 1), date(2026, 3, 1)), Period(date(2026, 5, 1), None)], "future"),
        ([Period(date(2026, 1, 1), None, cancelled=True)], None),
    ],
)
def test_the_list_status_on_a_day(periods: list[Period], expected: str | None) -> None:
    assert status_on(periods, TODAY) == expected


def test_a_link_works_until_it_expires_is_replaced_or_is_submitted() -> None:
    sent = onboarding.send(None, email="e@example.org", language="fr", link="L1", now=NOW)

    assert onboarding.opened(sent, link="L1", now=NOW + timedelta(days=13)) == sent
    with pytest.raises(OnboardingLinkExpired):
        onboarding.opened(sent, link="L1", now=NOW + timedelta(days=14))
    with pytest.raises(OnboardingLinkUsed):
        onboarding.opened(sent, link="L0", now=NOW)
    draft = onboarding.save_draft(sent, {**DATA.as_fields(), "address": HOME}, today=TODAY)
    submitted, data = onboarding.submit(draft, now=NOW, today=TODAY)
    assert data == DATA
    with pytest.raises(OnboardingLinkUsed):
        onboarding.opened(submitted, link="L1", now=NOW)


def test_hr_validates_a_submitted_form_only_and_corrections_are_hrs() -> None:
    sent = onboarding.send(None, email="e@example.org", language="nl", link="L1", now=NOW)
    with pytest.raises(OnboardingNotSubmitted):
        onboarding.validate(sent, {}, actor="hr", now=NOW, today=TODAY)
    submitted, _ = onboarding.submit(onboarding.save_draft(sent, DATA.as_fields(), today=TODAY), now=NOW, today=TODAY)

    validated, data = onboarding.validate(
        submitted, {"birth_place": "Liège", "niss": DATA.niss}, actor="hr", now=NOW, today=TODAY
    )

    assert data.birth_place == "Liège" and validated.corrected == ("birth_place",)
    assert (validated.origin("birth_place"), validated.origin("niss")) == ("hr", "new_hire")
    with pytest.raises(OnboardingNotAllowed):
        onboarding.withdraw(validated)
    with pytest.raises(OnboardingNotAllowed):
        onboarding.send(validated, email="e@example.org", language="nl", link="L2", now=NOW)
