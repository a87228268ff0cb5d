"""The self-test (SPEC §10): intake -> gating refusal -> approval -> unlock -> stale cascade, through
the real artifact services on a throwaway SQLite database, each step reported pass/fail with detail.

It proves the installed code, the migrations and the rules work together on this machine without
touching the workspace's own database. A failed step stops the run; later steps are "skipped".
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from aicmo.domain.artifacts import Action, ArtifactStatus, Module
from aicmo.domain.errors import AicmoError, Gated
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.resources import ArtifactAmend, ArtifactCreate, ClientCreate, EngagementCreate
from aicmo.services.context import current_trace_id, set_trace_id
from aicmo.services.offline_content import offline_contents

SELFTEST_ACTOR = Principal(name="selftest", role=Role.ADMIN)
BRIEF: dict[str, Any] = {
    "client_name": "Selftest Bakery",
    "industry": "Food & Beverage",
    "no_website": True,
    "geography": "Leeds, UK",
    "timezone": "Europe/London",
    "primary_offer": "Weekly sourdough boxes for offices",
    "differentiators": "Baked overnight, delivered by 8am by bike",
    "target_audience": "Office managers in central Leeds",
    "pain_points": "Catering orders are slow and stale by noon",
    "desired_outcomes": "Fresh bread on the desk every Monday",
    "objective": "Leads",
    "kpi_targets": "40 office sign-ups in 8 weeks",
    "duration_weeks": 8,
    "tone_voice": "Warm and plain-spoken",
    "platforms": ["instagram", "email"],
}


class StepResult(BaseModel):
    name: str
    status: Literal["pass", "fail", "skipped"]
    detail: str
    elapsed_ms: float = 0.0


class SelfTestReport(BaseModel):
    ok: bool
    started_at: str
    elapsed_ms: float
    trace_id: str
    database: str
    steps: list[StepResult]


class StepFailed(AssertionError):
    """A step's expectation did not hold; the message is the step's detail."""


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise StepFailed(message)


@dataclass
class _Run:
    """The throwaway workspace and what the steps have created so far."""

    uow: Callable
    ids: dict[str, str]
    contents: dict[str, dict[str, Any]] = field(default_factory=dict)  # what is "typed in by hand"


def _migrate(url: str) -> str:
    from aicmo.adapters.db.migrate import upgrade

    report = upgrade(url)
    _expect(report.after.at_head, f"schema at {report.after.current}, head is {report.after.head}")
    return (
        f"migrated a throwaway SQLite database to {report.after.current}: "
        f"{len(report.before.tables)} -> {len(report.after.tables)} tables"
    )


def _intake(run: _Run) -> str:
    from aicmo.services import artifacts, clients, engagements

    with run.uow() as uow:
        client = clients.create_client(uow, SELFTEST_ACTOR, ClientCreate(name="Selftest Bakery"))
    with run.uow() as uow:
        engagement = engagements.create_engagement(
            uow, SELFTEST_ACTOR, EngagementCreate(client_id=client.id, name="Self-test launch")
        )
    run.contents = offline_contents(BRIEF, [Module.CREATIVES])
    with run.uow() as uow:
        intake = artifacts.create_artifact(
            uow,
            SELFTEST_ACTOR,
            ArtifactCreate(
                engagement_id=engagement.id, type=Module.INTAKE, content=run.contents[Module.INTAKE.value]
            ),
        )
    _expect(intake.status == ArtifactStatus.DRAFT and intake.version == 1, f"intake is {intake.status}")
    run.ids.update(client=client.id, engagement=engagement.id, intake=intake.id)
    return f"client, engagement and intake v{intake.version} ({intake.status.value}) created"


def _gating_refusal(run: _Run) -> str:
    from aicmo.services import artifacts

    with run.uow() as uow:
        gate = artifacts.check_gating(uow, SELFTEST_ACTOR, run.ids["engagement"], Module.STRATEGY)
    expected = "intake (draft - must be approved)"
    _expect(not gate.allowed, "strategy was allowed while the intake is a draft")
    _expect(expected in gate.reasons, f"refusal reasons {gate.reasons} do not name {expected!r}")
    with run.uow() as uow:
        strategy = artifacts.create_artifact(
            uow,
            SELFTEST_ACTOR,
            ArtifactCreate(
                engagement_id=run.ids["engagement"],
                type=Module.STRATEGY,
                content=run.contents[Module.STRATEGY.value],
            ),
        )
    run.ids["strategy"] = strategy.id
    try:
        with run.uow() as uow:
            artifacts.decide(uow, SELFTEST_ACTOR, strategy.id, Action.APPROVE, expected_version=1)
    except Gated as exc:
        return f"strategy refused: {'; '.join(gate.reasons)}; approving it anyway -> {exc.message}"
    raise StepFailed("approving the strategy over a draft intake was not refused")


def _approval(run: _Run) -> str:
    from aicmo.services import artifacts

    with run.uow() as uow:
        intake = artifacts.decide(uow, SELFTEST_ACTOR, run.ids["intake"], Action.APPROVE, expected_version=1)
    _expect(intake.status == ArtifactStatus.APPROVED, f"intake is {intake.status.value} after approval")
    _expect(intake.approved_by == SELFTEST_ACTOR.actor, f"approved_by is {intake.approved_by}")
    return f"intake v{intake.version} approved by {intake.approved_by}"


def _unlock(run: _Run) -> str:
    from aicmo.services import artifacts

    with run.uow() as uow:
        gate = artifacts.check_gating(uow, SELFTEST_ACTOR, run.ids["engagement"], Module.STRATEGY)
    _expect(gate.allowed, f"strategy still refused: {gate.reasons}")
    with run.uow() as uow:
        strategy = artifacts.decide(
            uow, SELFTEST_ACTOR, run.ids["strategy"], Action.APPROVE, expected_version=1
        )
    _expect(strategy.status == ArtifactStatus.APPROVED, f"strategy is {strategy.status.value}")
    with run.uow() as uow:
        creatives = artifacts.create_artifact(
            uow,
            SELFTEST_ACTOR,
            ArtifactCreate(
                engagement_id=run.ids["engagement"],
                type=Module.CREATIVES,
                content=run.contents[Module.CREATIVES.value],
            ),
        )
    with run.uow() as uow:
        creatives = artifacts.decide(uow, SELFTEST_ACTOR, creatives.id, Action.APPROVE, expected_version=1)
    run.ids["creatives"] = creatives.id
    return "strategy unlocked and approved; creatives built on it and approved"


def _stale_cascade(run: _Run) -> str:
    from aicmo.services import artifacts

    with run.uow() as uow:
        intake = artifacts.amend_artifact(
            uow,
            SELFTEST_ACTOR,
            run.ids["intake"],
            ArtifactAmend(expected_version=1, notes="Budget doubled for the spring launch."),
        )
    _expect(intake.version == 2, f"intake is at v{intake.version} after the amendment")
    with run.uow() as uow:  # staleness follows approvals: the cascade starts here
        artifacts.decide(uow, SELFTEST_ACTOR, run.ids["intake"], Action.APPROVE, expected_version=2)
    with run.uow() as uow:
        strategy = artifacts.get_artifact(uow, SELFTEST_ACTOR, run.ids["strategy"])
        creatives = artifacts.get_artifact(uow, SELFTEST_ACTOR, run.ids["creatives"])
        gate = artifacts.check_gating(uow, SELFTEST_ACTOR, run.ids["engagement"], Module.EXECUTION)
    flagged = ArtifactStatus.FLAGGED_FOR_REVIEW
    _expect(strategy.status == flagged, f"strategy is {strategy.status.value}, not flagged")
    _expect(creatives.status == flagged, f"creatives is {creatives.status.value}, not flagged (transitive)")
    causes = [c.get("reason", "") for c in [*_causes(strategy), *_causes(creatives)]]
    _expect(
        any("intake changed from v1 to v2" in c for c in causes), f"causes {causes} miss the intake change"
    )
    _expect(not gate.allowed, "execution was allowed on flagged upstreams")
    return f"intake v2 approved: flagged strategy and creatives ({'; '.join(causes)}); execution refused"


def _causes(artifact: object) -> list[dict]:
    causes = getattr(artifact, "stale_causes", None) or []
    return [c if isinstance(c, dict) else c.model_dump() for c in causes]


STEPS: tuple[tuple[str, Callable[[_Run], str]], ...] = (
    ("intake", _intake),
    ("gating refusal", _gating_refusal),
    ("approval", _approval),
    ("unlock", _unlock),
    ("stale cascade", _stale_cascade),
)


def run_selftest(workdir: Path | None = None) -> SelfTestReport:
    """Run every step on a new SQLite file under `workdir` (a temp folder, removed afterwards)."""
    from aicmo.bootstrap import build_app
    from aicmo.config import Settings

    started, clock = datetime.now(UTC), time.perf_counter()
    trace_id = current_trace_id() or set_trace_id()
    folder = Path(tempfile.mkdtemp(prefix="aicmo-selftest-", dir=workdir))
    url = f"sqlite:///{folder / 'selftest.db'}"
    steps: list[StepResult] = []
    app = None
    try:
        steps.append(_timed("migrate", lambda: _migrate(url)))
        app = build_app(Settings(_env_file=None, database_url=url, data_dir=folder, llm_provider="offline"))
        run = _Run(uow=app.uow, ids={})
        for name, step in STEPS:
            if steps[-1].status != "pass":
                steps.append(StepResult(name=name, status="skipped", detail="an earlier step failed"))
                continue
            steps.append(_timed(name, lambda step=step: step(run)))
    finally:
        if app is not None:
            app.close()
        shutil.rmtree(folder, ignore_errors=True)
    return SelfTestReport(
        ok=all(s.status == "pass" for s in steps),
        started_at=started.isoformat(),
        elapsed_ms=round((time.perf_counter() - clock) * 1000, 1),
        trace_id=trace_id,
        database="throwaway SQLite file (deleted)",
        steps=steps,
    )


def _timed(name: str, body: Callable[[], str]) -> StepResult:
    clock = time.perf_counter()
    try:
        detail, status = body(), "pass"
    except StepFailed as exc:
        detail, status = str(exc), "fail"
    except AicmoError as exc:
        detail, status = f"{type(exc).__name__}: {exc.message}", "fail"
    except Exception as exc:  # the report says what broke; it never raises
        detail, status = f"{type(exc).__name__}: {exc}", "fail"
    return StepResult(
        name=name, status=status, detail=detail, elapsed_ms=round((time.perf_counter() - clock) * 1000, 1)
    )
