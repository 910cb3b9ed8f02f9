"""What the HR pages share: the words for the people service's codes (contract types, Dimona states, civil
statuses...), Belgian hours, months and identifiers, and the employer's workers by id (for the lists that only
carry a worker id)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, get_day_names
from fastapi import Request

from ... import i18n
from ...web import _, gateway_of, language_of, session_of

PAGE_SIZE = 50
BELGIUM = ZoneInfo("Europe/Brussels")
MOST_WORKERS = 1000  # what a worker choice lists at most (five pages of the API's largest)
Pairs = tuple[tuple[str, str], ...]

SEXES: Pairs = (("F", _("Female")), ("M", _("Male")), ("X", _("Unspecified (X)")))
CIVIL_STATUSES: Pairs = (
    ("single", _("Single")),
    ("married", _("Married")),
    ("legal_cohabitation", _("Legally cohabiting")),
    ("divorced", _("Divorced")),
    ("separated", _("Separated")),
    ("widowed", _("Widowed")),
)
PERSON_LANGUAGES: Pairs = (("fr", _("French")), ("nl", _("Dutch")), ("de", _("German")), ("en", _("English")))
MAIL_LANGUAGES: Pairs = PERSON_LANGUAGES[:2] + PERSON_LANGUAGES[3:]  # the self-service e-mail and form: no German
ORIGINS: Pairs = (("hr", _("HR")), ("new_hire", _("New hire")))
WORKER_STATUSES: Pairs = (("future", _("Future")), ("in_service", _("In service")), ("left", _("Left")))
PAYROLL_PROVIDERS: Pairs = (
    ("ruche", _("Ruche's payroll provider")),
    ("other", _("Independent or other payroll provider")),
)
CONTRACT_TYPES: Pairs = (
    ("open_ended", _("Open-ended")),
    ("fixed_term", _("Fixed term")),
    ("replacement", _("Replacement")),
    ("specific_work", _("Specific work")),
    ("student", _("Student")),
    ("flexi", _("Flexi-job")),
    ("occasional", _("Occasional work")),
)
NEEDS_END = frozenset({"fixed_term", "replacement", "student", "flexi", "occasional"})
CONTRACT_STATUSES: Pairs = (
    ("future", _("Not started")),
    ("active", _("Running")),
    ("ended", _("Ended")),
    ("cancelled", _("Cancelled")),
)
# Dimona worker types ("type de travailleur"), the codes people's API takes.
WORKER_TYPES: Pairs = (
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
DIMONA_STATES: Pairs = (
    ("waiting_for_data", _("Waiting for data")),
    ("to_declare", _("To declare")),
    ("sent", _("Sent to ONSS")),
    ("accepted", _("Accepted")),
    ("accepted_with_warnings", _("Accepted with warnings")),
    ("refused", _("Refused")),
    ("waiting_for_identification", _("Waiting for the worker's identification")),
    ("not_applicable", _("Not declared by Ruche")),
)
DECLARATION_RESULTS: Pairs = (
    ("A", _("Accepted")),
    ("W", _("Accepted with warnings")),
    ("B", _("Refused")),
    ("S", _("Waiting for the worker's identification")),
)
ONBOARDING_STATES: Pairs = (
    ("sent", _("Link sent, not opened yet")),
    ("draft", _("The new hire is filling in the form")),
    ("submitted", _("Submitted: to review and validate")),
    ("validated", _("Validated")),
    ("withdrawn", _("Link withdrawn")),
)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
CALENDAR_CODES: dict[str, str] = {"WORK": _("Work"), "PH": _("Public holiday")}
# How a state looks: the colour of its badge (ok, warn, bad, wait, off).
TONES: dict[str, str] = {
    "accepted": "ok",
    "accepted_with_warnings": "warn",
    "refused": "bad",
    "sent": "wait",
    "to_declare": "wait",
    "waiting_for_identification": "wait",
    "waiting_for_data": "warn",
    "not_applicable": "off",
    "A": "ok",
    "W": "warn",
    "B": "bad",
    "S": "wait",
    "in_service": "ok",
    "active": "ok",
    "future": "wait",
    "left": "off",
    "ended": "off",
    "cancelled": "off",
    "submitted": "warn",
    "validated": "ok",
    "withdrawn": "off",
}


def today_in_belgium() -> date:
    return datetime.now(UTC).astimezone(BELGIUM).date()


def can(request: Request, permission: str) -> bool:
    signed = session_of(request).signed
    return signed is not None and signed.can(permission)


def choices(request: Request, pairs: Pairs) -> list[tuple[str, str]]:
    """(code, label) pairs with their labels in the page's language."""
    t = i18n.translations(language_of(request)).gettext
    return [(code, t(label)) for code, label in pairs]


