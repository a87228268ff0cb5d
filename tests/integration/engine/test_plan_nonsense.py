"""Issue 15, must show 5: a provider answering schema-valid nonsense (random words in every string,
the fewest items every list allows) is caught by the gates. Under full autonomy the plan approves
nothing it wrote, and the findings name the incoherent fields and the missing posts.

The project's LLM test server in nonsense mode, over real HTTP, on the real engine.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from aicmo.adapters.db.tables import GenerationRunRow
from aicmo.bootstrap import App
from aicmo.domain.artifacts import Action
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import artifacts, plans
from aicmo.services.plan_watch import wait_for_plan
from aicmo.testing.llm_server import ServerHandle, run_test_server
from tests.integration.engine.conftest import OPERATOR, engine_app, plan_of, without_exports

BRIEF = Path(__file__).resolve().parents[2] / "fixtures" / "briefs" / "clinic_physio.json"
GENERATED = ("strategy", "creatives", "execution")


@pytest.fixture
def nonsense_app(tmp_path: Path) -> Iterator[tuple[App, ServerHandle]]:
    server = run_test_server(nonsense=True, seed=15)
    app = engine_app(
        tmp_path,
        llm_provider="openai",
        llm_base_url=server.base_url,
        llm_model="aicmo-test-model",
        llm_api_key="sk-test-nonsense",
        llm_timeout_s=10.0,
        llm_max_retries=2,
    )
    app.start_engine()
    yield app, server
    app.close()
    server.stop()


def run_plan(app: App, engagement_id: str) -> Any:
    plan = plan_of(app, engagement_id)
    with app.uow() as uow:
        plan, dispatch = plans.run_ready(uow, OPERATOR, plan.id)
    app.dispatch(dispatch)
    return wait_for_plan(app.uow, OPERATOR, plan.id, timeout_s=180)


def latest_findings(app: App, engagement_id: str, module: str) -> list[dict[str, str]]:
    with app.uow() as uow:
        runs = list(
            uow.session.scalars(
                select(GenerationRunRow).where(
                    GenerationRunRow.engagement_id == engagement_id, GenerationRunRow.module == module
                )
            )
        )
        return list(max(runs, key=lambda r: r.created_at).findings) if runs else []


def statuses(app: App, engagement_id: str) -> dict[str, str]:
    with app.uow() as uow:
        rows = uow.artifacts.by_engagement(engagement_id)
        return {m: rows[m].status for m in GENERATED if m in rows}


def approve_knowingly(app: App, engagement_id: str, module: str) -> None:
    """What a person may still do: approve a flagged module after reading it (never the machine)."""
    with app.uow() as uow:
        row = uow.artifacts.by_engagement(engagement_id)[module]
        artifact_id, version = row.id, row.version
    with app.uow() as uow:
        artifacts.decide(uow, OPERATOR, artifact_id, Action.APPROVE, expected_version=version)


def test_full_autonomy_approves_no_nonsense_and_the_findings_name_fields_and_missing_posts(
    nonsense_app: tuple[App, ServerHandle],
) -> None:
    app, server = nonsense_app
    brief = json.loads(BRIEF.read_text())
    engagement = without_exports(app, brief, AutonomyLevel.FULL)

    run_plan(app, engagement)
    assert server.stats()["calls"] > 0
    assert statuses(app, engagement)["strategy"] != "approved"
    strategy = latest_findings(app, engagement, "strategy")
    incoherent = {f["field"] for f in strategy if f["code"] == "incoherent"}
    assert {"executive_summary", "positioning_statement", "icp.summary", "messaging.promise"} <= incoherent
    assert all(f["severity"] == "error" for f in strategy if f["code"] == "incoherent")
    assert any(f["code"] == "brief_targets_missing" for f in strategy)

    # A person waves the strategy and the creatives through; the machine still approves nothing.
    approve_knowingly(app, engagement, "strategy")
    run_plan(app, engagement)
    assert statuses(app, engagement)["creatives"] != "approved"
    approve_knowingly(app, engagement, "creatives")
    run_plan(app, engagement)
    assert statuses(app, engagement)["execution"] != "approved"

    creatives = latest_findings(app, engagement, "creatives")
    assert {"brand_kit.visual_style", "brand_kit.voice_summary"} <= {
        f["field"] for f in creatives if f["code"] == "incoherent"
    }
    # The posts a nonsense answer holds belong to no channel or week of the plan: every channel the
    # brief posts on is named as missing, not just "posts".
    execution = latest_findings(app, engagement, "execution")
    missing = {f["message"] for f in execution if f["code"] in {"platform_missing", "calendar_gap"}}
    for channel in ("google_business", "facebook", "instagram"):
        assert any(channel in m for m in missing), (channel, missing)
    assert all(f["severity"] == "error" for f in execution)
