import csv
import io
from datetime import UTC, datetime

from ruche_identity.api.users_csv import BOM, users_csv
from ruche_identity.domain.users import User


def test_accents_quotes_and_formulas_survive_a_round_trip_and_formulas_are_neutralised() -> None:
    users = [
        User(
            user_id="1",
            tenant="0403019261",
            username="e.dubois",
            last_name="=cmd|' /C calc'!A0",
            first_name='Élodie; "Lou"',
            niss="85073003328",
            email="e@example.be",
            kind="user",
            grants={"people": "reader", "presence": "registrar"},
            last_login_at=datetime(2026, 1, 2, tzinfo=UTC),
        ),
        User(
            user_id="2",
            tenant="0403019261",
            username="@admin",
            last_name="-1+1",
            first_name="Zoë",
            niss="93051822361",
            email="z@example.be",
            kind="co_manager",
        ),
    ]
    text = users_csv(users)
    assert text.startswith(BOM)
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM)), delimiter=";"))
    assert rows[0][:3] == ["last_name", "first_name", "username"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0"  # a spreadsheet shows it as text, never runs it
    assert rows[1][1] == 'Élodie; "Lou"'
    assert rows[1][7] == "people:reader, presence:registrar"
    assert rows[2][0] == "'-1+1" and rows[2][2] == "'@admin" and rows[2][1] == "Zoë"
    assert len(rows) == 3
