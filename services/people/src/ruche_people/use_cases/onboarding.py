"""Self-service onboarding: HR mails a single-use link, the new hire saves a draft and submits, HR validates (with
corrections) or withdraws. The link's token reaches only its own form: every step behind it finds the worker from
the link, never from anything the caller says.

Each step is one write of the worker document (state, mail or events); the `onboarding_links` record, written
before, only maps a link to its worker: the worker document says which link is the current one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ruche_servicekit.mongo import Db

from ..domain import onboarding as domain
from ..domain import workers as worker_rules
from ..domain.errors import OnboardingLinkUnknown, OnboardingNotAllowed, WorkerNotFound
from ..domain.onboarding import MailLanguage, Onboarding
from ..domain.workers import Filled, Origin, Worker
from ..repository import onboarding_links as links
from ..repository import workers as worker_store
from . import events, mails
from .common import Entries, today_in_belgium, update_worker
from .workers import after_filling, filled_entries


@dataclass(frozen=True)
class SentLink:
    onboarding: Onboarding
    token: str  # handed back for tests and the console's "copy the link"; it is also in the mail


@dataclass(frozen=True)
class Form:
    """What the new hire sees behind the link: their names and their own draft."""

    first_name: str
    last_name: str
    onboarding: Onboarding


# HR ----------------------------------------------------------------------------------------------------------
async def send_link(
    db: Db, *, tenant: str, worker_id: str, email: str, language: MailLanguage, now: datetime
) -> SentLink:
    """Mail a new single-use link (14 days) to the new hire; a previous link stops working."""
    token = domain.new_token()
    link = domain.digest(token)
    if (await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)).registered:  # before any write
        raise OnboardingNotAllowed("The worker's personal data count already: HR corrects them directly.")
    await links.insert(db, link=link, tenant=tenant, worker_id=worker_id, expires_at=now + domain.LINK_VALIDITY)

    def change(worker: Worker) -> tuple[Worker, Entries, None]:
        if worker.registered:
            raise OnboardingNotAllowed("The worker's personal data count already: HR corrects them directly.")
        onboarding = domain.send(worker.onboarding, email=email, language=language, link=link, now=now)
        mail = mails.mail(
            "onboarding-link",
            to=email,
            language=language,
            first_name=worker.first_name,
            token=token,
            until=onboarding.expires_at,
        )
        return replace(worker, onboarding=onboarding), [mail], None

    worker, _ = await update_worker(db, tenant=tenant, worker_id=worker_id, change=change)
    await links.mark_used(db, tenant=tenant, worker_id=worker_id, keep=link)
    assert worker.onboarding is not None
    return SentLink(worker.onboarding, token)


async def review(db: Db, *, tenant: str, worker_id: str) -> Onboarding:
    worker = await worker_store.get_worker(db, tenant=tenant, worker_id=worker_id)
    return domain.present(worker.onboarding)


async def validate(
    db: Db, *, tenant: str, worker_id: str, corrections: Mapping[str, Any], actor: str, now: datetime
) -> Worker:
    """HR's corrections (origin `hr`), then the data count as if HR had filled them in (WorkerRegistered the
    first time), with OnboardingValidated naming the corrected fields."""
    today = today_in_belgium(now)

    def change(worker: Worker) -> tuple[Worker, Entries, Filled]:
        validated, data = domain.validate(worker.onboarding, corrections, actor=actor, now=now, today=today)
        origins: dict[str, Origin] = {
            name: "hr" if name in validated.corrected else "new_hire" for name in data.as_fields()
        }
        filled = worker_rules.fill(replace(worker, onboarding=validated), data, origins=origins, today=today)
        done = events.onboarding_validated(filled.worker, actor=actor, corrected=list(validated.corrected))
        return filled.worker, [*filled_entries(filled), done], filled

    worker, filled = await update_worker(db, tenant=tenant, worker_id=worker_id, change=change)
    await after_filling(db, filled, now=now)
    return worker


async def withdraw(db: Db, *, tenant: str, worker_id: str) -> Onboarding:
    """The link stops working; the draft stays for HR to read."""

    def change(worker: Worker) -> tuple[Worker, Entries, None]:
        return replace(worker, onboarding=domain.withdraw(worker.onboarding)), [], None

    worker, _ = await update_worker(db, tenant=tenant, worker_id=worker_id, change=change)
    await links.mark_used(db, tenant=tenant, worker_id=worker_id)
    assert worker.onboarding is not None
    return worker.onboarding


# The new hire, behind the link -------------------------------------------------------------------------------
async def open_form(db: Db, *, token: str, now: datetime) -> Form:
    worker = await _worker_of(db, token)
    return Form(worker.first_name, worker.last_name, domain.opened(worker.onboarding, link=_link(token), now=now))


async def save_draft(db: Db, *, token: str, values: Mapping[str, Any], now: datetime) -> Form:
    """Fields checked one by one; missing ones allowed."""
    today = today_in_belgium(now)

    def change(worker: Worker) -> tuple[Worker, Entries, None]:
        onboarding = domain.opened(worker.onboarding, link=_link(token), now=now)
        return replace(worker, onboarding=domain.save_draft(onboarding, values, today=today)), [], None

    worker = await _change_through(db, token, change)
    assert worker.onboarding is not None
    return Form(worker.first_name, worker.last_name, worker.onboarding)


async def submit(db: Db, *, token: str, now: datetime) -> Form:
    """Every field required and checked; the link is used (OnboardingSubmitted); HR reviews next."""
    today = today_in_belgium(now)

    def change(worker: Worker) -> tuple[Worker, Entries, None]:
        onboarding = domain.opened(worker.onboarding, link=_link(token), now=now)
        submitted, _ = domain.submit(onboarding, now=now, today=today)
        return replace(worker, onboarding=submitted), [events.onboarding_submitted(worker, now)], None

    worker = await _change_through(db, token, change)
    await links.mark_used(db, tenant=worker.tenant, worker_id=worker.worker_id)
    assert worker.onboarding is not None
    return Form(worker.first_name, worker.last_name, worker.onboarding)


def _link(token: str) -> str:
    return domain.digest(token)


async def _worker_of(db: Db, token: str) -> Worker:
    record = await links.get(db, _link(token))
    if record is None:
        raise OnboardingLinkUnknown("This link is unknown. Check that you copied it whole.")
    try:
        return await worker_store.get_worker(db, tenant=record["tenant"], worker_id=record["worker_id"])
    except WorkerNotFound as exc:
        raise OnboardingLinkUnknown("This link is unknown. Check that you copied it whole.") from exc


async def _change_through(db: Db, token: str, change: Any) -> Worker:
    worker = await _worker_of(db, token)
    changed, _ = await update_worker(db, tenant=worker.tenant, worker_id=worker.worker_id, change=change)
    return changed
