"""The Belgian joint committees a contract may name (shipped in `reference/joint_committees.json`, with their
fr/nl/en labels), and which of them allow flexi-jobs (FLX) and occasional workers (EXT)."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DIMONA_ONLY = "XXX"  # Dimona's pseudo committee for ordinary workers of 144, 145 and 302: never a contract's
LANGUAGES = ("fr", "nl", "en")


@dataclass(frozen=True)
class JointCommittee:
    number: str
    label: dict[str, str]
    flexi: bool
    occasional: bool


@cache
def catalogue() -> dict[str, JointCommittee]:
    raw = json.loads((Path(__file__).parent / "reference" / "joint_committees.json").read_text(encoding="utf-8"))
    return {
        c["number"]: JointCommittee(c["number"], c["label"], bool(c["flexi"]), bool(c["occasional"]))
        for c in raw["committees"]
    }


def exists(number: str) -> bool:
    return number in catalogue()


def allows_flexi(number: str) -> bool:
    committee = catalogue().get(number)
    return committee is not None and committee.flexi


def allows_occasional(number: str) -> bool:
    committee = catalogue().get(number)
    return committee is not None and committee.occasional


def _folded(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def search(query: str | None, language: str) -> list[tuple[str, str]]:
    """(number, label in `language`) of the committees whose number starts with, or label contains, `query`."""
    wanted = _folded(query or "")
    found = []
    for committee in catalogue().values():
        label = committee.label.get(language) or committee.label["en"]
        if not wanted or committee.number.startswith(wanted) or wanted in _folded(label):
            found.append((committee.number, label))
    return found
