"""The user list as CSV that opens correctly in a spreadsheet.

UTF-8 with a byte-order mark (so Excel reads accents right), `;` as separator (what Excel expects in
Belgian locales), every field quoted by the csv module as needed, and formula injection neutralised: a
cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe (OWASP advice).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ..domain.users import User

BOM = "\ufeff"
DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
COLUMNS = ("last_name", "first_name", "username", "type", "niss", "status", "email", "applications", "last_login")


def neutralise(cell: str) -> str:
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def _row(user: User) -> list[str]:
    applications = ", ".join(f"{app}:{profile}" for app, profile in sorted(user.grants.items()))
    last_login = user.last_login_at.isoformat(timespec="seconds") if user.last_login_at else ""
    return [
        user.last_name,
        user.first_name,
        user.username,
        user.kind,
        user.niss,
        user.status,
        user.email,
        applications,
        last_login,
    ]


def users_csv(users: Iterable[User]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for user in users:
        writer.writerow([neutralise(cell) for cell in _row(user)])
    return BOM + buffer.getvalue()
