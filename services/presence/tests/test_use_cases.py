"""Presence's use cases against a scratch database: workplaces, registrations with their receipts and pending
events, refusals that store nothing, and what people's events teach it (once per event)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from ruche_contracts.presence import PresenceRegistered, WorkplaceDeclared
from ruche_presence import repository, use_cases
from ruche_presence.domain import (
    Address,
    AlreadyRegistered,
    Period,
    RegistrationNotFound,
    RegistrationRefused,
    UnknownWorker,
    UnknownWorkplace,
    Workplace,
    WorkplaceExists,
)
from ruche_testing import pending_events, random_enterprise_number, random_niss, unique

NOW = datetime(2026, 3, 2, 7, 30, tzinfo=UTC)  # 08:30 in Brussels, a Monday
TODAY = date(2026, 3, 2)


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


def workplace_id() -> str:
    return unique("WP").upper()[:13].ljust(13, "0")


async def declared(db, tenant: str) -> Workplace:
    workplace = Workplace(
        tenant=tenant,
        workplace_id=workplace_id(),
        name="Chantier Gare du Midi",
        address=Address(street="Avenue Fonsny 47", postal_code="1060", city="Saint-Gilles"),
    )
    return await use_cases.declare_workplace(db, workplace)


async def hired(db, tenant: str, start: date = TODAY, end: date | None = None) -> str:
    """A worker presence learnt of from people's events, in service from `start` (an accepted Dimona IN)."""
    worker_id = str(uuid.uuid4())
    await use_cases.learn_worker(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=worker_id,
        first_name="Sam",
        last_name="Janssens",
        niss=random_niss(),
    )
    await use_cases.learn_dimona(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=worker_id,
        contract_id=str(uuid.uuid4()),
        start_date=start,
        end_date=end,
        cancelled=False,
    )
    return worker_id


async def test_a_declared_workplace_is_stored_with_its_event_pending(db, tenant) -> None:
    workplace = await declared(db, tenant)

    assert await use_cases.list_workplaces(db, tenant=tenant, limit=50, offset=0) == ([workplace], 1)
    [event] = await pending_events(db, repository.WORKPLACES, f"{tenant}:{workplace.workplace_id}")
    assert event.data == WorkplaceDeclared(workplace_id=workplace.workplace_id, name=workplace.name)
    assert (event.tenant, event.subject) == (tenant, workplace.workplace_id)


async def test_a_workplace_is_declared_once_per_employer_but_employers_share_sites(db, tenant) -> None:
    workplace = await declared(db, tenant)

    with pytest.raises(WorkplaceExists):
        await use_cases.declare_workplace(db, workplace)
    other = random_enterprise_number()
    await use_cases.declare_workplace(db, Workplace(**(workplace.__dict__ | {"tenant": other})))

    assert (await use_cases.list_workplaces(db, tenant=other, limit=50, offset=0))[1] == 1
    assert (await use_cases.list_workplaces(db, tenant=tenant, limit=50, offset=0))[1] == 1


async def test_a_registration_stores_its_receipt_and_its_event(db, tenant) -> None:
    worker_id, workplace = await hired(db, tenant), await declared(db, tenant)

    registration = await use_cases.register_presence(
        db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY, now=NOW
    )

    assert registration.receipt_number.startswith("20260302") and len(registration.receipt_number) == 18
    assert registration.registered_at == NOW
    stored = await use_cases.get_registration(db, tenant=tenant, registration_id=registration.registration_id)
    assert stored == registration
    [event] = await pending_events(db, repository.REGISTRATIONS, registration.registration_id)
    assert event.data == PresenceRegistered(
        registration_id=registration.registration_id,
        receipt_number=registration.receipt_number,
        worker_id=worker_id,
        workplace_id=workplace.workplace_id,
        date=TODAY,
    )
    assert (event.tenant, event.subject) == (tenant, worker_id)


