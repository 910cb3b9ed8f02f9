"""Calendar codes as each employer has them: the shipped catalogue under the employer's settings, the reads the
routes and the day edits need (`active_code`), and the one writer, `change_code_settings`, which stores the new
settings with CodeSettingsChanged in the same write."""

from __future__ import annotations

from datetime import UTC, datetime

from ruche_contracts import new_event, topics
from ruche_contracts.payroll_calendar import CodeSettingsChanged
from ruche_servicekit.mongo import Db
from ruche_servicekit.outbox import event_entry

from ..domain import codes
from ..domain.codes import Code, EmployerCode, Kind
from ..repository import code_settings


async def list_codes(
    db: Db, *, tenant: str, include_inactive: bool = False, kind: Kind | None = None
) -> list[EmployerCode]:
    """The employer's codes in the catalogue's order: the active ones, or all with `include_inactive`."""
    stored = await code_settings.stored_codes(db, tenant=tenant)
    found = [stored.get(c.code) or codes.employer_code(c, None) for c in codes.catalogue().values()]
    return [c for c in found if (include_inactive or c.active) and (kind is None or c.code.kind == kind)]


async def get_code(db: Db, *, tenant: str, code: str) -> EmployerCode:
    """One code under the employer's settings (active or not); UnknownCode when the catalogue has none."""
    known = codes.find(code)
    stored = await code_settings.stored_code(db, tenant=tenant, code=known.code)
    return stored or codes.employer_code(known, None)


async def active_code(db: Db, *, tenant: str, code: str) -> Code:
    """The catalogue's code when the employer has it active: UnknownCode (404) or InactiveCode (422), both about
    the field `code`, otherwise. For the writers that put a code on a day or a month."""
    return codes.ensure_active(await get_code(db, tenant=tenant, code=code))


async def change_code_settings(
    db: Db,
    *,
    tenant: str,
    code: str,
    active: bool,
    requestable: bool | None = None,
    needs_validation: bool | None = None,
    actor: str,
    now: datetime | None = None,
) -> EmployerCode:
    """Activate or deactivate a code, and for a leave type set its two switches (one left out keeps its value).
    Settings that change nothing are not written and raise no event."""
    current = await get_code(db, tenant=tenant, code=code)
    settings = codes.change_settings(current, active=active, requestable=requestable, needs_validation=needs_validation)
    if settings == current.settings:
        return current
    now = now or datetime.now(UTC)
    changed = new_event(
        CodeSettingsChanged(
            enterprise_number=tenant,
            code=current.code.code,
            active=settings.active,
            requestable=settings.requestable,
            needs_validation=settings.needs_validation,
            changed_by=actor,
        ),
        tenant=tenant,
        subject=tenant,
        time=now,
    )
    await code_settings.store_settings(
        db,
        tenant=tenant,
        code=current.code.code,
        settings=settings,
        updated_at=now,
        updated_by=actor,
        events=[event_entry(topics.CALENDAR_CODES, changed)],
    )
    return codes.employer_code(current.code, settings, updated_at=now, updated_by=actor)
