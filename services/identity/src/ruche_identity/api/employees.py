"""Employee accounts: enrollment letters for the employer; first login, password reset, lost identifier and own
profile for the employee."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, EmailStr, Field
from ruche_servicekit.app import Database
from ruche_servicekit.openapi import problems

from ..domain.errors import ConsentRequired, LoginRefused
from ..domain.users import confirm
from ..use_cases import employees, lost_identifier
from .deps import Employee, Strict, VaultAdmin, VaultReader
from .tokens import oauth_error

router = APIRouter(tags=["employee accounts"])
Identifier = Annotated[str, Field(pattern=r"^\d{12}$", description="The 12-digit vault identifier")]
Now = Annotated[datetime, Depends(lambda: datetime.now(UTC))]
RESET_PATH = "/employees/password-reset"


class AccountOut(BaseModel):
    identifier: str
    worker_id: str
    activated: bool
    locked_until: datetime | None


class EmployeeFirstLogin(Strict):
    identifier: Identifier
    password: str = Field(min_length=1, description="The provisional password of the enrollment letter.")
    new_password: str = Field(min_length=1, max_length=256)
    new_password_confirmation: str
    email: EmailStr = Field(description="A personal e-mail: the second identifier, and where resets go.")
    email_confirmation: str


class ResetRequest(Strict):
    identifier: Identifier
    email: EmailStr


class LostIdentifier(Strict):
    last_name: str = Field(min_length=1, max_length=100)
    first_name: str = Field(min_length=1, max_length=100)
    birth_place: str = Field(min_length=1, max_length=100, description="Town of birth")
    birth_month: int = Field(ge=1, le=12)
    mobile_phone: str = Field(pattern=r"^\+?[0-9 ./-]{6,20}$")
    email: EmailStr
    email_confirmation: str
    private_number: str = Field(pattern=r"^\d{6}$", description="The private number of the enrollment letter")
    consent: bool = Field(description="The privacy policy was read and accepted")


class ResetDone(Strict):
    new_password: str = Field(min_length=1, max_length=256)
    new_password_confirmation: str


class ResetLinkOut(BaseModel):
    valid_until: datetime = Field(description="Choose the new password before then, with POST on this same URL.")


class EmailChange(Strict):
    password: str = Field(min_length=1)
    email: EmailStr
    email_confirmation: str


class PasswordChange(Strict):
    current_password: str = Field(min_length=1)
    new_password: str = Field(min_length=1, max_length=256)
    new_password_confirmation: str


class ProfileOut(BaseModel):
    identifier: str
    personal_email: str | None
    worker_id: str


async def _answer(request: Request, action: Awaitable[object]) -> Response:
    """204 when `action` succeeds, the OAuth-style refusal when it does not."""
    try:
        await action
    except LoginRefused as refused:
        return oauth_error(request, refused)
    return Response(status_code=204)


def letter_text(letter: employees.EnrollmentLetter) -> str:
    return (
        "Ruche — votre coffre-fort numérique / uw digitale kluis / your digital vault\n\n"
        f"Identifiant / Gebruikersnaam / Identifier: {letter.identifier}\n"
        f"Mot de passe provisoire / Voorlopig wachtwoord / Provisional password: {letter.provisional_password}\n"
        f"Valable jusqu'au / Geldig tot / Valid until: {letter.valid_until:%Y-%m-%d}\n"
        f"Numéro privé / Privénummer / Private number: {letter.private_number}\n"
    )


@router.post(
    "/employees/{worker_id}/enrollment-letter",
    response_class=PlainTextResponse,
    responses=problems(409),
    summary="Print the enrollment letter: identifier and a new provisional password (earlier letters lapse)",
)
async def enrollment_letter(worker_id: str, principal: VaultAdmin, db: Database, now: Now) -> PlainTextResponse:
    letter = await employees.enrollment_letter(db, tenant=principal.tenant, worker_id=worker_id, now=now)
    return PlainTextResponse(letter_text(letter), headers={"Cache-Control": "no-store"})


@router.post(
    "/employees/first-login",
    status_code=204,
    responses=problems(400),
    summary="Choose a password and a personal e-mail (each typed twice) with the letter's credentials",
)
async def first_login(request: Request, body: EmployeeFirstLogin, db: Database, now: Now) -> Response:
    return await _answer(
        request,
        employees.first_login(
            db,
            identifier=body.identifier,
            password=body.password,
            new_password=body.new_password,
            new_password_confirmation=body.new_password_confirmation,
            email=body.email,
            email_confirmation=body.email_confirmation,
            now=now,
        ),
    )


@router.post(
    RESET_PATH,
    status_code=202,
    summary="Forgotten password: identifier and personal e-mail; the same answer whether they match or not",
)
async def request_reset(body: ResetRequest, db: Database, now: Now) -> Response:
    await employees.request_reset(db, identifier=body.identifier, email=body.email, now=now)
    return Response(status_code=202)


@router.post(
    "/employees/lost-identifier",
    status_code=202,
    summary="Lost identifier: when every answer matches one account, a new identifier and provisional password are "
    "e-mailed and the old identifier stops working; the same answer either way",
)
async def lost(body: LostIdentifier, db: Database, now: Now) -> Response:
    if not body.consent:
        raise ConsentRequired("Accept the privacy policy to continue.")
    confirm(body.email.casefold(), body.email_confirmation.casefold(), field="email")
    answers = lost_identifier.Answers(
        last_name=body.last_name,
        first_name=body.first_name,
        birth_place=body.birth_place,
        birth_month=body.birth_month,
        mobile=body.mobile_phone,
        email=body.email,
        private_number=body.private_number,
    )
    await lost_identifier.recover_identifier(db, answers, now=now)
    return Response(status_code=202)


@router.get(
    f"{RESET_PATH}/{{token}}",
    response_model=ResetLinkOut,
    responses=problems(400),
    summary="The e-mailed reset link: whether it still works, and until when",
)
async def reset_link(request: Request, token: str, db: Database, now: Now) -> Response | ResetLinkOut:
    try:
        link = await employees.check_reset_link(db, token=token, now=now)
    except LoginRefused as refused:
        return oauth_error(request, refused)
    return ResetLinkOut(valid_until=link["expires_at"])


@router.post(
    f"{RESET_PATH}/{{token}}",
    status_code=204,
    responses=problems(400),
    summary="Follow the e-mailed link: the new password, typed twice; unlocks the account",
)
async def reset(request: Request, token: str, body: ResetDone, db: Database, now: Now) -> Response:
    return await _answer(
        request,
        employees.reset_password(
            db, token=token, new_password=body.new_password, confirmation=body.new_password_confirmation, now=now
        ),
    )


@router.get("/employees/me", response_model=ProfileOut, summary="The employee's own profile")
async def me(principal: Employee, db: Database) -> ProfileOut:
    doc = await employees.profile(db, principal.subject)
    return ProfileOut(
        identifier=doc.get("identifier", doc["_id"]),
        personal_email=doc.get("personal_email"),
        worker_id=doc["worker_id"],
    )


@router.post(
    "/employees/me/email",
    status_code=204,
    responses=problems(400),
    summary="Change the personal e-mail (the second identifier)",
)
async def change_email(request: Request, body: EmailChange, principal: Employee, db: Database, now: Now) -> Response:
    return await _answer(
        request,
        employees.change_email(
            db,
            principal.subject,
            password=body.password,
            email=body.email,
            confirmation=body.email_confirmation,
            now=now,
        ),
    )


@router.post(
    "/employees/me/password",
    status_code=204,
    responses=problems(400),
    summary="Change the password; other sessions end",
)
async def change_password(
    request: Request, body: PasswordChange, principal: Employee, db: Database, now: Now
) -> Response:
    return await _answer(
        request,
        employees.change_password(
            db,
            principal.subject,
            current=body.current_password,
            new=body.new_password,
            confirmation=body.new_password_confirmation,
            now=now,
        ),
    )


# Last: `/employees/{worker_id}` would otherwise catch `/employees/me`.
@router.get("/employees/{worker_id}", response_model=AccountOut, summary="A worker's employee account")
async def account(worker_id: str, principal: VaultReader, db: Database) -> AccountOut:
    doc = await employees.account_of_worker(db, tenant=principal.tenant, worker_id=worker_id)
    return AccountOut(
        identifier=doc.get("identifier", doc["_id"]),
        worker_id=doc["worker_id"],
        activated=doc.get("activated_at") is not None,
        locked_until=doc.get("locked_until"),
    )