async def test_the_same_worker_workplace_and_day_register_once(db, tenant) -> None:
    worker_id, workplace = await hired(db, tenant), await declared(db, tenant)
    first = await use_cases.register_presence(
        db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY, now=NOW
    )

    with pytest.raises(AlreadyRegistered):
        await use_cases.register_presence(
            db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY, now=NOW
        )

    assert await use_cases.list_registrations(
        db, tenant=tenant, day=TODAY, worker_id=worker_id, limit=50, offset=0
    ) == ([first], 1)
    tomorrow = await use_cases.register_presence(
        db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY + timedelta(1), now=NOW
    )
    assert tomorrow.registration_id != first.registration_id


async def test_a_receipt_number_drawn_twice_is_drawn_again(db, tenant) -> None:
    workplace = await declared(db, tenant)
    taken = "20260302" + "0123456789"
    await use_cases.register_presence(
        db,
        tenant=tenant,
        worker_id=await hired(db, tenant),
        workplace_id=workplace.workplace_id,
        day=TODAY,
        now=NOW,
        new_receipt=lambda day: taken,
    )
    draws = iter([taken, "20260302" + "9876543210"])

    second = await use_cases.register_presence(
        db,
        tenant=tenant,
        worker_id=await hired(db, tenant),
        workplace_id=workplace.workplace_id,
        day=TODAY,
        now=NOW,
        new_receipt=lambda day: next(draws),
    )

    assert second.receipt_number == "20260302" + "9876543210"
    assert (await use_cases.list_registrations(db, tenant=tenant, day=TODAY, worker_id=None, limit=50, offset=0))[
        1
    ] == 2


async def test_an_unknown_worker_or_workplace_is_refused_naming_it(db, tenant) -> None:
    worker_id, workplace = await hired(db, tenant), await declared(db, tenant)
    other = random_enterprise_number()

    with pytest.raises(UnknownWorker) as unknown_worker:
        await use_cases.register_presence(
            db, tenant=tenant, worker_id="nobody", workplace_id=workplace.workplace_id, day=TODAY, now=NOW
        )
    with pytest.raises(UnknownWorkplace) as unknown_workplace:
        await use_cases.register_presence(
            db, tenant=tenant, worker_id=worker_id, workplace_id=workplace_id(), day=TODAY, now=NOW
        )
    await use_cases.declare_workplace(db, Workplace(**(workplace.__dict__ | {"tenant": other})))
    with pytest.raises(UnknownWorker):  # another employer's worker, at that employer's own workplace
        await use_cases.register_presence(
            db, tenant=other, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY, now=NOW
        )

    assert (unknown_worker.value.field, unknown_workplace.value.field) == ("worker_id", "workplace_id")
    assert unknown_worker.value.kind != unknown_workplace.value.kind
    assert (await use_cases.list_registrations(db, tenant=tenant, day=None, worker_id=None, limit=50, offset=0))[1] == 0


@pytest.mark.parametrize(
    ("day", "employed_from", "employed_until"),
    [
        (TODAY - timedelta(days=1), TODAY - timedelta(days=30), None),  # the day is past (in Brussels)
        (TODAY + timedelta(days=40), TODAY, TODAY + timedelta(days=30)),  # after the contract ended
        (TODAY, TODAY + timedelta(days=1), None),  # before it starts
    ],
)
async def test_a_day_outside_the_rules_is_refused_and_nothing_stored(
    db, tenant, day, employed_from, employed_until
) -> None:
    worker_id, workplace = await hired(db, tenant, employed_from, employed_until), await declared(db, tenant)

    with pytest.raises(RegistrationRefused) as refused:
        await use_cases.register_presence(
            db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=day, now=NOW
        )

    assert refused.value.field == "date"
    assert (await use_cases.list_registrations(db, tenant=tenant, day=None, worker_id=None, limit=50, offset=0))[1] == 0


async def test_today_is_the_day_in_brussels(db, tenant) -> None:
    worker_id, workplace = await hired(db, tenant, TODAY - timedelta(days=30)), await declared(db, tenant)
    late_evening_in_utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)  # already 2 March in Brussels

    with pytest.raises(RegistrationRefused):
        await use_cases.register_presence(
            db,
            tenant=tenant,
            worker_id=worker_id,
            workplace_id=workplace.workplace_id,
            day=date(2026, 3, 1),
            now=late_evening_in_utc,
        )


