"""A CSV import's bulk insert (SQLite: part by part on a thread of its own; PostgreSQL: COPY)
stores exactly what the file says: text with tabs, newlines, backslashes, quotes and non-ASCII
letters, empty cells, and the score reasons shared by many rows as JSON."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from aicmo.adapters.db.sqlite_gate import GatedConnection
from aicmo.bootstrap import App
from aicmo.domain.leads import parse_leads_csv
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


def _batch(uow, client_id: str) -> str:
    now = datetime.now(UTC)
    fields = dict(filename="", actor="tester", rows_read=0, duplicates=0, skipped=[], columns={})
    batch = uow.leads.create_batch(
        id=f"lb_{uuid.uuid4().hex[:12]}",
        client_id=client_id,
        engagement_id=None,
        created_at=now,
        removed=0,
        kept=0,
        created=0,
        known=0,
        **fields,
    )
    return batch.id


def _common(client_id: str, batch_id: str) -> dict[str, object]:
    """The service's values for an import's leads, and those of a file with e-mails only."""
    fields = parse_leads_csv("email\nx@parts.example\n").absent
    return leads.imported_lead_values(client_id, None, batch_id, datetime.now(UTC)) | fields


def _set(score: int) -> dict[str, object]:
    return {
        "score": score,
        "tier": "COLD",
        "score_reasons": [f"+{score} because {score}"],
        "company_domain": f"d{score}.example",
        "free_mail": False,
        "role_account": False,
        "seniority": "",
    }


def _part(first: int, count: int) -> dict[str, list[object]]:
    return {
        "id": [f"ld_part{n:06d}" for n in range(first, first + count)],
        "email": [f"p{n}@parts.example" for n in range(first, first + count)],
        "company": [f"Company {n}" for n in range(first, first + count)],
    }


def test_parts_in_many_statements_keep_each_row_and_its_set(
    aicmo_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Parts cut into statements of a few rows (a SQLite built to bind few parameters at once), a
    later part naming an earlier part's set: every row stored with its own set."""
    monkeypatch.setattr(GatedConnection, "getlimit", lambda self, _limit: 40, raising=False)
    with aicmo_app.uow() as uow:
        client = clients.create_client(uow, OPERATOR, ClientCreate(name="Parts Ltd"))
    with aicmo_app.uow() as uow:
        batch_id = _batch(uow, client.id)
        with uow.leads.bulk_insert(_common(client.id, batch_id)) as writer:
            writer.add(_part(0, 25), [_set(10), _set(20)], [n % 2 for n in range(25)])
            writer.add(_part(25, 3), [], [1, 0, 1])  # only sets already given
            writer.add(_part(28, 30), [_set(30)], [2 if n % 3 else 0 for n in range(30)])
        uow.commit()
    with aicmo_app.uow() as uow:
        stored = {row.id: row for row in uow.leads.list(client_id=client.id, limit=500, offset=0)[0]}
        assert len(stored) == 58
        expected = [n % 2 for n in range(25)] + [1, 0, 1] + [2 if n % 3 else 0 for n in range(30)]
        for n, slot in enumerate(expected):
            row = stored[f"ld_part{n:06d}"]
            score = (10, 20, 30)[slot]
            assert (row.email, row.company, row.batch_id) == (f"p{n}@parts.example", f"Company {n}", batch_id)
            assert (row.score, row.score_reasons, row.company_domain) == (
                score,
                [f"+{score} because {score}"],
                f"d{score}.example",
            )


def test_a_refused_part_stores_none_of_the_import(aicmo_app: App) -> None:
    """A row the database refuses (here an e-mail the client already has, which the service
    would have left out) fails the whole bulk insert with the database's error; the transaction
    rolls back with nothing of it stored, and the next import works."""
    with aicmo_app.uow() as uow:
        client = clients.create_client(uow, OPERATOR, ClientCreate(name="Refused Ltd"))
        leads.import_text(uow, OPERATOR, client.id, "email\np3@parts.example\n")
    with pytest.raises(IntegrityError), aicmo_app.uow() as uow:
        batch_id = _batch(uow, client.id)
        with uow.leads.bulk_insert(_common(client.id, batch_id)) as writer:
            writer.add(_part(0, 2), [_set(10)], [0, 0])
            writer.add(_part(2, 5), [], [0] * 5)  # p3 is the client's already
            writer.add(_part(7, 5), [], [0] * 5)
        uow.commit()
    with aicmo_app.uow() as uow:
        assert uow.leads.emails(client.id) == {"p3@parts.example"}
        result = leads.import_text(uow, OPERATOR, client.id, "email\np1@parts.example\np3@parts.example\n")
    assert (result.created, result.already_known) == (1, 1)
