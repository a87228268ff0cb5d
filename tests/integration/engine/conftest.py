"""Fixtures for the job engine: an app with the DBOS runtime in this process, and sample briefs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aicmo.bootstrap import App, build_app
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.resources import AutonomyLevel, EngagementUpdate
from aicmo.services import engagements, plans
from aicmo.services.onboarding import onboard_brief
from tests.conftest import SAMPLES, make_settings, migrated

OPERATOR = Principal(name="test-operator", role=Role.OPERATOR)

FAST_ENGINE = {
    "runner_mode": "embedded",
    "queue_polling_s": 0.02,
    "job_retry_base_s": 0.05,
    "llm_backoff_base_s": 0.01,
    "runner_concurrency": 8,
}


def load_brief(name: str = "saas_hr_leads") -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.json").read_text())


def engine_app(tmp_path: Path, database_url: str | None = None, **overrides: Any) -> App:
    url = database_url or f"sqlite:///{tmp_path / 'app.db'}"
    migrated(url)
    return build_app(make_settings(url, tmp_path, **(FAST_ENGINE | overrides)))


@pytest.fixture
def running_app(tmp_path: Path) -> Iterator[App]:
    app = engine_app(tmp_path)
    app.start_engine()
    yield app
    app.close()


def approved_engagement(app: App, brief: dict[str, Any], autonomy: AutonomyLevel) -> str:
    """A client and engagement whose brief is saved and approved (which creates the plan)."""
    return onboard_brief(app.uow, app.provider, OPERATOR, brief, autonomy=autonomy).engagement_id


def without_exports(app: App, brief: dict[str, Any], autonomy: AutonomyLevel) -> str:
    """An approved engagement whose export jobs are off, under `autonomy` (set after they are off,
    so `full` starts nothing early): exports render for seconds and are beside the point here."""
    engagement = approved_engagement(app, brief, AutonomyLevel.MANUAL)
    plan = plan_of(app, engagement)
    with app.uow() as uow:
        for job in plan.jobs:
            if job.kind == "export":
                plans.toggle_job(uow, OPERATOR, plan.id, job.id, False)
    with app.uow() as uow:
        engagements.update_engagement(uow, OPERATOR, engagement, EngagementUpdate(autonomy_level=autonomy))
    return engagement


def plan_of(app: App, engagement_id: str):
    with app.uow() as uow:
        return plans.get_plan_for_engagement(uow, OPERATOR, engagement_id)
