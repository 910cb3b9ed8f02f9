"""Calendar codes: the shipped catalogue (`reference/codes.json`) of day codes (planned work, paid leave, public
holiday, sickness, ...) and one-off salary elements (bonus, commission, expenses), and each employer's settings of
them: a code active or not, and for leave types whether employees may request it in self-service and whether a
manager validates it (Officient's "activate a type" with its two switches).

An employer that never changed a code has the catalogue's defaults. WORK and PH are the planning's own codes:
always active.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

from ruche_servicekit.errors import DomainError

LANGUAGES = ("fr", "nl", "en")
FALLBACK_LANGUAGE = "en"


class Kind(StrEnum):
    PERFORMANCE = "performance"  # a day code, put on a worker's day
    SALARY_ELEMENT = "salary_element"  # a one-off element added to a worker's month


class Unit(StrEnum):
    HOURS = "hours"
    DAY = "day"  # a whole day
    HALF_DAY = "half_day"  # whole or half days
    AMOUNT = "amount"  # a total value
    UNIT_DAYS = "unit_days"  # a value per day times a number of days


class UnknownCode(DomainError):
    status, kind, title, field = 404, "unknown-code", "Unknown calendar code", "code"


class InactiveCode(DomainError):
    status, kind, title, field = 422, "inactive-code", "Inactive calendar code", "code"


class AlwaysActive(DomainError):
    status, kind, title, field = 422, "code-always-active", "This code cannot be deactivated", "active"


class NotALeaveType(DomainError):
    status, kind, title = 422, "not-a-leave-type", "Only leave types can be requested or validated"


@dataclass(frozen=True)
class Code:
    """One code of the catalogue, as shipped."""

    code: str
    labels: Mapping[str, str]  # fr, nl, en
    kind: Kind
    unit: Unit
    dmfa_code: int | None  # the DmfA working-time code its days are declared under
    worked: bool  # counts as worked time
    meal_voucher: bool  # a day under it counts for a meal voucher
    leave_type: bool  # an absence an employee may request, with the two switches
    always_active: bool
    active_by_default: bool
    requestable_by_default: bool
    validation_by_default: bool
    max_hours_per_day: int | None  # day codes: the hours one day may carry; none for salary elements
    note: str | None = None

    def label(self, language: str) -> str:
        return self.labels.get(language) or self.labels[FALLBACK_LANGUAGE]

    @property
    def default_settings(self) -> CodeSettings:
        return CodeSettings(
            active=self.always_active or self.active_by_default,
            requestable=self.leave_type and self.requestable_by_default,
            needs_validation=self.leave_type and self.validation_by_default,
        )


@dataclass(frozen=True)
class CodeSettings:
    """An employer's choice for one code. `requestable` and `needs_validation` are always False for a code that is
    not a leave type; an inactive code is requestable by nobody, whatever `requestable` keeps for its return."""

    active: bool
    requestable: bool
    needs_validation: bool


@dataclass(frozen=True)
class EmployerCode:
    """A code as one employer has it: the catalogue's entry and the employer's settings (the defaults until the
    employer changes them, then who changed them last and when)."""

    code: Code
    settings: CodeSettings
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def active(self) -> bool:
        return self.settings.active

    @property
    def requestable(self) -> bool:
        """Employees may request it now: active and switched on."""
        return self.settings.active and self.settings.requestable


@cache
def catalogue() -> dict[str, Code]:
    """Every shipped code by its code, in the catalogue's order (day codes, then salary elements)."""
    raw = json.loads((Path(__file__).parent / "reference" / "codes.json").read_text(encoding="utf-8"))
    return {
        c["code"]: Code(
            code=c["code"],
            labels=dict(c["labels"]),
            kind=Kind(c["kind"]),
            unit=Unit(c["unit"]),
            dmfa_code=c["dmfa_code"],
            worked=bool(c["worked"]),
            meal_voucher=bool(c["meal_voucher"]),
            leave_type=bool(c["leave_type"]),
            always_active=bool(c["always_active"]),
            active_by_default=bool(c["active_by_default"]),
            requestable_by_default=bool(c["requestable_by_default"]),
            validation_by_default=bool(c["validation_by_default"]),
            max_hours_per_day=c["max_hours_per_day"],
            note=c.get("note"),
        )
        for c in raw["codes"]
    }


def normalize(code: str) -> str:
    return code.strip().upper()


def find(code: str) -> Code:
    """The catalogue's code (`hol` finds HOL), or UnknownCode."""
    found = catalogue().get(normalize(code))
    if found is None:
        raise UnknownCode(f"No calendar code {code!r}.")
    return found


def employer_code(
    code: Code, settings: CodeSettings | None, *, updated_at: datetime | None = None, updated_by: str | None = None
) -> EmployerCode:
    """The code under the employer's stored settings, or the defaults when it has none."""
    return EmployerCode(code, settings or code.default_settings, updated_at, updated_by)


def ensure_active(current: EmployerCode) -> Code:
    """The code, when the employer has it active; else InactiveCode."""
    if not current.active:
        raise InactiveCode(f"The calendar code {current.code.code} is not active for this employer.")
    return current.code


def change_settings(
    current: EmployerCode, *, active: bool, requestable: bool | None = None, needs_validation: bool | None = None
) -> CodeSettings:
    """The code's new settings. WORK and PH stay active; only leave types take the two switches (a switch left
    out keeps its value; False is accepted on any code, as it changes nothing)."""
    code = current.code
    if code.always_active and not active:
        raise AlwaysActive(f"{code.code} is the planning's own code: it is always active.")
    for field, value in (("requestable", requestable), ("needs_validation", needs_validation)):
        if value and not code.leave_type:
            raise NotALeaveType(
                f"{code.code} is not a leave type: it cannot be {field.replace('_', ' ')}.", field=field
            )
    settings = replace(current.settings, active=active)
    if requestable is not None:
        settings = replace(settings, requestable=requestable)
    if needs_validation is not None:
        settings = replace(settings, needs_validation=needs_validation)
    return settings


def language_of(accept_language: str | None) -> str:
    """The first of fr, nl, en the `Accept-Language` header asks for (by quality), English otherwise."""
    if not accept_language:
        return FALLBACK_LANGUAGE
    ranked = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if quality > 0:
            ranked.append((-quality, position, tag.strip().lower().split("-")[0]))
    return next((language for _, _, language in sorted(ranked) if language in LANGUAGES), FALLBACK_LANGUAGE)
