"""Autonomy generator: the generation plan (`domain.plan.plan_jobs`) as stages and a Mermaid DAG."""

from __future__ import annotations

import re
from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.intake_rules import normalise_intake
from aicmo.domain.plan import (
    POST_BATCH_WEEKS,
    VIDEO_PLATFORMS,
    JobSpec,
    chart_edges,
    chart_node,
    plan_jobs,
    required_exports,
    stages,
)
from aicmo.domain.schemas.autonomy import AutonomyPlan, PlannedJob
from aicmo.domain.schemas.intake import Platform
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators.base import GenerationInputs


def mermaid(jobs: list[JobSpec]) -> str:
    def node(key: str) -> str:
        return re.sub(r"[^A-Za-z0-9_]", "_", key)

    lines = ["graph LR"]
    batches: dict[str, list[JobSpec]] = {}
    for job in jobs:
        batches.setdefault(chart_node(job), []).append(job)
    for key, group in batches.items():
        first = group[0]
        title = f"Posts for {first.platform} ({len(group)} batches)" if len(group) > 1 else first.title
        lines.append(f'  {node(key)}["{title}"]')
    edges = chart_edges(jobs, {j.key: j.depends_on for j in jobs})
    lines += [f"  {node(a)} --> {node(b)}" for a, b in edges]
    return "\n".join(lines)


class AutonomyGenerator(SectionedGenerator[AutonomyPlan]):
    module: ClassVar[Module] = Module.AUTONOMY
    output_type: ClassVar[type[AutonomyPlan]] = AutonomyPlan
    uses_llm: ClassVar[bool] = False  # the plan follows from the brief by rule

    def plan_offline(self, inputs: GenerationInputs) -> AutonomyPlan:
        intake = normalise_intake(inputs.intake)
        jobs = plan_jobs(intake)
        layers = stages(jobs)
        stage_of = {key: n for n, layer in enumerate(layers, start=1) for key in layer}
        modules = list(dict.fromkeys(j.module.value for j in jobs))
        posts = list(dict.fromkeys(j.platform for j in jobs if j.platform))
        batches = sum(1 for j in jobs if j.platform) // max(1, len(posts))
        notes = [
            f"Posts jobs for {', '.join(p for p in posts if p)}: each platform's posts are written "
            f"{POST_BATCH_WEEKS} weeks at a time ({batches} batch{'es' * (batches != 1)} per platform "
            "over the engagement), side by side."
        ]
        if Platform.EMAIL in intake.platforms:
            notes.append("E-mail sequence included because e-mail is a selected platform.")
        video = [p.value for p in intake.platforms if p in VIDEO_PLATFORMS]
        if video:
            notes.append(f"Reel scripts included for {', '.join(video)}.")
        exports = [f.value for f in required_exports(intake)]
        notes.append(
            f"Exports: {', '.join(exports)}"
            + (
                ""
                if intake.required_outputs
                else " (no required outputs in the brief; a PDF report by default)"
            )
            + "."
        )
        notes.append("A job runs when its dependencies are complete and its module's upstreams are approved.")
        plan = AutonomyPlan(
            brand=intake.client_name,
            summary=(
                f"Generation plan for {intake.client_name}: {len(jobs)} jobs in {len(layers)} stages "
                f"across {', '.join(modules)}. Jobs in the same stage can run in parallel."
            ),
            jobs=[
                PlannedJob(
                    key=j.key,
                    module=j.module,
                    title=j.title,
                    kind=j.kind,
                    depends_on=list(j.depends_on),
                    platform=j.platform,
                    content_fields=list(j.content_fields),
                    stage=stage_of[j.key],
                )
                for j in jobs
            ],
            stages=layers,
            mermaid=mermaid(jobs),
            notes=notes,
        )
        return self.repair(plan, inputs)

    def repair(self, content: AutonomyPlan, inputs: GenerationInputs) -> AutonomyPlan:
        return ensure_brand(scrub_model(content, inputs.intake), inputs.intake, "summary")

    def title(self, content: AutonomyPlan) -> str:
        return f"Generation plan: {content.brand}"

    def sections(self, content: AutonomyPlan) -> list[Section]:
        c = content
        dump = c.model_dump(mode="json")
        jobs = table(
            ["Stage", "Job", "Title", "Kind", "Waits for"],
            [[j.stage, j.key, j.title, j.kind, len(j.depends_on)] for j in c.jobs],
        )
        return [
            Section(
                "summary",
                "Summary",
                f"{c.summary}\n\n{bullets(c.notes)}",
                {"summary": c.summary, "notes": c.notes},
            ),
            Section("jobs", "Jobs", jobs, {"jobs": dump["jobs"], "stages": c.stages}),
            Section("dag", "Dependency graph", f"```mermaid\n{c.mermaid}\n```", {"mermaid": c.mermaid}),
        ]
