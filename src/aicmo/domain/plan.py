"""The generation plan (SPEC §5): a DAG of jobs derived from an approved brief. Pure.

Each job names the module it belongs to and the parts of that module's content model it writes
(`content_fields`), so a runner can build an artifact part by part. Module-level dependencies
follow SPEC §4 (`UPSTREAMS`): every job of a module depends on every job of its upstream modules
that are in the plan; within a module, jobs follow the order a strategist works in.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from aicmo.domain.artifacts import UPSTREAMS, Module
from aicmo.domain.schemas.intake import Intake, OutputFormat, Platform

JobKind = Literal["generate", "export"]
VIDEO_PLATFORMS = frozenset({Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.FACEBOOK})


@dataclass(frozen=True)
class JobSpec:
    key: str
    module: Module
    title: str
    depends_on: tuple[str, ...] = ()
    platform: str | None = None
    content_fields: tuple[str, ...] = ()
    kind: JobKind = "generate"
    export_format: str | None = field(default=None)


def post_platforms(platforms: Iterable[Platform]) -> list[Platform]:
    """Platforms that get scheduled posts: every selected one but e-mail (it gets a sequence),
    unless e-mail is all there is, in which case the e-mails are scheduled as newsletters."""
    chosen = list(dict.fromkeys(platforms))
    social = [p for p in chosen if p is not Platform.EMAIL]
    return social or ([Platform.EMAIL] if Platform.EMAIL in chosen else [])


# key suffix, title, content fields, in-module dependencies (suffixes)
_Step = tuple[str, str, tuple[str, ...], tuple[str, ...]]
_STRATEGY: list[_Step] = [
    ("icp", "ICP definition", ("brand", "icp"), ()),
    ("positioning", "Positioning", ("positioning_statement",), ("icp",)),
    ("messaging", "Messaging framework", ("messaging",), ("positioning",)),
    ("pillars", "Content pillars", ("pillars",), ("messaging",)),
    ("platform_strategy", "Platform strategy and media plan", ("platforms", "media_plan"), ("pillars",)),
    (
        "measurement",
        "Measurement plan and executive summary",
        ("measurement", "executive_summary"),
        ("platform_strategy",),
    ),
]
_CREATIVES: list[_Step] = [
    ("brand_kit", "Brand-kit suggestions", ("brand", "brand_kit"), ()),
    ("carousels", "Carousel templates", ("carousels",), ("brand_kit",)),
    ("reel_covers", "Reel cover templates", ("reel_covers",), ("brand_kit",)),
    ("image_prompts", "Image-pack prompts", ("image_prompts",), ("brand_kit",)),
    ("video_scripts", "Video and reel scripts", ("video_scripts",), ()),
    ("thumbnails", "Thumbnails and banners", ("thumbnails",), ("brand_kit",)),
]
_MONITORING: list[_Step] = [
    (
        "tracking_checklist",
        "Tracking checklist",
        ("brand", "data_status", "data_note", "tracking_checklist", "kpis", "review_cadence"),
        (),
    ),
    (
        "optimisation",
        "Optimisation suggestions",
        (
            "period_start",
            "period_end",
            "rows_imported",
            "rows_skipped",
            "performance",
            "kpi_progress",
            "suggestions",
        ),
        ("tracking_checklist",),
    ),
]


def _execution_steps(selected: Iterable[Platform]) -> list[_Step]:
    platforms = list(dict.fromkeys(selected))
    steps: list[_Step] = [
        (
            "calendar",
            "Content calendar",
            ("brand", "timezone", "window_start", "window_end", "calendar", "notes"),
            (),
        ),
    ]
    for platform in post_platforms(platforms):
        steps.append((f"posts.{platform.value}", f"Posts for {platform.value}", ("posts",), ("calendar",)))
    if any(p in VIDEO_PLATFORMS for p in platforms):
        steps.append(("reel_scripts", "Reel scripts", ("reel_scripts",), ("calendar",)))
    steps.append(("hashtag_sets", "Hashtag sets", ("hashtag_sets",), ("calendar",)))
    if Platform.EMAIL in platforms:
        steps.append(("email_sequence", "E-mail sequence", ("email_sequence",), ("calendar",)))
    return steps


def _delivery_steps(formats: Sequence[OutputFormat]) -> list[_Step]:
    steps: list[_Step] = [
        (
            "summary",
            "Client summary",
            (
                "brand",
                "title",
                "executive_summary",
                "highlights",
                "included",
                "exports",
                "next_steps",
                "reporting",
            ),
            (),
        )
    ]
    for fmt in formats:
        # The ZIP bundles the PDF and the deck: after them, it reuses their files instead of
        # rendering both again at the same time on the same cores.
        before = tuple(
            f.value.lower() for f in formats if fmt is OutputFormat.ZIP and f is not OutputFormat.ZIP
        )
        steps.append((fmt.value.lower(), f"{fmt.value} export", (), ("summary", *before)))
    return steps


def required_exports(intake: Intake) -> list[OutputFormat]:
    """The export formats to produce: the brief's required_outputs, or a PDF report when none."""
    return list(dict.fromkeys(intake.required_outputs)) or [OutputFormat.PDF]


