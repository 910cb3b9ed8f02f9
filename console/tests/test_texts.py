"""Every text of the console exists in French and Dutch, the language is chosen as promised, and Belgian formats
apply (no infrastructure needed)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from ruche_console import catalogues, i18n
from ruche_console.pages.account import safe_next


def test_every_text_is_translated_in_french_and_dutch() -> None:
    assert catalogues.untranslated() == []


def test_translations_are_used() -> None:
    assert i18n.translations("fr").gettext("Sign in") == "Se connecter"
    assert i18n.translations("nl").gettext("Sign in") == "Aanmelden"
    assert i18n.translations("en").gettext("Sign in") == "Sign in"


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("nl-BE,nl;q=0.9,fr;q=0.8", "nl"),
        ("de-DE,de;q=0.9", "en"),  # German reads English until German texts exist
        ("es-ES, fr;q=0.2", "fr"),
        ("es-ES", None),
        ("en;q=0.5, nl;q=0.7", "nl"),
        ("", None),
    ],
)
def test_the_browsers_language_is_read_by_preference(header: str, chosen: str | None) -> None:
    assert i18n.from_accept_language(header) == chosen


def test_dates_and_amounts_are_written_the_belgian_way() -> None:
    fr, nl = i18n.Formats("fr"), i18n.Formats("nl")
    assert fr.date(date(2026, 3, 9)) == "9 mars 2026"
    assert nl.date(date(2026, 3, 9)) == "9 mrt 2026"
    assert fr.money(Decimal("3150.5")) == "3\u202f150,50\xa0€"
    assert nl.money("3150.5") == "€\xa03.150,50"
    assert fr.datetime(datetime(2026, 7, 1, 10, 0, tzinfo=UTC)).startswith("1 juil. 2026, 12:00")  # Brussels time


@pytest.mark.parametrize("target", ["//evil.example/x", "https://evil.example", "\\\\evil", "", None])
def test_only_local_paths_follow_a_sign_in(target: str | None) -> None:
    assert safe_next(target) is None
    assert safe_next("/access/users?offset=50") == "/access/users?offset=50"


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_a_text_shared_by_areas_has_one_translation(language: str) -> None:
    # The areas' catalogues are merged into one: a text translated two ways in two areas would take one area's
    # wording on the other's pages (a "Remove" button became "Supprimer" on the co-managers' page).
    from pathlib import Path

    from babel.messages.pofile import read_po

    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    folder = Path(i18n.__file__).parent / "locales" / language / "LC_MESSAGES"
    for po in sorted(folder.glob("*.po")):
        with po.open("rb") as f:
            for message in read_po(f):
                if not message.id or not message.string or not isinstance(message.id, str):
                    continue
                first = seen.setdefault(message.id, (po.stem, str(message.string)))
                if first[1] != message.string:
                    clashes.append((message.id, first, (po.stem, message.string)))
    assert clashes == []
