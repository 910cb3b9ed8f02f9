"""HR: a worker's contracts. The form chooses the payroll provider first (Ruche's, or an independent or other one:
then Ruche declares nothing), then dates, type, hours and the week's schedule, pay, joint committee, Dimona worker
type and job title. A contract's page shows its terms, its versions, what is missing before the Dimona can be
declared, and every declaration with ONSS's answer; it amends, ends early, cancels and declares again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from ...gateway import ApiError
from ...web import Form as PageForm
from ...web import _, flash, gateway_of, language_of, redirect, render, session_of
from .common import (
    CONTRACT_STATUSES,
    CONTRACT_TYPES,
    DECLARATION_RESULTS,
    DIMONA_STATES,
    NEEDS_END,
    PAYROLL_PROVIDERS,
    TONES,
    WORKER_TYPES,
    can,
    choices,
    contract_status_on,
    full_name,
    get_in_language,
    localized,
    today_in_belgium,
    weekday_names,
)
from .forms import TERM_FIELDS, is_form_problem, problem_form, submitted, terms_body, terms_values

router = APIRouter()
AMEND_FIELDS = ("effective_date", *[name for name in TERM_FIELDS if name != "payroll_provider"])
DEFAULTS: dict[str, str] = {
    "payroll_provider": "ruche",
    "contract_type": "open_ended",
    "worker_type": "OTH",
    "weekly_hours": "38",
    "full_time_weekly_hours": "38",
    "pay": "monthly",
    "joint_committee": "200",
    **{f"schedule.{day}": "7,6" for day in ("mon", "tue", "wed", "thu", "fri")},
}


async def joint_committees(request: Request) -> list[tuple[str, str]]:
    """The shipped list of joint committees, labelled in the page's language: (number, "200 – label")."""
    answer = await get_in_language(request, "/people/joint-committees", limit=200)  # all of them (about 100)
    items = answer.get("items", []) if isinstance(answer, Mapping) else answer
    language = language_of(request)
    found = []
    for item in items:
        code = str(item.get("number") or item.get("code") or item.get("joint_committee") or "")
        text = localized(item.get("label") or item.get("name"), language)
        found.append((code, f"{code} – {text}" if text else code))
    return found


async def _form_context(request: Request) -> dict[str, Any]:
    return {
        "provider_options": choices(request, PAYROLL_PROVIDERS),
        "contract_type_options": choices(request, CONTRACT_TYPES),
        "worker_type_options": choices(request, WORKER_TYPES),
        "committee_options": await joint_committees(request),
        "weekdays": weekday_names(request),
        "needs_end": sorted(NEEDS_END),
    }


async def _new_page(request: Request, worker_id: str, form: PageForm, *, status: int = 200) -> HTMLResponse:
    worker = await gateway_of(request).get(session_of(request), f"/people/workers/{worker_id}")
    return render(
        request,
        "hr/contract_new.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        form=form,
        **await _form_context(request),
    )


@router.get("/hr/workers/{worker_id}/contracts/new", response_class=HTMLResponse)
async def new_contract_page(request: Request, worker_id: str) -> Response:
    return await _new_page(request, worker_id, PageForm(values={**DEFAULTS, "start_date": _today()}))


@router.post("/hr/workers/{worker_id}/contracts", response_class=HTMLResponse)
async def sign_contract(request: Request, worker_id: str) -> Response:
    values = await submitted(request, TERM_FIELDS)
    try:
        created = await gateway_of(request).post(
            session_of(request), f"/people/workers/{worker_id}/contracts", terms_body(values)
        )
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        return await _new_page(request, worker_id, problem_form(request, refused, values), status=400)
    if values.get("payroll_provider") == "other":
        flash(request, _("The contract is recorded. Ruche will not declare its Dimona: your payroll provider does."))
    else:
        flash(request, _("The contract is recorded. Ruche declares its Dimona as soon as nothing is missing."))
    return redirect(f"/hr/workers/{worker_id}/contracts/{created['contract_id']}")


# --- A contract's page ----------------------------------------------------------------------------------------


def terms_of(contract: Mapping[str, Any]) -> dict[str, Any]:
    """The terms in force: under `terms`, or beside the contract's own fields."""
    terms = contract.get("terms")
    return dict(terms) if isinstance(terms, Mapping) else dict(contract)