async def test_another_employer_cannot_read_a_registration(db, tenant) -> None:
    worker_id, workplace = await hired(db, tenant), await declared(db, tenant)
    registration = await use_cases.register_presence(
        db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY, now=NOW
    )
    other = random_enterprise_number()

    with pytest.raises(RegistrationNotFound):
        await use_cases.get_registration(db, tenant=other, registration_id=registration.registration_id)
    assert await use_cases.list_registrations(db, tenant=other, day=None, worker_id=None, limit=50, offset=0) == (
        [],
        0,
    )


async def test_people_events_are_learnt_once_and_in_any_order(db, tenant) -> None:
    worker_id, dimona_event = str(uuid.uuid4()), str(uuid.uuid4())
    for _ in range(2):  # the Dimona first (the worker's registration still on the way), delivered twice
        await use_cases.learn_dimona(
            db,
            tenant=tenant,
            event_id=dimona_event,
            worker_id=worker_id,
            contract_id="c1",
            start_date=TODAY,
            end_date=None,
            cancelled=False,
        )
    await use_cases.learn_worker(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=worker_id,
        first_name="Ine",
        last_name="Mertens",
        niss=random_niss(),
    )

    assert await repository.employment_periods(db, tenant=tenant, worker_id=worker_id) == [Period(TODAY, None)]
    assert await repository.employment_periods(db, tenant=random_enterprise_number(), worker_id=worker_id) is None


async def registered_worker(db, tenant: str) -> str:
    worker_id = str(uuid.uuid4())
    await use_cases.learn_worker(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=worker_id,
        first_name="Lotte",
        last_name="Maes",
        niss=random_niss(),
    )
    return worker_id


async def accepted(db, tenant: str, worker_id: str, contract_id: str, **declaration) -> bool:
    values = dict(start_date=TODAY, end_date=None, cancelled=False) | declaration
    return await use_cases.learn_dimona(
        db, tenant=tenant, event_id=str(uuid.uuid4()), worker_id=worker_id, contract_id=contract_id, **values
    )


async def periods(db, tenant: str, worker_id: str) -> list[Period] | None:
    return await repository.employment_periods(db, tenant=tenant, worker_id=worker_id)


async def test_a_signed_contract_of_ruches_payroll_waits_for_its_accepted_dimona(db, tenant) -> None:
    worker_id, workplace = await registered_worker(db, tenant), await declared(db, tenant)
    signed = await use_cases.learn_contract(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=worker_id,
        contract_id="c1",
        start_date=TODAY,
        end_date=None,
        payroll_provider="ruche",
    )

    assert signed is False and await periods(db, tenant, worker_id) == []
    with pytest.raises(RegistrationRefused):
        await use_cases.register_presence(
            db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY, now=NOW
        )

    await accepted(db, tenant, worker_id, "c1")
    await use_cases.register_presence(
        db, tenant=tenant, worker_id=worker_id, workplace_id=workplace.workplace_id, day=TODAY, now=NOW
    )


async def test_each_accepted_declaration_gives_the_period_its_new_bounds_and_a_cancel_removes_it(db, tenant) -> None:
    worker_id = await registered_worker(db, tenant)
    await accepted(db, tenant, worker_id, "c1", start_date=date(2026, 3, 2))
    await accepted(db, tenant, worker_id, "c2", start_date=date(2027, 1, 1), end_date=date(2027, 1, 31))

    await accepted(db, tenant, worker_id, "c1", start_date=date(2026, 3, 9), end_date=date(2026, 12, 31))  # UPDATE
    assert await periods(db, tenant, worker_id) == [
        Period(date(2026, 3, 9), date(2026, 12, 31)),
        Period(date(2027, 1, 1), date(2027, 1, 31)),
    ]
    await accepted(db, tenant, worker_id, "c1", start_date=date(2026, 3, 9), end_date=date(2026, 6, 30))  # OUT
    await accepted(db, tenant, worker_id, "c2", start_date=date(2027, 1, 1), cancelled=True)  # CANCEL

    assert await periods(db, tenant, worker_id) == [Period(date(2026, 3, 9), date(2026, 6, 30))]


