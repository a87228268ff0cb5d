"""The headless pipeline: brief -> client, engagement, approved intake -> the plan, run -> files.

Used by `aicmo pipeline` for batch runs and demos. Every step goes through the same services and
the same job runner the API uses, so what it writes is exactly what an operator would see.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aicmo.bootstrap import App
from aicmo.domain.modules import DELIVERED
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.plans import PlanPublic
from aicmo.domain.schemas.resources import AutonomyLevel
from aicmo.services import exports, plans
from aicmo.services.artifact_content import version_markdown
from aicmo.services.context import current_trace_id, set_trace_id
from aicmo.services.onboarding import onboard_brief
from aicmo.services.plan_watch import wait_for_plan
from aicmo.services.unit_of_work import retry_conflicts

PIPELINE_ACTOR = Principal(name="pipeline", role=Role.OPERATOR)
OUTPUT_MODULES = DELIVERED  # what the run writes out: what a delivery contains


@dataclass
class PipelineResult:
    client_id: str
    engagement_id: str
    reused_client: bool = False
    plan: PlanPublic | None = None
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def failed_jobs(self) -> list[str]:
        return [j.key for j in self.plan.jobs if j.status.value == "failed"] if self.plan else []


def run_pipeline(
    app: App,
    brief: Any,
    out_dir: Path,
    *,
    auto_approve: bool,
    timeout_s: float = 600.0,
    client_ref: str | None = None,
    new_client: bool = False,
) -> PipelineResult:
    """Approve the validated brief in a new engagement, run its plan, write the files.

    The engagement goes under `client_ref` (id or name) when given, else under the live client named
    like the brief's client, and a client is created only when there is none (or `new_client`)."""
    started = time.perf_counter()
    set_trace_id(current_trace_id() or None)  # one trace for the whole run, down to each job and call
    autonomy = AutonomyLevel.FULL if auto_approve else AutonomyLevel.MANUAL
    onboarded = onboard_brief(
        app.uow,
        app.provider,
        PIPELINE_ACTOR,
        brief,
        autonomy=autonomy,
        client_ref=client_ref,
        reuse_client=not new_client,
    )
    result = PipelineResult(
        onboarded.client_id, onboarded.engagement_id, reused_client=onboarded.reused_client
    )
    if app.runtime is None and app.settings.runner_mode == "embedded":
        app.start_engine()
    with app.uow() as uow:
        plan_id = plans.get_plan_for_engagement(uow, PIPELINE_ACTOR, onboarded.engagement_id).id
    plan, dispatch = retry_conflicts(app.uow, lambda uow: plans.run_ready(uow, PIPELINE_ACTOR, plan_id))
    app.dispatch(dispatch)
    # Woken by the engine's commits when it runs here; the plan is read once a second otherwise.
    wake = getattr(app.runtime, "wait_for_change", None)
    result.plan = wait_for_plan(
        app.uow, PIPELINE_ACTOR, plan.id, timeout_s=timeout_s, poll_s=1.0 if wake else 0.1, wake=wake
    )
    _write_outputs(app, result, out_dir, started)
    return result


def _timings(plan: PlanPublic) -> dict[str, float]:
    """Wall time of the plan's generation jobs and of its export jobs (rendering PDF/PPTX/ZIP)."""

    def span(kind: str) -> float:
        jobs = [j for j in plan.jobs if j.kind == kind and j.started_at and j.finished_at]
        if not jobs:
            return 0.0
        return round(
            (max(j.finished_at for j in jobs) - min(j.started_at for j in jobs)).total_seconds() * 1000, 1
        )

    return {"generation": span("generate"), "exports": span("export")}


def _write_outputs(app: App, result: PipelineResult, out_dir: Path, started: float) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    assert result.plan is not None
    with app.uow() as uow:
        rows = uow.artifacts.by_engagement(result.engagement_id)
        runs = uow.runs.by_engagement(result.engagement_id)
        artifact_entries = []
        for module in OUTPUT_MODULES:
            row = rows.get(module.value)
            if row is None:
                continue
            (out_dir / f"{module.value}.md").write_text(version_markdown(module, row), encoding="utf-8")
            (out_dir / f"{module.value}.json").write_text(
                json.dumps(row.content, indent=2, ensure_ascii=False), encoding="utf-8"
            )
            module_runs = [r for r in runs if r.module == module.value]
            latest = max(module_runs, key=lambda r: r.created_at, default=None)
            artifact_entries.append(
                {
                    "type": module.value,
                    "id": row.id,
                    "version": row.version,
                    "status": row.status,
                    "provider": row.provenance.get("provider", ""),
                    "model": row.provenance.get("model", ""),
                    "findings": latest.findings if latest else [],
                    "llm_calls": sum(r.requests for r in module_runs),
                    "tokens": {
                        "input": sum(r.input_tokens for r in module_runs),
                        "output": sum(r.output_tokens for r in module_runs),
                    },
                }
            )
        delivered = exports.copy_exports(uow, result.engagement_id, out_dir)  # the plan's delivery files
    jobs = [
        {
            "id": j.id,
            "key": j.key,
            "type": j.kind,
            "module": j.module.value,
            "depends_on": j.depends_on,
            "status": j.status.value,
            "attempts": j.attempts,
            "started_at": j.started_at.isoformat() if j.started_at else None,
            "finished_at": j.finished_at.isoformat() if j.finished_at else None,
            "llm_calls": j.llm_calls,
        }
        for j in result.plan.jobs
    ]
    result.manifest = {
        "generated_at": datetime.now(UTC).isoformat(),
        "client": {"id": result.client_id},
        "engagement": {"id": result.engagement_id},
        "plan": {
            "id": result.plan.id,
            "autonomy": result.plan.autonomy_level.value,
            "progress": result.plan.progress.model_dump(),
        },
        "artifacts": artifact_entries,
        "exports": delivered,
        "jobs": jobs,
        "findings": sum(len(a["findings"]) for a in artifact_entries),
        "llm_calls": sum(a["llm_calls"] for a in artifact_entries),
        "tokens": {
            "input": sum(a["tokens"]["input"] for a in artifact_entries),
            "output": sum(a["tokens"]["output"] for a in artifact_entries),
        },
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 1),
        "timings_ms": _timings(result.plan),
    }
    (out_dir / "manifest.json").write_text(json.dumps(result.manifest, indent=2), encoding="utf-8")
