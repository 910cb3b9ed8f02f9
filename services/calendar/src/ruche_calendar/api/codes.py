"""Calendar codes over HTTP: the employer's codes with their settings, labelled in the caller's language, and
the settings of one code (active, and for leave types the self-service and validation switches). Calls use cases
only."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, ConfigDict, Field, StrictBool
from ruche_contracts.permissions import Permission
from ruche_servicekit.app import Database
from ruche_servicekit.auth import Principal, require

from ..domain import codes as catalogue
from ..domain.codes import EmployerCode, Kind, Unit
from ..use_cases import codes

router = APIRouter(tags=["codes"])
CanRead = Annotated[Principal, Depends(require(Permission.CALENDAR_READ))]
CanWrite = Annotated[Principal, Depends(require(Permission.CALENDAR_WRITE))]
AcceptLanguage = Annotated[str | None, Header(description="fr, nl or en; English otherwise")]


class Labels(BaseModel):
    fr: str
    nl: str
    en: str


class CodeOut(BaseModel):
    code: str
    label: str = Field(description="In the Accept-Language language (fr, nl, en; English otherwise).")
    labels: Labels
    kind: Kind = Field(description="performance: a day code; salary_element: a one-off element of a month.")
    unit: Unit
    dmfa_code: int | None = Field(description="The DmfA working-time code its days are declared under.")
    worked: bool = Field(description="Counts as worked time.")
    meal_voucher: bool = Field(description="A day under it counts for a meal voucher.")
    max_hours_per_day: int | None
    leave_type: bool = Field(description="Employees may request it and a manager validate it, when switched on.")
    always_active: bool = Field(description="The planning's own codes (WORK, PH): never deactivated.")
    note: str | None
    active: bool
    requestable: bool = Field(description="Employees may request it in self-service (leave types only).")
    needs_validation: bool = Field(description="A manager validates its requests (leave types only).")
    updated_at: datetime | None = Field(description="When the employer last changed it; null: the defaults.")
    updated_by: str | None

    @classmethod
    def of(cls, c: EmployerCode, language: str) -> CodeOut:
        code = c.code
        return cls(
            code=code.code,
            label=code.label(language),
            labels=Labels(fr=code.labels["fr"], nl=code.labels["nl"], en=code.labels["en"]),
            kind=code.kind,
            unit=code.unit,
            dmfa_code=code.dmfa_code,
            worked=code.worked,
            meal_voucher=code.meal_voucher,
            max_hours_per_day=code.max_hours_per_day,
            leave_type=code.leave_type,
            always_active=code.always_active,
            note=code.note,
            active=c.settings.active,
            requestable=c.settings.requestable,
            needs_validation=c.settings.needs_validation,
            updated_at=c.updated_at,
            updated_by=c.updated_by,
        )


class CodesOut(BaseModel):
    items: list[CodeOut]
    total: int


class CodeSettingsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    active: StrictBool
    requestable: StrictBool | None = Field(
        default=None, description="Leave types only (true refused on other codes); left out: unchanged."
    )
    needs_validation: StrictBool | None = Field(
        default=None, description="Leave types only (true refused on other codes); left out: unchanged."
    )


@router.get("/codes", response_model=CodesOut, summary="The employer's calendar codes with their settings")
async def list_codes(
    principal: CanRead,
    db: Database,
    include_inactive: bool = False,
    kind: Kind | None = None,
    accept_language: AcceptLanguage = None,
) -> CodesOut:
    found = await codes.list_codes(db, tenant=principal.tenant, include_inactive=include_inactive, kind=kind)
    language = catalogue.language_of(accept_language)
    return CodesOut(items=[CodeOut.of(c, language) for c in found], total=len(found))


@router.get("/codes/{code}", response_model=CodeOut, summary="One calendar code with the employer's settings")
async def get_code(code: str, principal: CanRead, db: Database, accept_language: AcceptLanguage = None) -> CodeOut:
    found = await codes.get_code(db, tenant=principal.tenant, code=code)
    return CodeOut.of(found, catalogue.language_of(accept_language))


@router.put(
    "/codes/{code}/settings",
    response_model=CodeOut,
    summary="Activate or deactivate a code; for a leave type, allow self-service requests and require validation",
)
async def change_code_settings(
    code: str,
    body: CodeSettingsIn,
    principal: CanWrite,
    db: Database,
    accept_language: AcceptLanguage = None,
) -> CodeOut:
    changed = await codes.change_code_settings(
        db,
        tenant=principal.tenant,
        code=code,
        active=body.active,
        requestable=body.requestable,
        needs_validation=body.needs_validation,
        actor=principal.subject,
    )
    return CodeOut.of(changed, catalogue.language_of(accept_language))
