"""`aicmo leads ...` and `aicmo outreach ...` as an operator scripts them: a CSV batch is imported,
listed, exported and undone; a sequence is created from JSON, leads enrolled by tier, one address
suppressed, and a run sends through a real local SMTP server (aiosmtpd) what the rules allow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicmo.bootstrap import build_app
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.resources import ClientCreate
from aicmo.services import clients
from tests.cli.test_brief_file import aicmo
from tests.conftest import make_settings, migrated
from tests.smtp_server import LocalSmtp

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)

CSV = """email,first_name,last_name,city
ana@northwind.example,Ana,Diaz,Bristol
ben@northwind.example,Ben,Ode,Bath
bad,,,
"""


def test_leads_and_outreach_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.db'}"
    migrated(url)
    app = build_app(make_settings(url, tmp_path))
    with app.uow() as uow:
        client = clients.create_client(
            uow, Principal(name="t", role=Role.OPERATOR), ClientCreate(name="Northwind")
        )
    app.close()
    env = {"AICMO_DATABASE_URL": url}
    (tmp_path / "fair.csv").write_text(CSV)

    imported = aicmo("leads", "import", "fair.csv", "--client", client.id, "--json", cwd=tmp_path, env=env)
    assert imported.returncode == 0, imported.stderr
    result = json.loads(imported.stdout)
    assert result["created"] == 2 and result["skipped"][0]["field"] == "row 4.email"
    batches = json.loads(
        aicmo("leads", "batches", "--client", client.id, "--json", cwd=tmp_path, env=env).stdout
    )
    assert [b["id"] for b in batches] == [result["batch_id"]] and batches[0]["filename"] == "fair.csv"
    exported = aicmo("leads", "export", "--client", client.id, "--search", "bristol", cwd=tmp_path, env=env)
    assert (
        exported.returncode == 0
        and exported.stdout.count("\n") == 2
        and "ana@northwind.example" in exported.stdout
    )

    sequence = {
        "client_id": client.id,
        "name": "Intro",
        "steps": [
            {
                "subject": "Hello {{first_name}}",
                "body": "Hi {{first_name}}, a short note from {{client_name}}.",
            }
        ],
        "daily_caps": {"email": 10},
        "quiet_start": 0,
        "quiet_end": 0,  # never quiet: the test runs at any hour
        "sender": "hello@agency.example",
        "postal_address": "1 Quay Street, Bristol BS1 4DJ",
    }
    (tmp_path / "sequence.json").write_text(json.dumps(sequence))
    created = aicmo("outreach", "create", "sequence.json", cwd=tmp_path, env=env)
    assert created.returncode == 0, created.stderr
    sequence_id = created.stdout.strip()
    bad = dict(sequence, steps=[{"subject": "Hi", "body": "Dear [insert name], hello"}])
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    refused = aicmo("outreach", "create", "bad.json", cwd=tmp_path, env=env)
    assert refused.returncode == 2 and "placeholder that will never be filled" in refused.stderr

    suppressed = aicmo(
        "outreach", "suppress", "ben@northwind.example", "--client", client.id, cwd=tmp_path, env=env
    )
    assert suppressed.returncode == 0, suppressed.stderr
    enrolled = aicmo(
        "outreach", "enrol", sequence_id, "--tier", "cold", "--tier", "cool", cwd=tmp_path, env=env
    )
    assert "enrolled 1" in enrolled.stdout and "ben@northwind.example: suppressed" in enrolled.stdout

    with LocalSmtp() as smtp:
        smtp_env = env | {
            "AICMO_SMTP_HOST": "127.0.0.1",
            "AICMO_SMTP_PORT": str(smtp.port),
            "AICMO_SMTP_TLS": "none",
        }
        ran = aicmo("outreach", "run", sequence_id, "--json", cwd=tmp_path, env=smtp_env)
    assert ran.returncode == 0, ran.stderr
    assert [s["email"] for s in json.loads(ran.stdout)["sent"]] == ["ana@northwind.example"]
    assert [m.rcpt_tos for m in smtp.messages] == [("ana@northwind.example",)]
    assert "a short note from Northwind" in smtp.messages[0].body
    sends = aicmo("outreach", "sends", sequence_id, cwd=tmp_path, env=env)
    assert "SENT" in sends.stdout and "250 OK queued as LOCAL000001" in sends.stdout

    undone = aicmo("leads", "undo", result["batch_id"], cwd=tmp_path, env=env)
    assert undone.returncode == 0 and "1 removed, 1 kept" in undone.stdout  # Ana was contacted: kept
    again = aicmo("leads", "undo", result["batch_id"], cwd=tmp_path, env=env)
    assert again.returncode == 1 and "already undone" in again.stderr