def declarations_of(request: Request, contract: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every declaration sent, newest first, each anomaly with its label in the page's language."""
    language = language_of(request)
    period = (contract.get("dimona") or {}).get("period_id") or ""
    found = []
    for item in (contract.get("dimona") or {}).get("declarations") or []:
        anomalies = [
            {"code": a.get("code", ""), "label": localized(a.get("label"), language)}
            for a in item.get("anomalies") or []
        ]
        found.append(
            {
                **item,
                "type": item.get("type") or item.get("declaration_type", ""),
                "anomalies": anomalies,
                "period": item.get("dimona_period_id")
                or (period if item.get("type") == "IN" and item.get("result") in ("A", "W") else ""),
            }
        )
    return sorted(found, key=lambda d: str(d.get("sent_at") or ""), reverse=True)


async def contract_page(
    request: Request, worker_id: str, contract_id: str, forms: dict[str, PageForm] | None = None, *, status: int = 200
) -> HTMLResponse:
    gateway, session = gateway_of(request), session_of(request)
    path = f"/people/workers/{worker_id}/contracts/{contract_id}"
    worker = await gateway.get(session, f"/people/workers/{worker_id}")
    contract = await gateway.get(session, path)
    terms = terms_of(contract)
    state = str((contract.get("dimona") or {}).get("state") or "")
    readiness = None
    if terms.get("payroll_provider", "ruche") != "other" and contract.get("status") != "cancelled":
        readiness = await get_in_language(request, f"{path}/readiness")
    missing = [str(m.get("field", "")) for m in (readiness or {}).get("missing") or []]
    versions = sorted(contract.get("versions") or [], key=lambda v: str(v.get("effective_date", "")), reverse=True)
    shown = {
        "amend": PageForm(values={**terms_values(terms), "effective_date": _today()}),
        "end": PageForm(values={"end_date": _today()}),
        "cancel": PageForm(),
    }
    shown.update(forms or {})
    today = today_in_belgium()
    return render(
        request,
        "hr/contract.html",
        status=status,
        worker=worker,
        name=full_name(worker),
        contract=contract,
        status_code=contract_status_on({**terms, **contract}, today),
        terms=terms,
        schedule=terms_values(terms),
        versions=[{**v, "terms": terms_of(v)} for v in versions],
        dimona_state=state,
        dimona=contract.get("dimona") or {},
        declarations=declarations_of(request, contract),
        readiness=readiness,
        missing_personal=any(name.startswith("worker.") for name in missing),
        missing_terms=any(not name.startswith("worker.") for name in missing),
        forms=shown,
        labels={
            "provider": dict(PAYROLL_PROVIDERS),
            "contract_type": dict(CONTRACT_TYPES),
            "worker_type": dict(WORKER_TYPES),
            "status": dict(CONTRACT_STATUSES),
            "dimona": dict(DIMONA_STATES),
            "result": dict(DECLARATION_RESULTS),
        },
        tones=TONES,
        may_write=can(request, "people:write"),
        **await _form_context(request),
    )


@router.get("/hr/workers/{worker_id}/contracts/{contract_id}", response_class=HTMLResponse)
async def contract_route(request: Request, worker_id: str, contract_id: str) -> Response:
    return await contract_page(request, worker_id, contract_id)


async def _change(
    request: Request,
    ids: tuple[str, str],
    action: str,
    form_name: str,
    typed: dict[str, str],
    body: dict[str, Any],
    done: str,
) -> Response:
    """POST a change of the contract; its refusal next to the form it came from (`form_name`)."""
    worker_id, contract_id = ids
    path = f"/people/workers/{worker_id}/contracts/{contract_id}"
    try:
        await gateway_of(request).post(session_of(request), f"{path}/{action}", body)
    except ApiError as refused:
        if not is_form_problem(refused):
            raise
        form = problem_form(request, refused, typed)
        return await contract_page(request, worker_id, contract_id, {form_name: form}, status=400)
    flash(request, done)
    return redirect(f"/hr/workers/{worker_id}/contracts/{contract_id}")


@router.post("/hr/workers/{worker_id}/contracts/{contract_id}/amendments", response_class=HTMLResponse)
async def amend(request: Request, worker_id: str, contract_id: str) -> Response:
    values = await submitted(request, AMEND_FIELDS)
    body = {"effective_date": values["effective_date"], **terms_body(values)}
    other_pay = "hourly_wage" if values.get("pay", "monthly") == "monthly" else "gross_monthly_salary"
    body[other_pay] = None  # one pay at a time: the other one stops
    done = _("The amendment is recorded: a new version from its effective date, the former one kept.")
    return await _change(request, (worker_id, contract_id), "amendments", "amend", values, body, done)


@router.post("/hr/workers/{worker_id}/contracts/{contract_id}/end", response_class=HTMLResponse)
async def end(request: Request, worker_id: str, contract_id: str) -> Response:
    values = await submitted(request, ("end_date", "reason"))
    done = _("The contract ends on the date given.")
    return await _change(request, (worker_id, contract_id), "end", "end", values, dict(values), done)


@router.post("/hr/workers/{worker_id}/contracts/{contract_id}/cancel", response_class=HTMLResponse)
async def cancel(request: Request, worker_id: str, contract_id: str) -> Response:
    values = await submitted(request, ("reason",))
    body = {"reason": values["reason"]} if values["reason"] else {}
    done = _("The contract is cancelled: it never started.")
    return await _change(request, (worker_id, contract_id), "cancel", "cancel", values, body, done)


@router.post("/hr/workers/{worker_id}/contracts/{contract_id}/dimona/retry", response_class=HTMLResponse)
async def retry(request: Request, worker_id: str, contract_id: str) -> Response:
    done = _("The declaration is sent again as the contract now stands.")
    return await _change(request, (worker_id, contract_id), "dimona/retry", "retry", {}, {}, done)


def _today() -> str:
    return today_in_belgium().isoformat()
