"""Events produced by the identity service."""

from typing import ClassVar

from pydantic import Field

from .envelope import Payload


class EnterpriseRegistered(Payload):
    event_type: ClassVar[str] = "be.ruche.identity.enterprise-registered.v1"
    producer: ClassVar[str] = "identity"

    enterprise_number: str = Field(pattern=r"^[01]\d{9}$")
    name: str
    access_manager_id: str = Field(description="User id of the enterprise's first access manager.")
