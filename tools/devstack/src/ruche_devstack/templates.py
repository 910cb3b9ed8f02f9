"""Renders infra/ templates whose placeholders look like {{name}} (nginx's own syntax uses $)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def render(template: str, values: Mapping[str, object]) -> str:
    missing = sorted({m.group(1) for m in _PLACEHOLDER.finditer(template)} - values.keys())
    if missing:
        raise KeyError(f"template placeholders without a value: {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def render_file(template: Path, destination: Path, values: Mapping[str, object]) -> Path:
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_text(render(template.read_text(), values))
    return destination