async def test_a_cancel_is_applied_once_and_a_cancel_of_nothing_changes_nothing(db, tenant) -> None:
    worker_id, event_id = await registered_worker(db, tenant), str(uuid.uuid4())
    await accepted(db, tenant, worker_id, "c1")
    cancel = dict(
        tenant=tenant,
        event_id=event_id,
        worker_id=worker_id,
        contract_id="c1",
        start_date=TODAY,
        end_date=None,
        cancelled=True,
    )

    assert await use_cases.learn_dimona(db, **cancel) is True
    assert await use_cases.learn_dimona(db, **cancel) is False
    assert await use_cases.learn_dimona(db, **(cancel | {"event_id": str(uuid.uuid4()), "contract_id": "c9"})) is False
    assert await periods(db, tenant, worker_id) == []


async def test_a_contract_of_another_payroll_provider_is_in_service_by_its_own_dates(db, tenant) -> None:
    worker_id = await registered_worker(db, tenant)
    common = dict(tenant=tenant, worker_id=worker_id, payroll_provider="other")

    signed_event = str(uuid.uuid4())
    await use_cases.learn_contract(
        db, event_id=signed_event, contract_id="c1", start_date=TODAY, end_date=None, **common
    )
    await use_cases.learn_contract(
        db, event_id=str(uuid.uuid4()), contract_id="c2", start_date=date(2027, 1, 1), end_date=None, **common
    )
    assert await periods(db, tenant, worker_id) == [Period(TODAY, None), Period(date(2027, 1, 1), None)]

    # Amended (the whole new version), then ended early; the other one cancelled; each once.
    await use_cases.learn_contract(
        db, event_id=str(uuid.uuid4()), contract_id="c1", start_date=TODAY, end_date=date(2026, 12, 31), **common
    )
    ended_event = str(uuid.uuid4())
    for _ in range(2):
        await use_cases.end_contract(db, event_id=ended_event, contract_id="c1", end_date=date(2026, 6, 30), **common)
    await use_cases.cancel_contract(db, event_id=str(uuid.uuid4()), contract_id="c2", **common)
    redelivered = await use_cases.learn_contract(
        db, event_id=signed_event, contract_id="c1", start_date=TODAY, end_date=None, **common
    )

    assert redelivered is False
    assert await periods(db, tenant, worker_id) == [Period(TODAY, date(2026, 6, 30))]


async def test_ruches_own_contract_ends_and_cancellations_wait_for_the_dimona(db, tenant) -> None:
    worker_id = await registered_worker(db, tenant)
    await accepted(db, tenant, worker_id, "c1")
    common = dict(tenant=tenant, worker_id=worker_id, contract_id="c1", payroll_provider="ruche")

    ended = await use_cases.end_contract(db, event_id=str(uuid.uuid4()), end_date=TODAY, **common)
    cancelled = await use_cases.cancel_contract(db, event_id=str(uuid.uuid4()), **common)

    assert (ended, cancelled) == (False, False)
    assert await periods(db, tenant, worker_id) == [Period(TODAY, None)]


async def test_the_workers_in_service_on_a_day_are_those_a_period_covers(db, tenant) -> None:
    since_today = await hired(db, tenant, start=TODAY)
    ended_yesterday = await hired(db, tenant, start=TODAY - timedelta(days=30), end=TODAY - timedelta(days=1))
    from_next_week = await hired(db, tenant, start=TODAY + timedelta(days=7))
    await hired(db, random_enterprise_number(), start=TODAY)  # another employer's

    found, total = await use_cases.workers_in_service(db, tenant=tenant, day=TODAY, limit=10, offset=0)
    assert (total, [w[0] for w in found]) == (1, [since_today])
    later, _ = await use_cases.workers_in_service(db, tenant=tenant, day=TODAY + timedelta(days=7), limit=10, offset=0)
    assert {w[0] for w in later} == {since_today, from_next_week}
    before, _ = await use_cases.workers_in_service(db, tenant=tenant, day=TODAY - timedelta(days=1), limit=10, offset=0)
    assert [w[0] for w in before] == [ended_yesterday]
