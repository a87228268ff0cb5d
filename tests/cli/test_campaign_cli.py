"""`aicmo campaign …`: a proof campaign from the command line, through the same services as the API:
create -> generate -> reject one -> regenerate -> approve all -> execute -> status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aicmo.entrypoints.cli.brief import template_text
from tests.cli.test_brief_file import aicmo

pytestmark = pytest.mark.slow  # runs `aicmo` subprocesses: started first in CI (tests/conftest.py)


def test_a_campaign_from_the_command_line(tmp_path: Path) -> None:
    env = {"AICMO_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    (tmp_path / "brief.json").write_text(template_text())
    run = aicmo("pipeline", "brief.json", "--out", "o", "--auto-approve", cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    engagement = json.loads((tmp_path / "o" / "manifest.json").read_text())["engagement"]["id"]

    def cli(*args: str) -> str:
        result = aicmo("campaign", *args, cwd=tmp_path, env=env)
        assert result.returncode == 0, result.stderr + result.stdout
        return result.stdout

    bad = aicmo(
        "campaign", "create", "--engagement", engagement, "--name", "Spring", "--objective", "Visits",
        "--platform", "instagram", "--start", "2027-03-01", "--end", "2027-02-01", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert bad.returncode == 1 and "end_date" in bad.stderr
    base = ["create", "--engagement", engagement, "--name", "Hook", "--objective", "Visits", "--platform",
            "instagram", "--start", "2027-03-01", "--end", "2027-03-14", "--mode", "live"]  # fmt: skip
    no_scheme = aicmo("campaign", *base, "--destination", "hooks.example.com/T0KEN", cwd=tmp_path, env=env)
    assert no_scheme.returncode == 2 and "destination: " in no_scheme.stderr
    hook = cli(*base, "--destination", "https://hooks.example.com/catch/T0KEN-abcd1234").strip()
    assert json.loads(cli("status", hook, "--json"))["destination"] == "https://hooks.example.com/…1234"
    assert "live posts go to https://hooks.example.com/…1234 (webhook)" in cli("status", hook)
    campaign = cli(
        "create", "--engagement", engagement, "--name", "Spring", "--objective", "Visits",
        "--platform", "instagram", "--platform", "facebook", "--start", "2027-03-01",
        "--end", "2027-03-14", "--mode", "proof", "--audience", "4000",
    ).strip()  # fmt: skip
    assert "items generated" in cli("generate", campaign)
    items = json.loads(cli("items", campaign, "--json"))
    assert len(items) == 8 and {i["status"] for i in items} == {"pending"}
    first = items[0]
    assert "rejected at version 1" in cli("reject", first["id"], "--reason", "Lead with the offer")
    assert "is version 2, pending review" in cli("regenerate", first["id"])
    assert "8 items approved" in cli("approve", campaign)
    assert "simulated reach" in cli("execute", campaign)
    status = json.loads(cli("status", campaign, "--json"))
    assert status["completed"] and status["simulated_reach"] > 0 and status["publish_jobs"] == []
    table = cli("status", campaign)
    assert "completed: True" in table and "instagram" in table
    history = json.loads(cli("items", campaign, "--json"))[0]["history"]
    assert [h["action"] for h in history] == [
        "generated", "rejected", "regenerated", "pending", "approved", "published"
    ]  # fmt: skip


def test_the_webhook_key_is_printed_and_the_secret_never(tmp_path: Path) -> None:
    env = {"AICMO_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}"}
    unset = aicmo("campaign", "webhook-key", cwd=tmp_path, env=env)
    assert unset.returncode == 1 and "AICMO_PUBLISH_WEBHOOK_SECRET" in unset.stderr
    secret = "whsec-cli-0123456789"
    shown = aicmo(
        "campaign", "webhook-key", "--json", cwd=tmp_path, env=env | {"AICMO_PUBLISH_WEBHOOK_SECRET": secret}
    )
    assert shown.returncode == 0, shown.stderr
    key = json.loads(shown.stdout)
    assert key["algorithm"] == "Ed25519" and len(key["public_key"]) == 44
    assert secret not in shown.stdout + shown.stderr
