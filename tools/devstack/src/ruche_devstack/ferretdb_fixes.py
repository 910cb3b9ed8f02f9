"""Two source fixes applied to FerretDB 1.24.2 before it is built, so that a lookup by `_id` uses the `_id` index.

FerretDB 1.24's SQLite backend creates every collection's unique index on `_ferretdb_sjson->"_id"`, but queries,
updates and deletes by `_id` filter on `_ferretdb_sjson->'$._id'`: an expression SQLite does not match to that
index, so every lookup by `_id` scans and JSON-parses the whole table. Measured with 10,000 documents of 1 KB:
85 ms per `find_one({"_id": ...})` and 110 ms per update; with the fixes, 0.9 ms and 1.5 ms (SQLite's plan turns
from `SCAN` into `SEARCH ... USING INDEX`). And the backend only looks for `_id` when it is the filter's single key,
so `{"_id": x, "tenant": t}` scanned too; it now narrows on `_id` whenever the filter has one (FerretDB still
applies the whole filter to what SQLite returns, so results do not change).

FerretDB v1 is in maintenance (development moved to v2 on PostgreSQL with DocumentDB), so these fixes are kept
here as exact, checked replacements: provisioning fails loudly if the pinned source does not read as expected.
`tools/devstack/tests/test_real_infra.py` checks with `explain` that lookups by `_id` use the index.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SourceFix:
    path: str  # relative to the module root
    old: str
    new: str
    count: int  # how many times `old` must occur


SOURCE_FIXES: tuple[SourceFix, ...] = (
    SourceFix(
        "internal/backends/sqlite/metadata/metadata.go",
        "IDColumn = DefaultColumn + \"->'$._id'\"",
        "IDColumn = DefaultColumn + \"->'_id'\"",
        1,
    ),
    # In collection.go's Query and Explain: pushdown of `_id` equality whatever the filter's other keys.
    SourceFix(
        "internal/backends/sqlite/collection.go",
        "if params.Filter.Len() == 1 {",
        "if params.Filter.Len() >= 1 {",
        2,
    ),
)


def apply(module_root: Path) -> None:
    for fix in SOURCE_FIXES:
        path = module_root / fix.path
        text = path.read_text()
        found = text.count(fix.old)
        if found != fix.count:
            raise RuntimeError(f"FerretDB source fix does not apply to {fix.path}: expected {fix.count}, found {found}")
        path.write_text(text.replace(fix.old, fix.new))


def fingerprint() -> str:
    """Changes whenever a fix changes, so the cached binary is rebuilt."""
    return hashlib.sha256(repr(SOURCE_FIXES).encode()).hexdigest()[:16]
