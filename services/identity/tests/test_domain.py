from datetime import UTC, datetime

import pytest
from ruche_identity.adapters.passwords import common_passwords
from ruche_identity.domain.applications import APPLICATIONS, permissions_of
from ruche_identity.domain.designations import new_ticket, normalize_ticket
from ruche_identity.domain.errors import Mismatch, NotAllowed, UnknownApplication, WeakPassword
from ruche_identity.domain.logins import LoginAttempts
from ruche_identity.domain.tokens import ACCESS_TOKEN_TTL, MANDATED_KIND, access_token_claims
from ruche_identity.domain.users import (
    User,
    check_can_create,
    check_can_manage,
    check_password_policy,
    confirm,
    grant,
    revoke,
    search_key,
)


def user(kind="user", **overrides) -> User:
    values = dict(
        user_id="u1",
        tenant="0403019261",
        username="an.peeters",
        last_name="Peeters",
        first_name="An",
        niss="85073003328",
        email="a@example.be",
        kind=kind,
    )
    return User(**(values | overrides))


def test_short_common_and_username_passwords_are_refused() -> None:
    with pytest.raises(WeakPassword):
        check_password_policy("short", username="an.peeters")
    with pytest.raises(WeakPassword):
        check_password_policy("my-AN.PEETERS-pass", username="an.peeters")
    with pytest.raises(WeakPassword, match="common"):
        check_password_policy("GreenLantern", username="jo", common=common_passwords())
    check_password_policy("correct horse battery staple", username="an.peeters", common=common_passwords())


def test_passwords_are_case_sensitive_but_the_common_check_is_not() -> None:
    assert "playstation3" in common_passwords()
    with pytest.raises(WeakPassword, match="common"):
        check_password_policy("PlayStation3", username="jo", common=common_passwords())


def test_each_population_has_its_minimum_length() -> None:
    with pytest.raises(WeakPassword, match="12"):
        check_password_policy("eleven char", username="an")  # 11 characters
    check_password_policy("eleven chars", username="an")  # 12
    with pytest.raises(WeakPassword, match="12"):
        check_password_policy("ten chars!", username="an", population="management")
    check_password_policy("ten chars!", username="an", population="employee")


def test_a_confirmation_that_differs_names_its_field() -> None:
    with pytest.raises(Mismatch) as refused:
        confirm("an.peeters", "an.peters", field="username")
    assert refused.value.field == "username_confirmation"


def test_a_user_holds_one_profile_per_application() -> None:
    u = grant(grant(user(), "people", "reader"), "people", "manager")
    assert dict(u.grants) == {"people": "manager"}
    assert set(u.permissions) == {"people:read", "people:write"}
    assert dict(revoke(u, "people").grants) == {}
    assert revoke(u, "people").permissions == ()


def test_unknown_applications_and_profiles_are_refused_by_name() -> None:
    with pytest.raises(UnknownApplication) as no_app:
        grant(user(), "payroll", "reader")
    assert no_app.value.field == "application"
    with pytest.raises(UnknownApplication) as no_profile:
        grant(user(), "people", "boss")
    assert no_profile.value.field == "profile"


def test_managers_hold_every_application_and_user_management() -> None:
    every = {p for app in APPLICATIONS for p in app.profiles[-1].permissions}
    for kind in ("access_manager", "co_manager"):
        permissions = set(permissions_of(kind, {}))
        assert every <= permissions
        assert {"identity:users:write", "identity:audit:read"} <= permissions
    assert "identity:users:write" not in permissions_of("user", {"access": "reader"})


def test_only_the_access_manager_appoints_co_managers_and_nobody_creates_access_managers() -> None:
    check_can_create(user("access_manager"), "co_manager")
    with pytest.raises(NotAllowed):
        check_can_create(user("co_manager"), "co_manager")
    with pytest.raises(NotAllowed):
        check_can_create(user("access_manager"), "access_manager")


def test_who_manages_whom() -> None:
    manager, co = user("access_manager", user_id="m"), user("co_manager", user_id="c")
    check_can_manage(manager, co)
    check_can_manage(co, user(user_id="x"))
    with pytest.raises(NotAllowed):
        check_can_manage(co, manager)
    with pytest.raises(NotAllowed):
        check_can_manage(co, user("co_manager", user_id="c2"))
    with pytest.raises(NotAllowed):
        check_can_manage(manager, manager)


def test_search_keys_ignore_case_and_accents() -> None:
    assert search_key("Élodie") == search_key("elodie") == "elodie"
    assert search_key("Van Der Straeten-Müller") == "van der straeten-muller"


def test_access_token_claims_carry_tenant_permissions_and_a_short_expiry() -> None:
    u = grant(user(), "people", "reader")
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    claims = access_token_claims(u, now=now, issuer="iss", audience="aud", token_id="t")
    assert claims["tenant"] == "0403019261"
    assert claims["permissions"] == ["people:read"]
    assert claims["exp"] - claims["iat"] == ACCESS_TOKEN_TTL.total_seconds()
    assert "niss" not in claims  # no personal data in tokens


def test_token_times_are_whole_seconds_and_the_millisecond_is_kept_apart() -> None:
    now = datetime(2026, 11, 22, 12, 0, 0, 456_789, tzinfo=UTC)
    claims = access_token_claims(user(), now=now, issuer="iss", audience="aud", token_id="t")
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert claims["iat_ms"] == int(now.timestamp() * 1000)
    assert claims["iat_ms"] // 1000 == claims["iat"]


def test_a_token_under_a_mandate_does_not_carry_the_providers_own_role() -> None:
    manager = user("access_manager", tenant="0428759497")
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    claims = access_token_claims(
        manager, now=now, issuer="iss", audience="aud", token_id="t", mandate=("m1", "0403019261", ("people:read",))
    )
    assert (claims["tenant"], claims["kind"], claims["provider"]) == ("0403019261", MANDATED_KIND, "0428759497")
    assert claims["permissions"] == ["people:read"]


def test_tickets_are_unguessable_and_tolerant_of_how_they_are_typed() -> None:
    tickets = {new_ticket() for _ in range(1000)}
    assert len(tickets) == 1000
    ticket = tickets.pop()
    assert len(ticket.replace("-", "")) == 16  # 80 random bits
    assert normalize_ticket(ticket.lower().replace("-", " ")) == ticket
    assert normalize_ticket("abcd-efgh-jkmn-pqrs".replace("1", "l")) == "ABCD-EFGH-JKMN-PQRS"


def test_three_failures_lock_for_120_minutes_with_an_injected_clock() -> None:
    from datetime import timedelta

    t0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    attempts = LoginAttempts().failed(t0).failed(t0)
    assert not attempts.locked(t0)
    attempts = attempts.failed(t0 + timedelta(minutes=1))
    assert attempts.locked_until == t0 + timedelta(minutes=121)
    assert attempts.locked(t0 + timedelta(minutes=1 + 119))  # 119 minutes later: still locked
    assert not attempts.locked(t0 + timedelta(minutes=1 + 120))  # 120 minutes later: open
    after = attempts.failed(t0 + timedelta(minutes=200))  # a lock that ran out starts a fresh count
    assert (after.failures, after.locked_until) == (1, None)
