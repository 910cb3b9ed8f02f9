"""What the HR pages share: the words for the people service's codes, the area's own problem messages, Belgian
hours and months, and the employer's workers by id (for the lists that only carry a worker id)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date
from fastapi import Request

from ... import i18n
from ...web import _, gateway_of, language_of, session_of

PAGE_SIZE = 50
BELGIUM = ZoneInfo("Europe/Brussels")
MOST_WORKERS = 1000  # what a worker choice lists at most (five pages of the API's largest)

SEXES: tuple[tuple[str, str], ...] = (("F", _("Female")), ("M", _("Male")), ("X", _("Unspecified (X)")))
CONTRACT_TYPES: tuple[tuple[str, str], ...] = (
    ("indefinite", _("Open-ended")),
    ("fixed_term", _("Fixed term")),
    ("replacement", _("Replacement")),
    ("specific_work", _("Specific work")),
    ("student", _("Student")),
    ("flexi", _("Flexi-job")),
)
# Dimona worker types ("type de travailleur"), the codes people's API takes.
WORKER_TYPES: tuple[tuple[str, str], ...] = (
    ("OTH", _("OTH: ordinary worker")),
    ("STU", _("STU: student")),
    ("FLX", _("FLX: flexi-job")),
    ("EXT", _("EXT: occasional worker (joint committees 144, 145, 302, 320, 322)")),
    ("DWD", _("DWD: Dimona without DmfA")),
    ("A17", _("A17: socio-cultural or sports work (art. 17)")),
    ("BCW", _("BCW: construction worker")),
    ("IVT", _("IVT: IBO/PFI/FPI trainee")),
    ("TRI", _("TRI: intern (TRI)")),
    ("STG", _("STG: intern (STG)")),
)
CALENDAR_CODES: dict[str, str] = {"WORK": _("Work"), "PH": _("Public holiday")}

# The area's own messages (by problem kind, validation type or field name), before the console's shared ones.
MESSAGES: dict[str, str] = {
    "nationality": _("Choose a nationality."),
    "mobile_phone": _("A phone number: digits, spaces, dots, slashes or dashes, with an optional + in front."),
    "weekly_hours": _("More than 0 and at most 50 hours a week, with at most two decimals."),
    "gross_monthly_salary": _("A monthly amount in euros, more than 0, with at most two decimals."),
    "joint_committee": _("A joint committee number such as 200, 124.00 or 302.01, or XXX."),
    "workplace_id": _("This number has 13 capital letters or digits: check it on the declaration of works."),
    "postal_code": _("A Belgian postal code of 4 digits."),
    "unknown-worker": _("This worker is not known to the presence registration yet; try again in a moment."),
    "unknown-workplace": _("Choose one of your declared workplaces."),
    "already-registered": _("This worker's presence at this workplace is already registered for that day."),
    "workplace-exists": _("You have already declared a workplace with this number."),
    "account-already-activated": _("The employee has already chosen a password: no new letter is needed."),
}


def today_in_belgium() -> date:
    return datetime.now(UTC).astimezone(BELGIUM).date()


def can(request: Request, permission: str) -> bool:
    signed = session_of(request).signed
    return signed is not None and signed.can(permission)


def choices(request: Request, pairs: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """(code, label) pairs with their labels in the page's language."""
    t = i18n.translations(language_of(request)).gettext
    return [(code, t(label)) for code, label in pairs]


def label(pairs: tuple[tuple[str, str], ...], code: str | None) -> str:
    """The untranslated label of a code (templates translate it with `t`)."""
    return next((text for key, text in pairs if key == code), code or "")


def nationalities(request: Request) -> list[tuple[str, str]]:
    """Every country by its name in the page's language, Belgium first (ISO 3166-1 alpha-2 codes, as the API)."""
    names = Locale.parse(i18n.LOCALES[language_of(request)]).territories
    countries = [
        (code, str(name))
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in ("EU", "EZ", "UN", "ZZ", "QO")
    ]
    countries.sort(key=lambda pair: _sort_key(pair[1]))
    belgium = [pair for pair in countries if pair[0] == "BE"]
    return belgium + [pair for pair in countries if pair[0] != "BE"]


def _sort_key(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def hours(minutes: int | None) -> str:
    """Planned time as Belgian timesheets write it: 7:36, 167:12."""
    if not minutes:
        return "0:00"
    return f"{minutes // 60}:{minutes % 60:02d}"


def month_name(request: Request, month: date) -> str:
    """The month as written in the page's language: mars 2026, maart 2026, March 2026."""
    return format_date(month, "LLLL y", locale=i18n.LOCALES[language_of(request)])


def niss_display(niss: str) -> str:
    """85.07.30-033.28: the national register number as it is printed on an identity card."""
    if len(niss) != 11 or not niss.isdigit():
        return niss
    return f"{niss[0:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:11]}"


def current_contract(worker: Mapping[str, Any], today: date) -> dict[str, Any] | None:
    """The contract that covers today, else the next one to start, else the last one that ended."""
    contracts = sorted(worker.get("contracts", []), key=lambda c: str(c["start_date"]))
    for contract in contracts:
        start, end = date.fromisoformat(contract["start_date"]), contract.get("end_date")
        if start <= today and (end is None or today <= date.fromisoformat(end)):
            return dict(contract)
    upcoming = [c for c in contracts if date.fromisoformat(c["start_date"]) > today]
    if upcoming:
        return dict(upcoming[0])
    return dict(contracts[-1]) if contracts else None


async def workers_by_id(request: Request) -> tuple[dict[str, dict[str, Any]], int]:
    """The employer's workers (at most MOST_WORKERS of them) by id, and how many there are in all."""
    found: dict[str, dict[str, Any]] = {}
    offset, total = 0, 0
    while offset < MOST_WORKERS:
        page = await gateway_of(request).get(session_of(request), "/people/workers", limit=200, offset=offset)
        total = int(page["total"])
        found.update({w["worker_id"]: w for w in page["items"]})
        offset += 200
        if offset >= total:
            break
    return found, total


def full_name(worker: Mapping[str, Any] | None) -> str:
    if not worker:
        return ""
    return f"{worker['first_name']} {worker['last_name']}"
