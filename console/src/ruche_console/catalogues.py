"""The message catalogues, kept in step with the code: `python -m ruche_console.catalogues [--area AREA]` extracts
every text marked for translation (`_("...")` in Python, `_()` in templates) with Babel, by area, and merges it
into `locales/<language>/LC_MESSAGES/<area>.po`, keeping what is translated; `--check` lists what is not.

An area is what a file is about: `pages/<area>.py` (or `pages/<area>/…`) and `templates/<area>/…`; everything
else (the layout, the forms, the error messages) is `common`. English is the source language and needs no
catalogue.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).parent
LOCALES = PACKAGE / "locales"
TRANSLATED = ("fr", "nl")
METHODS = [("pages/**.py", "python"), ("*.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}}


def area_of(path: str) -> str:
    parts = Path(path).parts
    if parts[0] == "pages" and len(parts) >= 2 and parts[1] != "__init__.py":
        return Path(parts[1]).stem  # pages/<area>.py, or the package pages/<area>/ once it grows
    if parts[0] == "templates" and len(parts) > 2 and parts[1] not in ("macros", "errors"):
        return parts[1]
    return "common"


def extracted() -> dict[str, dict[str, list[tuple[str, int]]]]:
    """area → message id → where it is used."""
    found: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(dict)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), METHODS, options_map=OPTIONS, keywords=KEYWORDS
    ):
        if filename.startswith("catalogues") or not message:
            continue
        text = message if isinstance(message, str) else message[0]
        found[area_of(filename)].setdefault(text, []).append((filename, lineno))
    return found


def _path(language: str, area: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{area}.po"


def load(language: str, area: str) -> Catalog:
    path = _path(language, area)
    if not path.exists():
        return Catalog(locale=language, domain=area, project="Ruche console")
    with path.open("rb") as source:
        return read_po(source, locale=language)


def update(areas: set[str] | None = None) -> None:
    for area, messages in extracted().items():
        if areas and area not in areas:
            continue
        for language in TRANSLATED:
            old = load(language, area)
            new = Catalog(locale=language, domain=area, project="Ruche console")
            for text, places in sorted(messages.items()):
                kept = old.get(text)
                new.add(text, kept.string if kept else "", locations=places)
            path = _path(language, area)
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("wb") as target:
                write_po(target, new, width=120, omit_header=False, sort_output=True)


def untranslated() -> list[str]:
    """Every text used somewhere and missing from a language's catalogues (any area's)."""
    missing = []
    for language in TRANSLATED:
        known: dict[str, str] = {}
        for path in sorted((LOCALES / language / "LC_MESSAGES").glob("*.po")):
            with path.open("rb") as source:
                for message in read_po(source, locale=language):
                    if message.id and message.string:
                        known[str(message.id)] = str(message.string)
        for area, messages in extracted().items():
            missing += [f"{language} ({area}): {text}" for text in messages if text not in known]
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ruche_console.catalogues", description=__doc__)
    parser.add_argument("--area", action="append", help="update only this area (repeatable)")
    parser.add_argument("--check", action="store_true", help="list untranslated texts; exit 1 if any")
    args = parser.parse_args(argv)
    if args.check:
        missing = untranslated()
        print("\n".join(missing) or "every text is translated")
        return 1 if missing else 0
    update(set(args.area) if args.area else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
