"""Autonomy generator: the generation plan (`domain.plan.plan_jobs`) as stages and a Mermaid DAG."""

from __future__ import annotations

import re
from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.intake_rules import normalise_intake
from aicmo.domain.plan import VIDEO_PLATFORMS, JobSpec, plan_jobs, required_exports, stages
from aicmo.domain.schemas.autonomy import AutonomyPlan, PlannedJob
from aicmo.domain.schemas.intake import Platform
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators.base import GenerationInputs


def reduced_edges(jobs: list[JobSpec]) -> list[tuple[str, str]]:
    """Dependency edges without the ones implied by others (a transitive reduction), for drawing."""
    deps = {j.key: set(j.depends_on) for j in jobs}
    ancestors: dict[str, set[str]] = {}

    def reach(key: str) -> set[str]:
        if key not in ancestors:
            ancestors[key] = set()
            for dep in deps.get(key, ()):
                ancestors[key] |= {dep, *reach(dep)}
        return ancestors[key]

    edges = []
    for job in jobs:
        direct = set(job.depends_on)
        implied = set().union(*(reach(d) for d in direct)) if direct else set()
        edges += [(dep, job.key) for dep in job.depends_on if dep not in implied]
    return edges


def mermaid(jobs: list[JobSpec]) -> str:
    def node(key: str) -> str:
        return re.sub(r"[^A-Za-z0-9_]", "_", key)

    lines = ["graph LR"]
    lines += [f'  {node(j.key)}["{j.title}"]' for j in jobs]
    lines += [f"  {node(a)} --> {node(b)}" for a, b in reduced_edges(jobs)]
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
        posts = [j.platform for j in jobs if j.platform]
        notes = [f"Posts jobs for {', '.join(p for p in posts if p)}: one per selected platform."]
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