def every_content_part() -> list[tuple[Module, tuple[str, ...]]]:
    """Each (module, content fields) a generate job of any plan writes: every platform and export
    selected. A worker prepares their output schemas once at start-up, not inside a job."""
    steps = [
        *((Module.STRATEGY, step) for step in _STRATEGY),
        *((Module.CREATIVES, step) for step in _CREATIVES),
        *((Module.EXECUTION, step) for step in _execution_steps(Platform)),
        *((Module.MONITORING, step) for step in _MONITORING),
        *((Module.DELIVERY, step) for step in _delivery_steps(list(OutputFormat))),
    ]
    return list(dict.fromkeys((module, fields) for module, (_, _, fields, _) in steps if fields))


def plan_jobs(intake: Intake) -> list[JobSpec]:
    """The job DAG for `intake`, in an order where every job follows its dependencies."""
    steps_by_module: dict[Module, list[_Step]] = {
        Module.STRATEGY: _STRATEGY,
        Module.CREATIVES: _CREATIVES,
        Module.EXECUTION: _execution_steps(intake.platforms),
        Module.MONITORING: _MONITORING,
        Module.DELIVERY: _delivery_steps(required_exports(intake)),
    }
    jobs: list[JobSpec] = []
    keys_by_module: dict[Module, tuple[str, ...]] = {}
    for module, steps in steps_by_module.items():
        upstream_keys = tuple(
            key for upstream in UPSTREAMS[module] for key in keys_by_module.get(upstream, ())
        )
        module_keys: list[str] = []
        for suffix, title, fields, inner in steps:
            key = f"{module.value}.{suffix}"
            is_export = module is Module.DELIVERY and not fields
            jobs.append(
                JobSpec(
                    key=key,
                    module=module,
                    title=title,
                    depends_on=upstream_keys + tuple(f"{module.value}.{d}" for d in inner),
                    platform=suffix.split(".", 1)[1] if suffix.startswith("posts.") else None,
                    content_fields=fields,
                    kind="export" if is_export else "generate",
                    export_format=suffix.upper() if is_export else None,
                )
            )
            module_keys.append(key)
        keys_by_module[module] = tuple(module_keys)
    return jobs


def dag_problems(jobs: Sequence[JobSpec]) -> list[str]:
    """Why `jobs` is not a valid DAG (unknown dependency, duplicate key, cycle); empty when valid."""
    problems: list[str] = []
    keys = [job.key for job in jobs]
    known = set(keys)
    problems += [f"duplicate job key {key!r}" for key in sorted({k for k in keys if keys.count(k) > 1})]
    for job in jobs:
        problems += [
            f"{job.key} depends on unknown job {dep!r}" for dep in job.depends_on if dep not in known
        ]
    if not problems:
        try:
            stages(jobs)
        except ValueError as exc:
            problems.append(str(exc))
    return problems


def stages(jobs: Sequence[JobSpec]) -> list[list[str]]:
    """Jobs in layers: each layer's jobs depend only on jobs of earlier layers (ValueError on a cycle)."""
    remaining = {job.key: set(job.depends_on) for job in jobs}
    done: set[str] = set()
    layers: list[list[str]] = []
    while remaining:
        ready = [key for key, deps in remaining.items() if deps <= done]
        if not ready:
            raise ValueError("cycle among jobs: " + ", ".join(sorted(remaining)))
        layers.append(ready)
        done.update(ready)
        for key in ready:
            del remaining[key]
    return layers


def ready_jobs(jobs: Sequence[JobSpec], completed: Iterable[str]) -> list[JobSpec]:
    """Jobs not yet completed whose dependencies all are (what "run all ready" would start)."""
    finished = set(completed)
    return [job for job in jobs if job.key not in finished and set(job.depends_on) <= finished]