def label(pairs: Pairs, code: str | None) -> str:
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


def weekday_names(request: Request) -> list[tuple[str, str, str]]:
    """(API key, wide name, abbreviation) from Monday to Sunday, in the page's language."""
    locale = i18n.LOCALES[language_of(request)]
    wide, short = get_day_names("wide", locale=locale), get_day_names("abbreviated", locale=locale)
    return [(key, str(wide[i]), str(short[i])) for i, key in enumerate(WEEKDAYS)]


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


def niss_display(niss: str | None) -> str:
    """85.07.30-033.28: the national register number as it is printed on an identity card."""
    if not niss or len(niss) != 11 or not niss.isdigit():
        return niss or ""
    return f"{niss[0:2]}.{niss[2:4]}.{niss[4:6]}-{niss[6:9]}.{niss[9:11]}"


def iban_display(iban: str | None) -> str:
    """BE71 0961 2345 6769: an IBAN in groups of four, as on a bank card."""
    compact = (iban or "").replace(" ", "").upper()
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def phone_display(number: str | None) -> str:
    """+32475987654 → +32 475 98 76 54: a Belgian mobile number as Belgians write it; others as stored."""
    text = number or ""
    if re.fullmatch(r"\+324\d{8}", text):
        return f"{text[:3]} {text[3:6]} {text[6:8]} {text[8:10]} {text[10:]}"
    return text


def localized(text: Any, language: str) -> str:
    """A label the API gives by language ({fr, nl, en}) or as one text."""
    if isinstance(text, Mapping):
        return str(text.get(language) or text.get("en") or next(iter(text.values()), ""))
    return str(text or "")


def contract_status_on(contract: Mapping[str, Any], day: date) -> str:
    """A contract summary's status, from the API or from its dates."""
    if contract.get("status"):
        return str(contract["status"])
    start, end = contract.get("start_date"), contract.get("end_date")
    if start and date.fromisoformat(str(start)) > day:
        return "future"
    if end and date.fromisoformat(str(end)) < day:
        return "ended"
    return "active"


def current_contract(worker: Mapping[str, Any], today: date) -> dict[str, Any] | None:
    """The contract that covers today, else the next one to start, else the last one that ended."""
    live = [c for c in worker.get("contracts") or [] if c.get("status") != "cancelled"]
    contracts = sorted(live, key=lambda c: str(c["start_date"]))
    for contract in contracts:
        start, end = date.fromisoformat(contract["start_date"]), contract.get("end_date")
        if start <= today and (end is None or today <= date.fromisoformat(end)):
            return dict(contract)
    upcoming = [c for c in contracts if date.fromisoformat(c["start_date"]) > today]
    if upcoming:
        return dict(upcoming[0])
    return dict(contracts[-1]) if contracts else None


def worker_status(worker: Mapping[str, Any], today: date) -> str | None:
    """future, in_service or left on `today`: the API's word when it gives one, else from the contracts."""
    if worker.get("status"):
        return str(worker["status"])
    contract = current_contract(worker, today)
    if contract is None:
        return None
    return {"active": "in_service", "future": "future"}.get(contract_status_on(contract, today), "left")


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


async def get_in_language(request: Request, path: str, **params: Any) -> Any:
    """GET from an API that words its texts (readiness, joint committees) in the page's language."""
    headers = {"Accept-Language": language_of(request)}
    answer = await gateway_of(request).request(session_of(request), "GET", path, params=params, headers=headers)
    return answer.json()
