"""The enterprise pages' own rules, without infrastructure: identifiers written the Belgian way, identity's
refusals put next to the right field in the page's language, and which refusals stay the console's error pages."""

from __future__ import annotations

from datetime import UTC, datetime

from ruche_console.gateway import ApiError
from ruche_console.pages.enterprise import mandates, shared
from ruche_console.sessions import Session
from starlette.requests import Request


def request_in(accept_language: str) -> Request:
    now = datetime.now(UTC)
    session = Session(id="s", csrf="c", created_at=now, seen_at=now)
    headers = [(b"accept-language", accept_language.encode())]
    return Request({"type": "http", "headers": headers, "query_string": b"", "state": {"session": session}})


def test_identifiers_are_written_as_on_the_cards() -> None:
    assert shared.enterprise_number("0403019261") == "0403.019.261"
    assert shared.niss("85073003328") == "85.07.30-033.28"
    assert shared.enterprise_number("BE0403") == "BE0403"  # anything else as it came


def test_a_refused_application_of_a_mandate_is_said_next_to_the_checkboxes() -> None:
    refused = ApiError(
        422,
        {
            "type": "https://ruche.example/problems/validation-error",
            "errors": [{"field": "applications.0", "type": "literal_error", "message": "Input should be ..."}],
        },
    )
    form = shared.problem_form(
        request_in("nl-BE"), refused, {}, mandates.MESSAGES, fields={"applications": "applications"}
    )
    assert form.errors == {"applications": "Kies uit de voorgestelde toepassingen."}


def test_a_refusal_naming_a_field_stays_on_the_form_and_a_plain_404_becomes_the_error_page() -> None:
    own_number = ApiError(
        403,
        {
            "type": "https://ruche.example/problems/not-allowed",
            "errors": [{"field": "provider_enterprise_number", "type": "not-allowed"}],
        },
    )
    assert shared.is_form_problem(own_number, mandates.MESSAGES)
    form = shared.problem_form(request_in("fr-BE"), own_number, {}, mandates.MESSAGES)
    assert form.errors["provider_enterprise_number"].startswith("Votre propre entreprise n'a pas besoin de mandat")
    assert not shared.is_form_problem(ApiError(404, {"type": "about:blank"}), shared.MESSAGES)
