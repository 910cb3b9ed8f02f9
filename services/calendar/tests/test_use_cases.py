"""Calendar's use cases against a scratch database: a signed contract opens its first month's calendar with one
CalendarOpened pending, once however often the event comes; reads stay within the employer."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from ruche_calendar import repository, use_cases
from ruche_calendar.domain import PUBLIC_HOLIDAY, WORK, CalendarNotFound
from ruche_contracts.payroll_calendar import CalendarOpened
from ruche_servicekit.inbox import INBOX_FIELD
from ruche_servicekit.outbox import OUTBOX_FIELD
from ruche_testing import pending_events, random_enterprise_number, unique


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


async def open_calendar(db, tenant: str, *, event_id: str | None = None, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = dict(
        tenant=tenant,
        event_id=event_id or str(uuid.uuid4()),
        worker_id=unique("w-"),
        contract_id=unique("c-"),
        start_date=date(2026, 5, 6),
        end_date=None,
        weekly_hours=Decimal(38),
    )
    values |= overrides
    values["applied"] = await use_cases.open_first_calendar(db, **values)
    return values


async def test_a_signed_contract_opens_its_first_month_with_the_event_pending(db, tenant) -> None:
    signed = await open_calendar(db, tenant)
    calendar_id = f"{signed['contract_id']}:2026-05"

    calendar = await use_cases.get_calendar(db, tenant=tenant, calendar_id=calendar_id)

    assert signed["applied"] is True
    assert (calendar.worker_id, calendar.contract_id, calendar.month) == (
        signed["worker_id"],
        signed["contract_id"],
        "2026-05",
    )
    by_day = {d.date: d for d in calendar.days}
    assert (by_day[date(2026, 5, 6)].code, by_day[date(2026, 5, 6)].planned_minutes) == (WORK, 456)
    assert by_day[date(2026, 5, 14)].code == PUBLIC_HOLIDAY  # Ascension
    assert by_day[date(2026, 5, 5)].code is None  # before the contract
    assert calendar.planned_minutes == 16 * 456
    [event] = await pending_events(db, repository.CALENDARS, calendar_id)
    assert isinstance(event.data, CalendarOpened)
    assert (event.tenant, event.subject) == (tenant, signed["worker_id"])
    assert event.data == CalendarOpened(
        calendar_id=calendar_id,
        worker_id=signed["worker_id"],
        contract_id=signed["contract_id"],
        month="2026-05",
        planned_minutes=16 * 456,
    )


async def test_a_redelivered_contract_changes_nothing_and_raises_nothing_more(db, tenant) -> None:
    first = await open_calendar(db, tenant)
    again = await open_calendar(db, tenant, **{k: first[k] for k in ("event_id", "worker_id", "contract_id")})

    assert (first["applied"], again["applied"]) == (True, False)
    calendars, total = await use_cases.list_calendars(
        db, tenant=tenant, worker_id=first["worker_id"], month=None, limit=50, offset=0
    )
    assert total == 1
    assert len(await pending_events(db, repository.CALENDARS, calendars[0].calendar_id)) == 1


async def test_the_event_raised_for_a_consumed_one_keeps_its_id_even_once_the_inbox_forgot(db, tenant) -> None:
    first = await open_calendar(db, tenant)
    calendar_id = f"{first['contract_id']}:2026-05"
    [published] = await pending_events(db, repository.CALENDARS, calendar_id)
    # The relay published it, and weeks later the inbox let the record of the consumed event expire.
    await db[repository.CALENDARS].update_one({"_id": calendar_id}, {"$set": {OUTBOX_FIELD: [], INBOX_FIELD: {}}})

    await open_calendar(db, tenant, **{k: first[k] for k in ("event_id", "worker_id", "contract_id")})

    [raised_again] = await pending_events(db, repository.CALENDARS, calendar_id)
    assert raised_again.id == published.id  # consumers that saw the first one ignore it


async def test_two_contracts_events_raise_two_distinct_events(db, tenant) -> None:
    a = await open_calendar(db, tenant)
    b = await open_calendar(db, tenant, worker_id=a["worker_id"], start_date=date(2026, 9, 1))

    [event_a] = await pending_events(db, repository.CALENDARS, f"{a['contract_id']}:2026-05")
    [event_b] = await pending_events(db, repository.CALENDARS, f"{b['contract_id']}:2026-09")
    assert event_a.id != event_b.id


async def test_calendars_are_listed_by_worker_and_month_for_their_employer_only(db, tenant) -> None:
    may = await open_calendar(db, tenant)
    june = await open_calendar(db, tenant, worker_id=may["worker_id"], start_date=date(2026, 6, 1))
    await open_calendar(db, tenant, start_date=date(2026, 6, 15))  # another worker
    other = random_enterprise_number()

    by_worker, total = await use_cases.list_calendars(
        db, tenant=tenant, worker_id=may["worker_id"], month=None, limit=50, offset=0
    )
    in_june, june_total = await use_cases.list_calendars(
        db, tenant=tenant, worker_id=None, month="2026-06", limit=50, offset=0
    )

    assert ([c.contract_id for c in by_worker], total) == ([may["contract_id"], june["contract_id"]], 2)
    assert june_total == 2 and {c.month for c in in_june} == {"2026-06"}
    assert await use_cases.list_calendars(db, tenant=other, worker_id=None, month=None, limit=50, offset=0) == ([], 0)
    with pytest.raises(CalendarNotFound):
        await use_cases.get_calendar(db, tenant=other, calendar_id=f"{may['contract_id']}:2026-05")


async def test_a_worker_is_learnt_once_per_event(db, tenant) -> None:
    event_id, worker_id = str(uuid.uuid4()), unique("w-")

    first = await use_cases.learn_worker(
        db, tenant=tenant, event_id=event_id, worker_id=worker_id, first_name="Els", last_name="Wouters"
    )
    again = await use_cases.learn_worker(
        db, tenant=tenant, event_id=event_id, worker_id=worker_id, first_name="Els", last_name="Wouters"
    )

    assert (first, again) == (True, False)
    stored = await db[repository.WORKERS].find_one({"_id": worker_id})
    assert (stored["tenant"], stored["first_name"], stored["last_name"]) == (tenant, "Els", "Wouters")


FOUR_DAYS = {"mon": 570, "tue": 570, "wed": 570, "thu": 570}


async def calendar_of(db, tenant: str, contract_id: str, month: str):
    return await use_cases.get_calendar(db, tenant=tenant, calendar_id=f"{contract_id}:{month}")


def planned(calendar) -> dict[int, int]:
    return {d.date.day: d.planned_minutes for d in calendar.days if d.planned_minutes}


async def test_a_contract_with_a_schedule_is_planned_day_by_day(db, tenant) -> None:
    signed = await open_calendar(db, tenant, start_date=date(2026, 3, 2), minutes_by_weekday=FOUR_DAYS)

    calendar = await calendar_of(db, tenant, signed["contract_id"], "2026-03")

    assert set(planned(calendar)) == {2, 3, 4, 5, 9, 10, 11, 12, 16, 17, 18, 19, 23, 24, 25, 26, 30, 31}
    assert set(planned(calendar).values()) == {570}
    assert calendar.terms.minutes_by_weekday == FOUR_DAYS


async def test_an_amendment_plans_the_opened_month_again_once(db, tenant) -> None:
    signed = await open_calendar(db, tenant, start_date=date(2026, 3, 2))  # 456 minutes, Monday to Friday
    amendment = dict(
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=signed["worker_id"],
        contract_id=signed["contract_id"],
        effective_date=date(2026, 3, 16),
        start_date=date(2026, 3, 2),
        end_date=None,
        weekly_hours=Decimal(38),
        minutes_by_weekday=FOUR_DAYS,
    )

    first = await use_cases.amend_contract(db, **amendment)
    again = await use_cases.amend_contract(db, **(amendment | {"minutes_by_weekday": {"fri": 60}}))

    assert (first, again) == (True, False)
    calendar = await calendar_of(db, tenant, signed["contract_id"], "2026-03")
    assert planned(calendar)[13] == 456  # Friday before the effective date: as signed
    assert planned(calendar)[16] == 570 and 20 not in planned(calendar)  # from then on: Monday to Thursday
    assert calendar.terms.minutes_by_weekday == FOUR_DAYS
    assert len(await pending_events(db, repository.CALENDARS, calendar.calendar_id)) == 1  # only CalendarOpened


async def test_an_amendment_moving_the_start_to_another_month_opens_it(db, tenant) -> None:
    signed = await open_calendar(db, tenant, start_date=date(2026, 3, 23))
    event_id = str(uuid.uuid4())

    for _ in range(2):
        await use_cases.amend_contract(
            db,
            tenant=tenant,
            event_id=event_id,
            worker_id=signed["worker_id"],
            contract_id=signed["contract_id"],
            effective_date=date(2026, 3, 23),
            start_date=date(2026, 4, 1),
            end_date=None,
            weekly_hours=Decimal(38),
            minutes_by_weekday=FOUR_DAYS,
        )

    march = await calendar_of(db, tenant, signed["contract_id"], "2026-03")
    april = await calendar_of(db, tenant, signed["contract_id"], "2026-04")
    assert march.planned_minutes == 0
    assert min(planned(april)) == 1 and 6 not in planned(april)  # from 1 April; Easter Monday is a holiday
    [opened] = await pending_events(db, repository.CALENDARS, april.calendar_id)
    assert isinstance(opened.data, CalendarOpened) and opened.data.planned_minutes == april.planned_minutes


async def test_an_early_end_unplans_the_days_after_it_once(db, tenant) -> None:
    signed = await open_calendar(db, tenant, start_date=date(2026, 3, 2), minutes_by_weekday=FOUR_DAYS)
    event_id = str(uuid.uuid4())

    first = await use_cases.end_contract(
        db, tenant=tenant, event_id=event_id, contract_id=signed["contract_id"], end_date=date(2026, 3, 11)
    )
    again = await use_cases.end_contract(
        db, tenant=tenant, event_id=event_id, contract_id=signed["contract_id"], end_date=date(2026, 3, 11)
    )

    assert (first, again) == (True, False)
    calendar = await calendar_of(db, tenant, signed["contract_id"], "2026-03")
    assert sorted(planned(calendar)) == [2, 3, 4, 5, 9, 10, 11]
    assert calendar.terms.end_date == date(2026, 3, 11)


async def test_a_cancelled_contract_plans_nothing_and_stays_cancelled(db, tenant) -> None:
    signed = await open_calendar(db, tenant, start_date=date(2026, 3, 2))
    event_id = str(uuid.uuid4())

    first = await use_cases.cancel_contract(db, tenant=tenant, event_id=event_id, contract_id=signed["contract_id"])
    again = await use_cases.cancel_contract(db, tenant=tenant, event_id=event_id, contract_id=signed["contract_id"])
    late_amendment = await use_cases.amend_contract(
        db,
        tenant=tenant,
        event_id=str(uuid.uuid4()),
        worker_id=signed["worker_id"],
        contract_id=signed["contract_id"],
        effective_date=date(2026, 3, 2),
        start_date=date(2026, 5, 4),
        end_date=None,
        weekly_hours=Decimal(38),
    )

    assert (first, again, late_amendment) == (True, False, False)
    [calendar], total = await use_cases.list_calendars(
        db, tenant=tenant, worker_id=signed["worker_id"], month=None, limit=50, offset=0
    )
    assert total == 1 and calendar.cancelled and calendar.planned_minutes == 0


async def test_another_employers_events_do_not_touch_a_contract(db, tenant) -> None:
    signed = await open_calendar(db, tenant, start_date=date(2026, 3, 2))

    changed = await use_cases.cancel_contract(
        db, tenant=random_enterprise_number(), event_id=str(uuid.uuid4()), contract_id=signed["contract_id"]
    )

    assert changed is False
    assert not (await calendar_of(db, tenant, signed["contract_id"], "2026-03")).cancelled
