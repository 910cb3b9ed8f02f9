"""Languages: French, Dutch and English message catalogues (gettext .po files, one per area of the console, read
with Babel at start), the visitor's language, and Belgian formats for dates and amounts.

The language is the one the visitor chose (the switch on every page), else the signed-in person's profile
language, else the best of the browser's Accept-Language, else French. German profiles read English until German
texts exist.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal
from babel.support import Translations

LANGUAGES = ("fr", "nl", "en")
DEFAULT = "fr"
NAMES = {"fr": "Français", "nl": "Nederlands", "en": "English"}
LOCALES = {"fr": "fr_BE", "nl": "nl_BE", "en": "en_BE"}
FALLBACK = {"de": "en"}
CATALOGUES = Path(__file__).parent / "locales"
TIMEZONE = "Europe/Brussels"


@cache
def translations(language: str) -> Translations:
    """Every catalogue of the language merged (English needs none: the source texts are English)."""
    merged = Translations()
    for po in sorted((CATALOGUES / language / "LC_MESSAGES").glob("*.po")):
        with po.open("rb") as source:
            catalogue = read_po(source, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalogue)
        buffer.seek(0)
        merged.merge(Translations(buffer))
    return merged


def supported(language: str | None) -> str | None:
    if not language:
        return None
    language = language.split("-")[0].split("_")[0].lower()
    language = FALLBACK.get(language, language)
    return language if language in LANGUAGES else None


def from_accept_language(header: str | None) -> str | None:
    """The best supported language of an Accept-Language header, by its q-values."""
    if not header:
        return None
    weighted = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if (language := supported(tag)) and quality > 0:
            weighted.append((-quality, position, language))
    return min(weighted)[2] if weighted else None


class Formats:
    """Dates, times and amounts as Belgians write them, in the page's language."""

    def __init__(self, language: str) -> None:
        self.locale = Locale.parse(LOCALES[language])

    def date(self, value: date | datetime | str | None) -> str:
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        return format_date(value, format="medium", locale=self.locale)

    def datetime(self, value: datetime | str | None) -> str:
        if value in (None, ""):
            return ""
        if isinstance(value, str):
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return format_datetime(value, format="medium", tzinfo=_brussels(), locale=self.locale)

    def money(self, value: Decimal | float | str | None) -> str:
        if value in (None, ""):
            return ""
        return format_currency(Decimal(str(value)), "EUR", locale=self.locale)

    def number(self, value: Decimal | float | str | None) -> str:
        if value in (None, ""):
            return ""
        return format_decimal(Decimal(str(value)), locale=self.locale)


def _brussels() -> ZoneInfo:
    return ZoneInfo(TIMEZONE)
