"""Self-service onboarding on a scratch database: the mailed single-use link, the new hire's draft and submission,
HR's review, corrections and validation, and links that are unknown, expired, replaced, used or withdrawn."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ruche_contracts.people import OnboardingSubmitted, OnboardingValidated, WorkerAdded, WorkerRegistered
from ruche_people.domain.errors import (
    InvalidPersonalData,
    OnboardingLinkExpired,
    OnboardingLinkUnknown,
    OnboardingLinkUsed,
    OnboardingNotAllowed,
    OnboardingNotSubmitted,
)
from ruche_people.use_cases import onboarding, workers
from ruche_testing import pending_events, pending_mails, random_enterprise_number

PersonalDataFactory = Callable[..., dict[str, Any]]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def new_hire(db: Any) -> tuple[str, str]:
    tenant, worker_id = random_enterprise_number(), str(uuid.uuid4())
    await workers.add_worker(
        db,
        tenant=tenant,
        worker_id=worker_id,
        first_name="Élodie",
        last_name="Dubois",
        work_email="elodie@example.be",
        now=NOW,
    )
    return tenant, worker_id


async def link_sent(db: Any, language: str = "fr") -> tuple[str, str, str]:
    tenant, worker_id = await new_hire(db)
    sent = await onboarding.send_link(
        db,
        tenant=tenant,
        worker_id=worker_id,
        email="elodie@example.org",
        language=language,
        now=NOW,  # type: ignore[arg-type]
    )
    return tenant, worker_id, sent.token


async def test_the_link_is_mailed_in_the_new_hires_language_and_only_its_digest_is_stored(db: Any) -> None:
    tenant, worker_id, token = await link_sent(db, "nl")

    [mail] = await pending_mails(db, "workers", worker_id)
    assert mail["to"] == "elodie@example.org"
    assert "Beste Élodie" in mail["body"] and "vervalt op 16/03/2026" in mail["body"]
    assert re.search(r"\{site\}/onboarding/([\w-]+)", mail["body"])[1] == token  # type: ignore[index]
    review = await onboarding.review(db, tenant=tenant, worker_id=worker_id)
    assert (review.state, review.expires_at) == ("sent", NOW + timedelta(days=14))
    stored = str(await db["workers"].find_one({"_id": worker_id}, {"_outbox": 0}))
    stored += str(await db["onboarding_links"].find({}).to_list())
    assert token not in stored


async def test_the_new_hire_saves_a_draft_then_submits_and_hr_validates_with_a_correction(
    db: Any, personal_data: PersonalDataFactory
) -> None:
    tenant, worker_id, token = await link_sent(db)
    values = personal_data()
    first_half = {name: values[name] for name in ("niss", "birth_date", "sex", "iban")}

    form = await onboarding.save_draft(db, token=token, values=first_half, now=NOW)
    with pytest.raises(InvalidPersonalData) as incomplete:
        await onboarding.submit(db, token=token, now=NOW)
    await onboarding.save_draft(db, token=token, values=values, now=NOW)
    submitted = await onboarding.submit(db, token=token, now=NOW)
    worker = await onboarding.validate(
        db, tenant=tenant, worker_id=worker_id, corrections={"birth_place": "Liège"}, actor="hr-1", now=NOW
    )

    assert form.first_name == "Élodie" and form.onboarding.state == "draft"
    assert form.onboarding.draft["iban"] == "BE71096123456769"
    assert incomplete.value.field == "nationality"
    assert submitted.onboarding.state == "submitted"
    assert worker.registered and worker.personal_data is not None
    assert worker.personal_data.birth_place == "Liège"
    assert (worker.origins["birth_place"], worker.origins["niss"]) == ("hr", "new_hire")
    events = [e.data for e in await pending_events(db, "workers", worker_id)]
    kinds = [type(e) for e in events]
    assert kinds[:2] == [WorkerAdded, OnboardingSubmitted] and kinds[-1] == OnboardingValidated
    assert WorkerRegistered in kinds
    assert events[-1].corrected_fields == ["birth_place"] and events[-1].validated_by == "hr-1"
    review = await onboarding.review(db, tenant=tenant, worker_id=worker_id)
    assert review.state == "validated" and review.origin("birth_place") == "hr"


async def test_a_draft_field_is_checked_on_its_own(db: Any) -> None:
    _, _, token = await link_sent(db)

    with pytest.raises(InvalidPersonalData) as refused:
        await onboarding.save_draft(db, token=token, values={"iban": "BE00 0000 0000 0000"}, now=NOW)

    assert refused.value.field == "iban"
    assert (await onboarding.open_form(db, token=token, now=NOW)).onboarding.draft == {}


async def test_a_submitted_link_is_used(db: Any, personal_data: PersonalDataFactory) -> None:
    _, _, token = await link_sent(db)
    await onboarding.save_draft(db, token=token, values=personal_data(), now=NOW)
    await onboarding.submit(db, token=token, now=NOW)

    with pytest.raises(OnboardingLinkUsed):
        await onboarding.open_form(db, token=token, now=NOW)
    with pytest.raises(OnboardingLinkUsed):
        await onboarding.save_draft(db, token=token, values={"birth_place": "Mons"}, now=NOW)


async def test_a_link_expires_after_fourteen_days(db: Any) -> None:
    _, _, token = await link_sent(db)

    await onboarding.open_form(db, token=token, now=NOW + timedelta(days=13, hours=23))
    with pytest.raises(OnboardingLinkExpired):
        await onboarding.open_form(db, token=token, now=NOW + timedelta(days=14))


async def test_an_unknown_link_says_so(db: Any) -> None:
    with pytest.raises(OnboardingLinkUnknown):
        await onboarding.open_form(db, token="no-such-token", now=NOW)


async def test_a_new_link_replaces_the_previous_one_and_keeps_the_draft(db: Any) -> None:
    tenant, worker_id, first = await link_sent(db)
    await onboarding.save_draft(db, token=first, values={"birth_place": "Mons"}, now=NOW)

    second = await onboarding.send_link(
        db, tenant=tenant, worker_id=worker_id, email="elodie@example.org", language="en", now=NOW
    )

    with pytest.raises(OnboardingLinkUsed):
        await onboarding.open_form(db, token=first, now=NOW)
    form = await onboarding.open_form(db, token=second.token, now=NOW)
    assert form.onboarding.draft == {"birth_place": "Mons"}
    assert len(await pending_mails(db, "workers", worker_id)) == 2


async def test_a_withdrawn_link_is_used(db: Any) -> None:
    tenant, worker_id, token = await link_sent(db)

    withdrawn = await onboarding.withdraw(db, tenant=tenant, worker_id=worker_id)

    assert withdrawn.state == "withdrawn"
    with pytest.raises(OnboardingLinkUsed):
        await onboarding.open_form(db, token=token, now=NOW)


async def test_hr_validates_only_a_submitted_form(db: Any) -> None:
    tenant, worker_id, _ = await link_sent(db)

    with pytest.raises(OnboardingNotSubmitted):
        await onboarding.validate(db, tenant=tenant, worker_id=worker_id, corrections={}, actor="hr", now=NOW)


async def test_no_link_for_a_worker_whose_data_count_already(db: Any, personal_data: PersonalDataFactory) -> None:
    tenant, worker_id = await new_hire(db)
    await workers.fill_personal_data(db, tenant=tenant, worker_id=worker_id, data=personal_data(), actor="hr", now=NOW)

    with pytest.raises(OnboardingNotAllowed):
        await onboarding.send_link(
            db, tenant=tenant, worker_id=worker_id, email="e@example.org", language="fr", now=NOW
        )
    assert (await workers.get_worker(db, tenant=tenant, worker_id=worker_id)).onboarding is None
