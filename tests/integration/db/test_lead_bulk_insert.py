"""A CSV import's bulk insert (SQLite: a temporary table and one INSERT ... SELECT; PostgreSQL:
COPY) stores exactly what the file says: text with tabs, newlines, backslashes, quotes and non-ASCII
letters, empty cells, and the score reasons shared by many rows as JSON."""

from __future__ import annotations

import csv
import io

from aicmo.bootstrap import App
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.resources import ClientCreate
from aicmo.services import clients, leads

OPERATOR = Principal(name="tester", role=Role.OPERATOR)

AWKWARD = [
    {
        "email": "ana@tab.example",
        "first_name": "Ana\tMaria",
        "last_name": "O'Brien \\ Núñez",
        "company": 'Quote "Co"',
        "title": "Head of\nPeople",
        "city": "",
    },
    {
        "email": "zoe@crlf.example",
        "first_name": "Zoë",
        "last_name": "line\r\nbreak",
        "company": "\\N",
        "title": "Founder",
        "city": "Köln",
    },
    *(
        {
            "email": f"lead{n}@same.example",
            "first_name": f"Lead{n}",
            "last_name": "Same",
            "company": "Same Ltd",
            "title": "Founder",
            "city": "Leeds",
        }
        for n in range(50)
    ),
]


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_an_import_stores_every_cell_as_written(aicmo_app: App) -> None:
    with aicmo_app.uow() as uow:
        client = clients.create_client(uow, OPERATOR, ClientCreate(name="Bulk Ltd"))
    with aicmo_app.uow() as uow:
        result = leads.import_text(uow, OPERATOR, client.id, csv_text(AWKWARD))
    assert result.created == len(AWKWARD) and not result.skipped

    with aicmo_app.uow() as uow:
        stored = {row.email: row for row in uow.leads.list(client_id=client.id, limit=500, offset=0)[0]}
        for expected in AWKWARD:
            row = stored[expected["email"]]
            for field in ("first_name", "last_name", "company", "title", "city"):
                assert getattr(row, field) == expected[field].strip(), (expected["email"], field)
            assert row.engagement_id is None and row.status == "NEW" and row.row_version == 1
            assert row.created_at.tzinfo is not None
            assert isinstance(row.score_reasons, list) and row.score_reasons
            assert all(isinstance(reason, str) for reason in row.score_reasons)
        # rows that score alike share one set of reasons, stored for each of them
        alike = [stored[f"lead{n}@same.example"] for n in range(50)]
        assert len({tuple(r.score_reasons) for r in alike}) == 1
        assert {r.score for r in alike} == {alike[0].score}
