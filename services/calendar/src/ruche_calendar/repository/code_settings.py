"""Each employer's settings of the calendar codes in MongoDB: one document per employer and code it changed
(`_id` = `<tenant>:<code>`), with who changed it last and when, and the pending CodeSettingsChanged in `_outbox`
(written by the same single-document update). A code without a document has the catalogue's defaults."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from ruche_servicekit import outbox
from ruche_servicekit.mongo import Db, Document
from ruche_servicekit.outbox import push_outbox

from ..domain.codes import CodeSettings, EmployerCode, catalogue, employer_code

CODE_SETTINGS = "code_settings"


async def create_indexes(db: Db) -> None:
    await db[CODE_SETTINGS].create_index([("tenant", ASCENDING)])


async def stored_codes(db: Db, *, tenant: str) -> dict[str, EmployerCode]:
    """The codes the employer changed, by code (codes no longer in the catalogue left out)."""
    cursor = db[CODE_SETTINGS].find({"tenant": tenant}, {"_outbox": 0})
    found = [_employer_code(doc) async for doc in cursor]
    return {c.code.code: c for c in found if c is not None}


async def stored_code(db: Db, *, tenant: str, code: str) -> EmployerCode | None:
    """The employer's settings of a catalogue code, or None when it kept the defaults."""
    doc = await db[CODE_SETTINGS].find_one({"_id": _id(tenant, code), "tenant": tenant}, {"_outbox": 0})
    return None if doc is None else _employer_code(doc)


async def store_settings(
    db: Db,
    *,
    tenant: str,
    code: str,
    settings: CodeSettings,
    updated_at: datetime,
    updated_by: str,
    events: list[dict[str, Any]],
) -> None:
    """Store the code's settings and their events in one write."""
    await outbox.update(
        db[CODE_SETTINGS],
        {"_id": _id(tenant, code)},
        {
            "$set": {
                "tenant": tenant,
                "code": code,
                "active": settings.active,
                "requestable": settings.requestable,
                "needs_validation": settings.needs_validation,
                "updated_at": updated_at,
                "updated_by": updated_by,
            },
            "$push": push_outbox(events),
        },
        upsert=True,
    )


def _id(tenant: str, code: str) -> str:
    return f"{tenant}:{code}"


def _employer_code(doc: Document) -> EmployerCode | None:
    code = catalogue().get(doc["code"])
    if code is None:
        return None
    settings = CodeSettings(
        active=bool(doc["active"]), requestable=bool(doc["requestable"]), needs_validation=bool(doc["needs_validation"])
    )
    return employer_code(code, settings, updated_at=doc.get("updated_at"), updated_by=doc.get("updated_by"))
