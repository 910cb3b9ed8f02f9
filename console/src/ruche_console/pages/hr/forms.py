"""The HR forms' plumbing: what was typed → what people's API takes (Belgian numbers, NISS with dots, nested
addresses), what the API answers → the form's values, and the API's refusals → messages next to the right
input in the page's language."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from fastapi import Request

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, form_from_problem, gettext_of
from .common import NEEDS_END, WEEKDAYS, iban_display, niss_display, today_in_belgium

ADDRESS_FIELDS = ("street", "number", "box", "postal_code", "municipality", "country")
PERSONAL_FIELDS = (
    "nationality",
    "niss",
    "birth_date",
    "birth_place",
    "sex",
    "civil_status",
    "civil_status_date",
    "language",
    "private_email",
    "mobile_phone",
    "iban",
    *(f"address.{name}" for name in ADDRESS_FIELDS),
)
PERSONAL_OPTIONAL = frozenset({"civil_status_date", "address.box"})
TERM_FIELDS = (
    "payroll_provider",
    "start_date",
    "end_date",
    "contract_type",
    "weekly_hours",
    "full_time_weekly_hours",
    *(f"schedule.{day}" for day in WEEKDAYS),
    "pay",
    "gross_monthly_salary",
    "hourly_wage",
    "joint_committee",
    "worker_type",
    "job_title",
)
DECIMALS = ("weekly_hours", "full_time_weekly_hours", "gross_monthly_salary", "hourly_wage")

# The area's own messages, before the console's shared ones: by field (what a refused value of that field
# means), then by problem kind.
FIELD_MESSAGES: dict[str, str] = {
    "niss": _("This is not a valid national register or BIS number."),
    "birth_date": _("This birth date does not match the national register number."),
    "sex": _("This sex does not match the national register number."),
    "nationality": _("Choose a nationality."),
    "country": _("Choose a country."),
    "iban": _("This is not a valid IBAN: check the account number (BE followed by 14 digits in Belgium)."),
    "postal_code": _("This postal code does not exist in Belgium."),
    "mobile_phone": _("This is not a valid mobile number: for example +32 475 12 34 56 or 0475 12 34 56."),
    "private_email": _("This is not a valid e-mail address."),
    "email": _("This is not a valid e-mail address."),
    "work_email": _("This is not a valid e-mail address."),
    "civil_status": _("Choose a civil status."),
    "civil_status_date": _("This date is not valid for this civil status."),
    "language": _("Choose a language."),
    "effective_date": _("This date is not valid here."),
    "weekly_hours": _("More than 0 and at most 50 hours a week, with at most two decimals."),
    "full_time_weekly_hours": _("The full-time week of the enterprise: more than 0 and at most 40 hours."),
    "schedule": _("The hours of the days must add up to the hours a week."),
    "gross_monthly_salary": _("A monthly amount in euros, more than 0, with at most two decimals."),
    "hourly_wage": _("An hourly amount in euros, more than 0, with at most two decimals."),
    "pay": _("Give either a gross monthly salary or an hourly wage."),
    "joint_committee": _("Choose a joint committee from the list."),
    "worker_type": _("This worker type does not fit this contract type or joint committee."),
    "contract_type": _("Choose a type of contract."),
    "payroll_provider": _("Choose who pays this contract."),
    "job_title": _("Give the job title."),
    "reason": _("Give the reason."),
    "workplace_id": _("This number has 13 capital letters or digits: check it on the declaration of works."),
}
MESSAGES: dict[str, str] = {
    "overlapping-contract": _("The worker already has a contract in that period."),
    "worker-already-registered": _("A worker with this national register number exists already."),
    "contract-not-started": _("Only a contract that has not started yet can be cancelled."),
    "contract-already-started": _("Only a contract that has not started yet can be cancelled."),
    "onboarding-link-expired": _("This link has expired."),
    "onboarding-link-used": _("This link was already used or withdrawn."),
    "onboarding-link-unknown": _("This link does not exist."),
    "contract-not-changeable": _("This contract has started, ended or been cancelled: it can no longer be changed so."),
    "dimona-nothing-to-retry": _("No refused declaration waits to be sent again."),
    "onboarding-not-submitted": _("The new hire has not submitted the form yet."),
    "onboarding-not-allowed": _("The personal data count already: a self-service link is no longer needed."),
    "worker-not-registered": _("Fill in the personal data first: a change from a date needs a current value."),
    "unknown-worker": _("This worker is not known to the presence registration yet; try again in a moment."),
    "unknown-workplace": _("Choose one of your declared workplaces."),
    "already-registered": _("This worker's presence at this workplace is already registered for that day."),
    "workplace-exists": _("You have already declared a workplace with this number."),
    "account-already-activated": _("The employee has already chosen a password: no new letter is needed."),
}
# The presence pages' (their own field names, with the console's shared mapping).
PRESENCE_MESSAGES: dict[str, str] = {
    **MESSAGES,
    "postal_code": _("A Belgian postal code of 4 digits."),
    "workplace_id": FIELD_MESSAGES["workplace_id"],
}
FORM_STATUSES = (400, 409, 410, 422)
# Refusals whose shared words say it best, whatever the field.
PLAIN = frozenset(
    {
        "missing",
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "datetime_parsing",
        "string_too_long",
        "string_too_short",
        "extra_forbidden",
        "bool_parsing",
    }
)


async def submitted(request: Request, names: Iterable[str]) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name, "")).strip() for name in names}


def decimal_input(text: str) -> str:
    """An amount as Belgians type it (3.150,50 or 3 150,50 or 2.900 or 38,5) in the API's notation (3150.50,
    2900, 38.5; 7.6 stays 7.6); what cannot be read is passed on as typed, so the API names the field."""
    cleaned = re.sub(r"[\s\u00a0\u202f€]", "", text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", cleaned):  # 2.900 or 1.650.000: dots between thousands
        cleaned = cleaned.replace(".", "")
    try:
        Decimal(cleaned)
    except InvalidOperation:
        return text
    return cleaned


def decimal_shown(value: Any) -> str:
    """38.5 → 38,5: a number as the form shows it back to a Belgian."""
    if value in (None, ""):
        return ""
    text = str(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def niss_input(text: str) -> str:
    """85.07.30-033.28 → 85073003328; anything else as typed (the API says what is wrong)."""
    compact = re.sub(r"[\s.\-/]", "", text)
    return compact if compact.isdigit() else text


def nested(values: Mapping[str, Any]) -> dict[str, Any]:
    """`address.street` → {"address": {"street": ...}}: the inputs are named by the API's field paths, so an
    error about `address.postal_code` lands next to that input."""
    body: dict[str, Any] = {}
    for name, value in values.items():
        *parents, leaf = name.split(".")
        target = body
        for parent in parents:
            target = target.setdefault(parent, {})
        target[leaf] = value
    return body


def flat(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """The reverse of `nested`: the API's answer as the form's inputs."""
    found: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, Mapping) and "value" not in value:
            found.update(flat(value, f"{prefix}{name}."))
        else:
            found[f"{prefix}{name}"] = value
    return found


def personal_data_body(values: Mapping[str, str], *, partial: bool = False) -> dict[str, Any]:
    """The personal data typed, as PUT personal-data takes them. `partial` (a new hire's draft) leaves out what is
    still empty; otherwise an empty optional field is sent as null."""
    body: dict[str, Any] = {}
    for name in PERSONAL_FIELDS:
        value = values.get(name, "")
        if name == "niss":
            value = niss_input(value)
        elif name == "iban":
            value = value.replace(" ", "").upper()
        if value == "":
            if partial:
                continue
            if name in PERSONAL_OPTIONAL:
                body[name] = None
                continue
        body[name] = value
    return nested(body)


def personal_data_values(data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The API's personal data → (the form's values, each field's origin). The API gives each field with its
    origin, either as {"value", "origin"} or beside the values in `origins`."""
    values: dict[str, Any] = {}
    origins: dict[str, str] = {str(k): str(v) for k, v in (data.get("origins") or {}).items()}
    for name, item in data.items():
        if name == "origins":
            continue
        if isinstance(item, Mapping) and "value" in item:
            if item.get("origin"):
                origins[name] = str(item["origin"])
            item = item["value"]
        if isinstance(item, Mapping):
            values.update({f"{name}.{key}": value for key, value in item.items()})
        else:
            values[name] = item
    for name in list(origins):
        if name == "address":
            origins.update({f"address.{key}": origins["address"] for key in ADDRESS_FIELDS})
    return {k: ("" if v is None else v) for k, v in values.items()}, origins


def shown_in_form(values: Mapping[str, Any]) -> dict[str, Any]:
    """The personal data as the form shows them back: the NISS as on the card, the IBAN in groups of four."""
    shown = dict(values)
    if shown.get("niss"):
        shown["niss"] = niss_display(str(shown["niss"]))
    if shown.get("iban"):
        shown["iban"] = iban_display(str(shown["iban"]))
    return shown


def terms_body(values: Mapping[str, str]) -> dict[str, Any]:
    """A contract's terms typed in the form, as people's API takes them: only the pay chosen, the days' hours
    given, Belgian decimals in the API's notation."""
    body: dict[str, Any] = {}
    pay = values.get("pay") or "monthly"
    for name in TERM_FIELDS:
        value = values.get(name, "")
        if name == "pay" or name.startswith("schedule."):
            continue
        if name == "gross_monthly_salary" and pay != "monthly":
            continue
        if name == "hourly_wage" and pay != "hourly":
            continue
        if value == "" and name in ("end_date", "job_title"):
            value = None  # type: ignore[assignment]
        elif name in DECIMALS:
            value = decimal_input(value)
        if name in values:
            body[name] = value
    schedule = {day: decimal_input(values[f"schedule.{day}"]) for day in WEEKDAYS if values.get(f"schedule.{day}")}
    if any(f"schedule.{day}" in values for day in WEEKDAYS):
        body["schedule"] = schedule
    return body


def terms_values(terms: Mapping[str, Any]) -> dict[str, Any]:
    """A contract's terms from the API → the form's values (for an amendment, or a form shown again)."""
    values: dict[str, Any] = {k: ("" if v is None else v) for k, v in terms.items() if not isinstance(v, Mapping)}
    for name in DECIMALS:
        values[name] = decimal_shown(terms.get(name))
    schedule = terms.get("schedule") or {}
    minutes = terms.get("minutes_by_weekday") or {}
    for day in WEEKDAYS:
        hours = schedule.get(day, Decimal(minutes[day]) / 60 if day in minutes else None)
        if hours not in (None, "") and Decimal(str(hours)) != 0:  # a day off stays empty
            values[f"schedule.{day}"] = decimal_shown(hours)
    values["pay"] = "hourly" if terms.get("hourly_wage") not in (None, "") else "monthly"
    return values


def is_form_problem(error: ApiError) -> bool:
    """A refusal to say next to the form (an invalid value, a conflict, an expired link), rather than the
    console's 403/404 page."""
    return error.status in FORM_STATUSES or bool(error.field_errors)


def problem_form(
    request: Request, error: ApiError, values: Mapping[str, Any], renames: Mapping[str, str] | None = None
) -> PageForm:
    """The API's refusal as messages next to the inputs, in the page's language. What a refused value of a field
    means (a NISS, an IBAN, a zero salary) comes before the problem kind's generic words, except for the plain
    cases (a missing value, a date that cannot be read); `renames` maps the API's field paths to the form's
    (`personal_data.` → ``)."""
    items = []
    for item in error.field_errors:
        name = str(item.get("field", ""))
        for prefix, target in (renames or {}).items():
            if name.startswith(prefix):
                name = target + name[len(prefix) :]
                break
        items.append({**item, "field": name})
    form = form_from_problem(request, ApiError(error.status, {**error.problem, "errors": []}), values, MESSAGES)
    named = [item for item in items if item["field"] not in ("", "body")]
    if named:
        form.general.clear()
    gettext = gettext_of(request)
    for item in named:
        name, kind = str(item["field"]), str(item.get("type", ""))
        parts = name.split(".")
        leaf = parts[0] if parts[-1] in WEEKDAYS or parts[-1].isdigit() else parts[-1]
        if kind in MESSAGES:
            message = gettext(MESSAGES[kind])
        elif kind not in PLAIN and leaf in FIELD_MESSAGES:
            message = gettext(FIELD_MESSAGES[leaf])
        else:
            single = ApiError(error.status, {**error.problem, "errors": [item]})
            message = form_from_problem(request, single, values, MESSAGES).errors.get(name, "")
        form.errors.setdefault(name, message)
    explain_contract(request, ApiError(error.status, {**error.problem, "errors": named}), form)
    return form


def explain_contract(request: Request, refused: ApiError, form: PageForm) -> None:
    """People refuses a contract's dates with one problem kind for several rules: say which one, from the values
    typed (the API's detail is English only)."""
    t = gettext_of(request)
    values = form.values
    for item in refused.field_errors:
        if item.get("type") in PLAIN:
            continue
        field = str(item.get("field", ""))
        start, end = date_or_none(values.get("start_date")), date_or_none(values.get("end_date"))
        if field == "end_date":
            if start and end and end < start:
                message = _("The end date is before the start date.")
            elif end and end.year > 2100:
                message = _("The end date must be in 2100 or earlier.")
            elif not end and values.get("contract_type") in NEEDS_END:
                message = _(
                    "This contract needs an end date: fixed-term, replacement, student, flexi-job and occasional "
                    "contracts do."
                )
            else:
                message = _("This end date is not possible for this contract.")
        elif field == "start_date" and refused.kind == "invalid-contract":
            if start and start > today_in_belgium() + timedelta(days=366):
                message = _("A contract starts at most a year from today.")
            elif start and start.year < 1900:
                message = _("The start date must be in 1900 or later.")
            else:
                message = _("This start date is not possible for this contract.")
        elif field == "effective_date" and refused.kind == "invalid-contract":
            message = _("An amendment takes effect on or after the contract's start, and before its end.")
        else:
            continue
        form.errors[field] = t(message)


def date_or_none(text: Any) -> date | None:
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        return None
