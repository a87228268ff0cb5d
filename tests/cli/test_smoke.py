"""`aicmo smoke` against a real API over HTTP: every generate endpoint, reported per module."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from aicmo.domain.artifacts import Module
from aicmo.entrypoints.cli.main import app as cli
from tests.conftest import ADMIN_TOKEN, SAMPLES
from tests.console.conftest import LiveApi, free_port

runner = CliRunner()


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    live = LiveApi(tmp_path_factory.mktemp("smoke")).start()
    yield live
    live.stop()


def smoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["smoke", *args])
    return result.exit_code, result.output


def test_every_module_generates_and_is_approved_then_the_client_is_archived(api: LiveApi) -> None:
    code, output = smoke("--api", api.url, "--token", ADMIN_TOKEN, "--json")

    assert code == 0, output
    steps = json.loads(output[output.index("[") :])
    assert steps[0]["module"] == "intake"
    assert {s["module"] for s in steps} == {m.value for m in Module}
    assert all(s["ok"] and s["envelope"] == "SUCCESS" and s["artifact"] == "v1 approved" for s in steps), (
        steps
    )
    # the throwaway client takes the brief's name once its brief is saved (one source per fact), so
    # it is found as the one archived client
    every = api.call("GET", "/clients?include_archived=true&limit=200")["data"]
    smoke_clients = [c for c in every if c["archived"]]
    assert len(smoke_clients) == 1
    listed = api.call("GET", "/clients")["data"]
    assert smoke_clients[0]["id"] not in {c["id"] for c in listed}  # out of the operator's way
    assert ADMIN_TOKEN not in output


def test_a_brief_the_api_refuses_is_reported_per_module_and_exits_1(api: LiveApi, tmp_path: Path) -> None:
    brief = json.loads((SAMPLES / "law_firm_services.json").read_text()) | {"website": "not a url"}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(brief))
    code, output = smoke("--api", api.url, "--token", ADMIN_TOKEN, "--brief", str(path))

    assert code == 1
    assert "intake" in output and "VALIDATION_ERROR" in output and "website" in output
    assert "GATING_ERROR" in output  # nothing downstream could run
    # a law firm is regulated, so its plan has the compliance review besides the nine other modules
    assert "0 of 10 modules generated and approved" in output


def test_a_wrong_token_or_no_api_is_one_line_and_exit_1(api: LiveApi) -> None:
    code, output = smoke("--api", api.url, "--token", "wrong-token")
    assert code == 1 and "HTTP 401" in output and "wrong-token" not in output
    code, output = smoke("--api", f"http://127.0.0.1:{free_port()}", "--token", ADMIN_TOKEN)
    assert code == 1 and "unreachable" in output and "Traceback" not in output
