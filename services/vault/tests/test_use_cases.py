"""The vault's use cases against a scratch database: a registered worker's vault opens once, with a unique
12-digit identifier and one VaultOpened pending, however often (or however concurrently) the event comes."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from ruche_contracts.document_vault import VaultOpened
from ruche_testing import pending_events, random_enterprise_number
from ruche_vault import repository, use_cases
from ruche_vault.domain import Vault, VaultNotFound, is_valid_identifier

NOW = datetime(2026, 3, 2, 9, 15, 30, 123000, tzinfo=UTC)  # whole milliseconds, as MongoDB keeps them


@pytest.fixture
def tenant() -> str:
    return random_enterprise_number()


async def test_a_registered_worker_gets_a_vault_with_its_event_pending(db, tenant) -> None:
    worker_id = str(uuid.uuid4())

    opened = await use_cases.open_vault(db, tenant=tenant, event_id=str(uuid.uuid4()), worker_id=worker_id, now=NOW)

    vault = await use_cases.get_vault(db, tenant=tenant, worker_id=worker_id)
    assert opened is True
    assert (vault.vault_id, vault.worker_id, vault.opened_at) == (worker_id, worker_id, NOW)
    assert is_valid_identifier(vault.identifier)
    [event] = await pending_events(db, repository.VAULTS, worker_id)
    assert event.data == VaultOpened(vault_id=worker_id, worker_id=worker_id, identifier=vault.identifier)
    assert (event.tenant, event.subject) == (tenant, worker_id)


async def test_a_redelivered_registration_changes_nothing(db, tenant) -> None:
    worker_id, event_id = str(uuid.uuid4()), str(uuid.uuid4())
    await use_cases.open_vault(db, tenant=tenant, event_id=event_id, worker_id=worker_id, now=NOW)
    first = await use_cases.get_vault(db, tenant=tenant, worker_id=worker_id)

    again = await use_cases.open_vault(
        db, tenant=tenant, event_id=event_id, worker_id=worker_id, now=NOW + timedelta(hours=1)
    )

    assert again is False
    assert await use_cases.get_vault(db, tenant=tenant, worker_id=worker_id) == first
    assert len(await pending_events(db, repository.VAULTS, worker_id)) == 1


async def test_two_deliveries_at_once_open_one_vault_with_one_event(db, tenant) -> None:
    worker_id, event_id = str(uuid.uuid4()), str(uuid.uuid4())

    results = await asyncio.gather(
        *(use_cases.open_vault(db, tenant=tenant, event_id=event_id, worker_id=worker_id, now=NOW) for _ in range(3))
    )

    assert sorted(results) == [False, False, True]
    assert (await use_cases.list_vaults(db, tenant=tenant, limit=50, offset=0))[1] == 1
    assert len(await pending_events(db, repository.VAULTS, worker_id)) == 1


async def test_an_identifier_drawn_twice_is_drawn_again(db, tenant) -> None:
    taken, fresh = "100000000063", "100000000162"
    assert is_valid_identifier(taken) and is_valid_identifier(fresh)
    await use_cases.open_vault(
        db, tenant=tenant, event_id=str(uuid.uuid4()), worker_id="first", now=NOW, new_identifier=lambda: taken
    )
    draws = iter([taken, fresh])

    await use_cases.open_vault(
        db, tenant=tenant, event_id=str(uuid.uuid4()), worker_id="second", now=NOW, new_identifier=lambda: next(draws)
    )

    assert (await use_cases.get_vault(db, tenant=tenant, worker_id="second")).identifier == fresh
    [event] = await pending_events(db, repository.VAULTS, "second")
    assert event.data.identifier == fresh


async def test_vaults_are_listed_by_opening_for_their_employer_only(db, tenant) -> None:
    for n, worker_id in enumerate(("late", "early")):
        await use_cases.open_vault(
            db, tenant=tenant, event_id=str(uuid.uuid4()), worker_id=worker_id, now=NOW - timedelta(days=n)
        )
    other = random_enterprise_number()

    vaults, total = await use_cases.list_vaults(db, tenant=tenant, limit=50, offset=0)

    assert ([v.worker_id for v in vaults], total) == (["early", "late"], 2)
    assert all(isinstance(v, Vault) and v.tenant == tenant for v in vaults)
    assert await use_cases.list_vaults(db, tenant=other, limit=50, offset=0) == ([], 0)
    with pytest.raises(VaultNotFound):
        await use_cases.get_vault(db, tenant=other, worker_id="early")
