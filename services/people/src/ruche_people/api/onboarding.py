"""Self-service onboarding: HR's routes (send, review, validate, withdraw) under the worker, with a bearer token;
the new hire's routes under `/onboarding/{token}`, opened by the link's token alone and reaching only its form."""

from __future__ import annotations

from fastapi import APIRouter
from ruche_servicekit.app import Database
from ruche_servicekit.openapi import problems

from ..use_cases import onboarding
from ..use_cases.common import today_in_belgium
from ..use_cases.onboarding import Form
from .deps import CanRead, CanWrite, Now
from .schemas import (
    Corrections,
    FormOut,
    OnboardingOut,
    OnboardingRequest,
    PersonalDataDraft,
    SentOut,
    WorkerOut,
    shown_fields,
)

router = APIRouter(tags=["onboarding"])
public = APIRouter(tags=["onboarding (new hire)"])


@router.post(
    "/workers/{worker_id}/onboarding",
    status_code=201,
    response_model=SentOut,
    responses=problems(404, 409, 422),
    summary="Mail the new hire a single-use link (14 days); a previous link stops working",
)
async def send_link(worker_id: str, body: OnboardingRequest, principal: CanWrite, db: Database, now: Now) -> SentOut:
    sent = await onboarding.send_link(
        db, tenant=principal.tenant, worker_id=worker_id, email=str(body.email), language=body.language, now=now
    )
    return SentOut(state=sent.onboarding.state, expires_at=sent.onboarding.expires_at)


@router.get(
    "/workers/{worker_id}/onboarding",
    response_model=OnboardingOut,
    responses=problems(404),
    summary="The onboarding's state and the values given, each with its origin",
)
async def review(worker_id: str, principal: CanRead, db: Database) -> OnboardingOut:
    return OnboardingOut.of(await onboarding.review(db, tenant=principal.tenant, worker_id=worker_id))


@router.post(
    "/workers/{worker_id}/onboarding/validate",
    response_model=WorkerOut,
    responses=problems(404, 409, 422),
    summary="HR's corrections, then validation: the data now count",
)
async def validate(worker_id: str, body: Corrections, principal: CanWrite, db: Database, now: Now) -> WorkerOut:
    worker = await onboarding.validate(
        db,
        tenant=principal.tenant,
        worker_id=worker_id,
        corrections=body.corrections.model_dump(exclude_unset=True),
        actor=principal.subject,
        now=now,
    )
    return WorkerOut.of(worker, today=today_in_belgium(now))


@router.delete(
    "/workers/{worker_id}/onboarding",
    response_model=OnboardingOut,
    responses=problems(404, 409),
    summary="Withdraw the link",
)
async def withdraw(worker_id: str, principal: CanWrite, db: Database) -> OnboardingOut:
    return OnboardingOut.of(await onboarding.withdraw(db, tenant=principal.tenant, worker_id=worker_id))


# The new hire ------------------------------------------------------------------------------------------------
LINK_PROBLEMS = problems(404, 410)


@public.get("/onboarding/{token}", response_model=FormOut, responses=LINK_PROBLEMS, summary="The new hire's form")
async def open_form(token: str, db: Database, now: Now) -> FormOut:
    return _form(await onboarding.open_form(db, token=token, now=now))


@public.put(
    "/onboarding/{token}",
    response_model=FormOut,
    responses=problems(404, 410, 422),
    summary="Save a draft (fields checked one by one; missing ones allowed)",
)
async def save_draft(token: str, body: PersonalDataDraft, db: Database, now: Now) -> FormOut:
    values = body.model_dump(exclude_unset=True)
    return _form(await onboarding.save_draft(db, token=token, values=values, now=now))


@public.post(
    "/onboarding/{token}/submit",
    response_model=FormOut,
    responses=problems(404, 410, 422),
    summary="Submit: every field required and checked; the link is used",
)
async def submit(token: str, db: Database, now: Now) -> FormOut:
    return _form(await onboarding.submit(db, token=token, now=now))


def _form(form: Form) -> FormOut:
    o = form.onboarding
    return FormOut(
        first_name=form.first_name,
        last_name=form.last_name,
        state=o.state,
        language=o.language,
        expires_at=o.expires_at,
        draft=shown_fields(o.draft),
    )
