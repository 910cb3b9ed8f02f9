"""Workers' use cases on a scratch database: each change is stored with its events, the NISS is unique per
employer once registered, history answers "what was true on date D", and the list finds and pages."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest
from ruche_contracts.people import AddressChanged, PersonalDataChanged, WorkerAdded, WorkerRegistered
from ruche_people.domain.errors import (
    InvalidPersonalData,
    InvalidWorker,
    NoHistoryOnDate,
    NotRegistered,
    WorkerAlreadyRegistered,
    WorkerNotFound,
)
from ruche_people.use_cases import workers
from ruche_testing import pending_events, random_enterprise_number

PersonalDataFactory = Callable[..., dict[str, Any]]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


async def added(db: Any, tenant: str, *, first_name: str = "Lotte", last_name: str = "Maes") -> str:
    worker_id = str(uuid.uuid4())
    await workers.add_worker(
        db,
        tenant=tenant,
        worker_id=worker_id,
        first_name=first_name,
        last_name=last_name,
        work_email=f"{first_name.lower()}@example.be",
        now=NOW,
    )
    return worker_id


def event_types(events: list[Any]) -> list[type[Any]]:
    return [type(e.data) for e in events]


async def test_a_worker_added_in_step_one_is_not_registered_and_says_so_on_the_workers_topic(db: Any) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)

    worker = await workers.get_worker(db, tenant=tenant, worker_id=worker_id)

    assert (worker.first_name, worker.registered, worker.personal_data) == ("Lotte", False, None)
    [event] = await pending_events(db, "workers", worker_id)
    assert isinstance(event.data, WorkerAdded) and event.data.work_email == "lotte@example.be"


async def test_step_one_refuses_a_blank_name_naming_the_field(db: Any) -> None:
    with pytest.raises(InvalidWorker) as refused:
        await workers.add_worker(
            db, tenant="t", worker_id="w", first_name=" ", last_name="Maes", work_email="a@example.be", now=NOW
        )
    assert refused.value.field == "first_name"


async def test_hr_filling_in_the_personal_data_registers_the_worker_once(
    db: Any, personal_data: PersonalDataFactory
) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)
    values = personal_data()

    worker = await workers.fill_personal_data(
        db, tenant=tenant, worker_id=worker_id, data=values, actor="hr-1", now=NOW
    )
    again = await workers.fill_personal_data(
        db,
        tenant=tenant,
        worker_id=worker_id,
        data=values | {"civil_status": "married", "civil_status_date": "2025-06-21"},
        actor="hr-1",
        now=NOW,
    )

    assert worker.registered and worker.personal_data is not None
    assert worker.personal_data.mobile_phone == "+32470123456"
    assert worker.personal_data.iban == "BE71096123456769"
    assert again.personal_data is not None and again.personal_data.civil_status == "married"
    events = await pending_events(db, "workers", worker_id)
    assert event_types(events) == [
        WorkerAdded,
        WorkerRegistered,
        PersonalDataChanged,
        AddressChanged,
        PersonalDataChanged,
    ]
    registered = events[1].data
    assert registered.niss == values["niss"] and registered.birth_date == date(1994, 5, 17)
    assert events[4].data.changes == {"civil_status": "married", "civil_status_date": "2025-06-21"}
    assert {e.type for e in events[2:4]} <= {
        "be.ruche.people.personal-data-changed.v1",
        "be.ruche.people.address-changed.v1",
    }


async def test_personal_data_go_on_their_own_topic(db: Any, personal_data: PersonalDataFactory) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)
    await workers.fill_personal_data(db, tenant=tenant, worker_id=worker_id, data=personal_data(), actor="hr", now=NOW)

    doc = await db["workers"].find_one({"_id": worker_id})

    topics = {e["topic"]: [] for e in doc["_outbox"]}
    for entry in doc["_outbox"]:
        topics[entry["topic"]].append(entry["event"])
    assert all("iban" not in event and "Rue de Fer" not in event for event in topics["people.workers.v1"])
    assert any("Rue de Fer" in event for event in topics["people.personal-data.v1"])


async def test_a_second_worker_with_the_same_niss_is_refused_within_an_employer_only(
    db: Any, personal_data: PersonalDataFactory
) -> None:
    tenant, other_tenant = random_enterprise_number(), random_enterprise_number()
    values = personal_data()
    first, second, elsewhere = await added(db, tenant), await added(db, tenant), await added(db, other_tenant)
    await workers.fill_personal_data(db, tenant=tenant, worker_id=first, data=values, actor="hr", now=NOW)

    with pytest.raises(WorkerAlreadyRegistered) as refused:
        await workers.fill_personal_data(db, tenant=tenant, worker_id=second, data=values, actor="hr", now=NOW)
    await workers.fill_personal_data(db, tenant=other_tenant, worker_id=elsewhere, data=values, actor="hr", now=NOW)

    assert refused.value.field == "niss"
    assert not (await workers.get_worker(db, tenant=tenant, worker_id=second)).registered


async def test_unregistered_workers_do_not_collide_on_their_missing_niss(db: Any) -> None:
    tenant = random_enterprise_number()
    ids = [await added(db, tenant) for _ in range(3)]

    assert len({(await workers.get_worker(db, tenant=tenant, worker_id=i)).worker_id for i in ids}) == 3


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"iban": "BE71 0961 2345 6760"}, "iban"),
        (
            {"address": {"street": "Rue", "number": "1", "postal_code": "1001", "municipality": "X", "country": "BE"}},
            "address.postal_code",
        ),
        ({"nationality": "XX"}, "nationality"),
        ({"birth_date": "1994-05-18"}, "birth_date"),
        ({"sex": "M"}, "sex"),
        ({"mobile_phone": "12"}, "mobile_phone"),
        ({"civil_status": "married"}, "civil_status_date"),
        ({"private_email": "not-an-email"}, "private_email"),
    ],
)
async def test_bad_personal_data_are_refused_naming_the_field_and_change_nothing(
    db: Any, personal_data: PersonalDataFactory, override: dict[str, Any], field: str
) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)

    with pytest.raises(InvalidPersonalData) as refused:
        await workers.fill_personal_data(
            db, tenant=tenant, worker_id=worker_id, data=personal_data(**override), actor="hr", now=NOW
        )

    assert refused.value.field == field
    assert (await workers.get_worker(db, tenant=tenant, worker_id=worker_id)).personal_data is None


async def test_another_employers_worker_is_not_found(db: Any, personal_data: PersonalDataFactory) -> None:
    worker_id = await added(db, random_enterprise_number())

    with pytest.raises(WorkerNotFound):
        await workers.fill_personal_data(
            db, tenant=random_enterprise_number(), worker_id=worker_id, data=personal_data(), actor="hr", now=NOW
        )


async def test_the_address_on_a_date_is_the_one_in_force_that_day(db: Any, personal_data: PersonalDataFactory) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)
    await workers.fill_personal_data(db, tenant=tenant, worker_id=worker_id, data=personal_data(), actor="hr", now=NOW)
    new_home = {"street": "Meir", "number": "1", "postal_code": "2000", "municipality": "Antwerpen", "country": "BE"}

    moved = await workers.change_address(
        db, tenant=tenant, worker_id=worker_id, address=new_home, effective_date=date(2026, 6, 1), now=NOW
    )

    history = await workers.addresses(db, tenant=tenant, worker_id=worker_id)
    assert [(e.effective_date, e.value.postal_code) for e in history] == [(TODAY, "5000"), (date(2026, 6, 1), "2000")]
    [in_may] = await workers.addresses(db, tenant=tenant, worker_id=worker_id, on=date(2026, 5, 31))
    [in_june] = await workers.addresses(db, tenant=tenant, worker_id=worker_id, on=date(2026, 6, 1))
    assert (in_may.value.municipality, in_june.value.municipality) == ("Namur", "Antwerpen")
    assert moved.personal_data is not None and moved.personal_data.address.postal_code == "5000"  # not yet
    later = moved.personal_data_on(date(2026, 7, 1))
    assert later is not None and later.address.municipality == "Antwerpen"
    with pytest.raises(NoHistoryOnDate):
        await workers.addresses(db, tenant=tenant, worker_id=worker_id, on=date(2020, 1, 1))
    last = (await pending_events(db, "workers", worker_id))[-1].data
    assert isinstance(last, AddressChanged) and last.effective_date == date(2026, 6, 1)


async def test_the_civil_status_on_a_date(db: Any, personal_data: PersonalDataFactory) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)
    await workers.fill_personal_data(db, tenant=tenant, worker_id=worker_id, data=personal_data(), actor="hr", now=NOW)

    married = await workers.change_civil_status(
        db, tenant=tenant, worker_id=worker_id, civil_status="married", effective_date=date(2025, 9, 6), now=NOW
    )

    [before] = await workers.civil_statuses(db, tenant=tenant, worker_id=worker_id, on=date(2025, 9, 5))
    [after] = await workers.civil_statuses(db, tenant=tenant, worker_id=worker_id, on=date(2025, 9, 6))
    assert (before.value, after.value) == ("single", "married")
    assert married.personal_data is not None
    assert (married.personal_data.civil_status, married.personal_data.civil_status_date) == (
        "married",
        date(2025, 9, 6),
    )
    last = (await pending_events(db, "workers", worker_id))[-1].data
    assert isinstance(last, PersonalDataChanged)
    assert last.changes == {"civil_status": "married", "civil_status_date": "2025-09-06"}


async def test_an_address_change_needs_registered_personal_data(db: Any) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)
    home = {"street": "Meir", "number": "1", "postal_code": "2000", "municipality": "Antwerpen", "country": "BE"}

    with pytest.raises(NotRegistered):
        await workers.change_address(
            db, tenant=tenant, worker_id=worker_id, address=home, effective_date=TODAY, now=NOW
        )


async def test_concurrent_changes_of_one_worker_all_land(db: Any, personal_data: PersonalDataFactory) -> None:
    tenant = random_enterprise_number()
    worker_id = await added(db, tenant)
    await workers.fill_personal_data(db, tenant=tenant, worker_id=worker_id, data=personal_data(), actor="hr", now=NOW)
    home = {"street": "Meir", "number": "1", "postal_code": "2000", "municipality": "Antwerpen", "country": "BE"}

    await asyncio.gather(
        *(
            workers.change_address(
                db,
                tenant=tenant,
                worker_id=worker_id,
                address=home | {"number": str(n)},
                effective_date=date(2026, 4, n),
                now=NOW,
            )
            for n in (1, 2, 3)
        )
    )

    history = await workers.addresses(db, tenant=tenant, worker_id=worker_id)
    assert [e.value.number for e in history] == ["12", "1", "2", "3"]
    assert len([e for e in await pending_events(db, "workers", worker_id) if isinstance(e.data, AddressChanged)]) == 4
