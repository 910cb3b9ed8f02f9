"""Mandates at the use-case tier: a provider's user acts for the employer within the mandated applications only,
under a role of its own, until either side ends the mandate."""

from __future__ import annotations

import jwt
import pytest
from ruche_contracts.identity import MandateGranted, MandateRevoked
from ruche_identity.domain.errors import LoginRefused, MandateExists, NotFound, UnknownApplication
from ruche_identity.repository import names
from ruche_identity.use_cases import mandates, tokens
from ruche_testing import pending_events, random_enterprise_number

from .conftest import MANAGER_PASSWORD, T0, Enterprise, designate
from .test_tokens import ISSUER


async def test_a_provider_acts_for_the_employer_within_the_mandate_until_it_ends(db, enterprise: Enterprise) -> None:
    provider_number = random_enterprise_number()
    provider = await designate(db, provider_number)
    mandate = await mandates.grant(db, enterprise.manager, provider=provider_number, applications=["people"], now=T0)
    [granted] = await pending_events(db, names.MANDATES, mandate["_id"])
    assert isinstance(granted.data, MandateGranted) and granted.tenant == enterprise.number
    with pytest.raises(MandateExists) as twice:
        await mandates.grant(db, enterprise.manager, provider=provider_number, applications=["calendar"], now=T0)
    assert twice.value.kind == "mandate-exists"
    with pytest.raises(UnknownApplication):
        await mandates.grant(db, enterprise.manager, provider=provider_number, applications=["access"], now=T0)

    request = tokens.TokenRequest(
        "password", username=provider.username, password=MANAGER_PASSWORD, acting_for=enterprise.number
    )
    issued = await tokens.grant(db, request, ISSUER, now=T0)
    claims = jwt.decode(issued.access_token, options={"verify_signature": False})
    assert claims["tenant"] == enterprise.number and claims["provider"] == provider_number
    assert claims["kind"] == "service_provider"  # not the provider's own "access_manager"
    assert sorted(claims["permissions"]) == ["people:read", "people:write"]
    assert claims["mandate"] == mandate["_id"] and issued.refresh_token is None

    ended = await mandates.revoke(db, provider, mandate["_id"], now=T0)  # the provider may end it too
    assert ended["status"] == "revoked"
    *_, revoked, ended = await pending_events(db, names.MANDATES, mandate["_id"])
    assert isinstance(revoked.data, MandateRevoked)
    assert ended.data.subject == f"mandate:{mandate['_id']}"  # every session under it ends
    with pytest.raises(LoginRefused, match="no mandate"):
        await tokens.grant(db, request, ISSUER, now=T0)


async def test_a_third_enterprise_neither_sees_nor_ends_a_mandate(db, enterprise: Enterprise) -> None:
    provider_number, stranger_number = random_enterprise_number(), random_enterprise_number()
    await designate(db, provider_number)
    stranger = await designate(db, stranger_number)
    mandate = await mandates.grant(db, enterprise.manager, provider=provider_number, applications=["vault"], now=T0)
    assert await mandates.visible(db, stranger, limit=50, offset=0) == ([], 0)
    with pytest.raises(NotFound):
        await mandates.revoke(db, stranger, mandate["_id"], now=T0)
