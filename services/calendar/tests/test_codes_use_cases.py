"""Calendar codes under an employer's settings, against a scratch database: the defaults until the employer
changes a code, each change stored with CodeSettingsChanged pending in the same document, a change that changes
nothing neither written nor raised, and one employer's settings never another's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from ruche_calendar import use_cases
from ruche_calendar.domain.codes import CodeSettings, InactiveCode, Kind, UnknownCode
from ruche_calendar.repository import code_settings
from ruche_calendar.use_cases import codes
from ruche_contracts.payroll_calendar import CodeSettingsChanged
from ruche_testing import pending_events, random_enterprise_number

DEFAULT_DAY_CODES = ["WORK", "PH", "HOL", "SICK-GS", "SICK", "BIRTH", "SMALL", "OT"]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


async def test_an_employer_starts_with_the_catalogues_defaults(db, tenant) -> None:
    active = await codes.list_codes(db, tenant=tenant)
    everything = await codes.list_codes(db, tenant=tenant, include_inactive=True)
    elements = await codes.list_codes(db, tenant=tenant, kind=Kind.SALARY_ELEMENT)

    assert [c.code.code for c in active] == [
        "WORK",
        "PH",
        "HOL",
        "SICK-GS",
        "SICK",
        "BIRTH",
        "SMALL",
        "OT",
        "BONUS",
        "5000",
    ]
    assert len(everything) == 16 and {"TRAIN", "TC", "3110"} <= {c.code.code for c in everything}
    assert [c.code.code for c in elements] == ["BONUS", "5000"]
    assert all(c.updated_at is None for c in everything)


async def test_activating_a_type_stores_it_with_the_event_pending(db, tenant) -> None:
    changed = await codes.change_code_settings(
        db, tenant=tenant, code="train", active=True, requestable=True, needs_validation=False, actor="hr-1", now=NOW
    )

    assert changed.settings == CodeSettings(active=True, requestable=True, needs_validation=False)
    again = await codes.get_code(db, tenant=tenant, code="TRAIN")
    assert (again.settings, again.updated_by, again.updated_at) == (changed.settings, "hr-1", NOW)
    assert "TRAIN" in {c.code.code for c in await codes.list_codes(db, tenant=tenant)}
    [event] = await pending_events(db, code_settings.CODE_SETTINGS, f"{tenant}:TRAIN")
    assert (event.tenant, event.subject, event.time) == (tenant, tenant, NOW)
    assert event.data == CodeSettingsChanged(
        enterprise_number=tenant, code="TRAIN", active=True, requestable=True, needs_validation=False, changed_by="hr-1"
    )


async def test_a_change_that_changes_nothing_is_neither_stored_nor_raised(db, tenant) -> None:
    same = await codes.change_code_settings(db, tenant=tenant, code="HOL", active=True, actor="hr-1", now=NOW)

    assert same.settings == CodeSettings(active=True, requestable=True, needs_validation=True)
    assert same.updated_at is None
    assert await db[code_settings.CODE_SETTINGS].find_one({"_id": f"{tenant}:HOL"}) is None


async def test_each_change_raises_its_own_event(db, tenant) -> None:
    await codes.change_code_settings(db, tenant=tenant, code="HOL", active=True, requestable=False, actor="hr-1")
    await codes.change_code_settings(db, tenant=tenant, code="HOL", active=False, actor="hr-2")

    hol = await codes.get_code(db, tenant=tenant, code="HOL")
    assert (hol.settings, hol.updated_by) == (CodeSettings(False, False, True), "hr-2")
    first, second = await pending_events(db, code_settings.CODE_SETTINGS, f"{tenant}:HOL")
    assert (first.data.requestable, first.data.active, second.data.active) == (False, True, False)
    assert "HOL" not in {c.code.code for c in await codes.list_codes(db, tenant=tenant)}


async def test_active_code_gives_the_code_or_says_why_not(db, tenant) -> None:
    await codes.change_code_settings(db, tenant=tenant, code="SICK", active=False, actor="hr-1")

    assert (await use_cases.codes.active_code(db, tenant=tenant, code="HOL")).code == "HOL"
    with pytest.raises(InactiveCode):
        await codes.active_code(db, tenant=tenant, code="SICK")
    with pytest.raises(InactiveCode):
        await codes.active_code(db, tenant=tenant, code="TC")  # inactive by default
    with pytest.raises(UnknownCode):
        await codes.active_code(db, tenant=tenant, code="NOPE")


async def test_one_employers_settings_are_not_anothers(db, tenant) -> None:
    other = random_enterprise_number()
    await codes.change_code_settings(db, tenant=tenant, code="TC", active=True, actor="hr-1")

    assert (await codes.active_code(db, tenant=tenant, code="TC")).code == "TC"
    with pytest.raises(InactiveCode):
        await codes.active_code(db, tenant=other, code="TC")
    assert "TC" not in {c.code.code for c in await codes.list_codes(db, tenant=other)}
