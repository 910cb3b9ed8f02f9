"""What people's routes need: the caller with the permission a route requires, and the time of the request."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends
from pydantic import BaseModel, ConfigDict
from ruche_contracts.permissions import Permission
from ruche_servicekit.auth import Principal, require

CanRead = Annotated[Principal, Depends(require(Permission.PEOPLE_READ))]
CanWrite = Annotated[Principal, Depends(require(Permission.PEOPLE_WRITE))]


def now() -> datetime:
    """The request's time; tests override this dependency to move the clock."""
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(now)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
