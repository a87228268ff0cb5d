"""The generation plan (SPEC §5): a DAG of jobs derived from an approved brief. Pure.

Each job names the module it belongs to and the parts of that module's content model it writes
(`content_fields`), so a runner can build an artifact part by part. Module-level dependencies
follow SPEC §4 (`UPSTREAMS`): every job of a module depends on every job of its upstream modules
that are in the plan; within a module, jobs follow the order a strategist works in.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, NamedTuple, Protocol

from aicmo.domain.artifacts import UPSTREAMS, Module
from aicmo.domain.schemas.intake import Intake, OutputFormat, Platform

JobKind = Literal["generate", "export"]
VIDEO_PLATFORMS = frozenset({Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.FACEBOOK})
# Posts are written two weeks of one platform at a time: a handful of posts per answer keeps each
# well inside a model's output limit, a retry redoes little, and the batches run side by side.
POST_BATCH_WEEKS = 2


@dataclass(frozen=True)
class PostScope:
    """The posts (and calendar entries) a posts job owns: one platform's, and with `weeks`
    (1-based, inclusive) only those scheduled in those weeks of the engagement window.

    The first batch also owns anything dated before the window and the last anything after it,
    so every item has exactly one owner (the quality gates flag the out-of-window dates)."""

    platform: str
    weeks: tuple[int, int] | None = None

    def owns(self, item: Mapping[str, Any], window_start: date, window_end: date) -> bool:
        if item.get("platform") != self.platform:
            return False
        if self.weeks is None:
            return True
        day = str(item.get("scheduled_at") or item.get("date") or "")[:10]
        try:
            week = (date.fromisoformat(day) - window_start).days // 7 + 1
        except ValueError:  # an undated item belongs to the first batch
            week = 1
        last_week = (window_end - window_start).days // 7 + 1
        first, last = self.weeks
        return (first <= 1 or week >= first) and (last >= last_week or week <= last)

    def describe(self) -> str:
        if self.weeks is None:
            return self.platform
        first, last = self.weeks
        span = f"week {first}" if first == last else f"weeks {first}-{last}"
        return f"{self.platform}, {span}"


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
    weeks: tuple[int, int] | None = None  # a posts job's weeks of the window (1-based, inclusive)

    @property
    def scope(self) -> PostScope | None:
        return PostScope(self.platform, self.weeks) if self.platform else None


def post_platforms(platforms: Iterable[Platform]) -> list[Platform]:
    """Platforms that get scheduled posts: every selected one but e-mail (it gets a sequence),
    unless e-mail is all there is, in which case the e-mails are scheduled as newsletters."""
    chosen = list(dict.fromkeys(platforms))
    social = [p for p in chosen if p is not Platform.EMAIL]
    return social or ([Platform.EMAIL] if Platform.EMAIL in chosen else [])


def post_batches(duration_weeks: int) -> list[tuple[int, int]]:
    """The weeks (1-based, inclusive) of each posts batch over an engagement of `duration_weeks`."""
    return [
        (first, min(first + POST_BATCH_WEEKS - 1, duration_weeks))
        for first in range(1, max(1, duration_weeks) + 1, POST_BATCH_WEEKS)
    ]


class _Step(NamedTuple):
    suffix: str  # of the job key, after the module
    title: str
    fields: tuple[str, ...]  # of the module's content model
    inner: tuple[str, ...] = ()  # in-module dependencies (suffixes)
    platform: str | None = None
    weeks: tuple[int, int] | None = None


# The order a strategist works in, as wide as it allows: who the client sells to comes first,
# then how the brand stands apart; messaging, pillars and the platform plan build on those side by
# side, and the measurement plan and executive summary pull everything together.
_STRATEGY: list[_Step] = [
    _Step("icp", "ICP definition", ("brand", "icp")),
    _Step("positioning", "Positioning", ("positioning_statement",), ("icp",)),
    _Step("messaging", "Messaging framework", ("messaging",), ("positioning",)),
    _Step("pillars", "Content pillars", ("pillars",), ("positioning",)),
    _Step("platform_strategy", "Platform strategy and media plan", ("platforms", "media_plan"), ("icp",)),
    _Step(
        "measurement",
        "Measurement plan and executive summary",
        ("measurement", "executive_summary"),
        ("messaging", "pillars", "platform_strategy"),
    ),
]
_CREATIVES: list[_Step] = [
    _Step("brand_kit", "Brand-kit suggestions", ("brand", "brand_kit")),
    _Step("carousels", "Carousel templates", ("carousels",), ("brand_kit",)),
    _Step("reel_covers", "Reel cover templates", ("reel_covers",), ("brand_kit",)),
    _Step("image_prompts", "Image-pack prompts", ("image_prompts",), ("brand_kit",)),
    _Step("video_scripts", "Video and reel scripts", ("video_scripts",)),
    _Step("thumbnails", "Thumbnails and banners", ("thumbnails",), ("brand_kit",)),
]
_MONITORING: list[_Step] = [
    _Step(
        "tracking_checklist",
        "Tracking checklist",
        ("brand", "data_status", "data_note", "tracking_checklist", "kpis", "review_cadence"),
    ),
    _Step(
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


def _execution_steps(selected: Iterable[Platform], duration_weeks: int) -> list[_Step]:
    """The calendar, then each platform's posts in batches of weeks and the reel scripts, which
    write to its slots; hashtag sets and the e-mail sequence build on the strategy alone."""
    platforms = list(dict.fromkeys(selected))
    steps = [
        _Step(
            "calendar",
            "Content calendar",
            ("brand", "timezone", "window_start", "window_end", "calendar", "notes"),
        ),
    ]
    for platform in post_platforms(platforms):
        for weeks in post_batches(duration_weeks):
            scope = PostScope(platform.value, weeks)
            steps.append(
                _Step(
                    f"posts.{platform.value}.w{weeks[0]}-{weeks[1]}",
                    f"Posts for {scope.describe()}",
                    ("posts",),
                    ("calendar",),
                    platform.value,
                    weeks,
                )
            )
    if any(p in VIDEO_PLATFORMS for p in platforms):
        steps.append(_Step("reel_scripts", "Reel scripts", ("reel_scripts",), ("calendar",)))
    steps.append(_Step("hashtag_sets", "Hashtag sets", ("hashtag_sets",)))
    if Platform.EMAIL in platforms:
        steps.append(_Step("email_sequence", "E-mail sequence", ("email_sequence",)))
    return steps


def _delivery_steps(formats: Sequence[OutputFormat]) -> list[_Step]:
    steps: list[_Step] = [
        _Step(
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
        steps.append(_Step(fmt.value.lower(), f"{fmt.value} export", (), ("summary", *before)))
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
        *((Module.EXECUTION, step) for step in _execution_steps(Platform, POST_BATCH_WEEKS)),
        *((Module.MONITORING, step) for step in _MONITORING),
        *((Module.DELIVERY, step) for step in _delivery_steps(list(OutputFormat))),
    ]
    return list(dict.fromkeys((module, step.fields) for module, step in steps if step.fields))


def plan_jobs(intake: Intake) -> list[JobSpec]:
    """The job DAG for `intake`, in an order where every job follows its dependencies."""
    steps_by_module: dict[Module, list[_Step]] = {
        Module.STRATEGY: _STRATEGY,
        Module.CREATIVES: _CREATIVES,
        Module.EXECUTION: _execution_steps(intake.platforms, intake.duration_weeks),
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
        for step in steps:
            key = f"{module.value}.{step.suffix}"
            is_export = module is Module.DELIVERY and not step.fields
            jobs.append(
                JobSpec(
                    key=key,
                    module=module,
                    title=step.title,
                    depends_on=upstream_keys + tuple(f"{module.value}.{d}" for d in step.inner),
                    platform=step.platform,
                    content_fields=step.fields,
                    kind="export" if is_export else "generate",
                    export_format=step.suffix.upper() if is_export else None,
                    weeks=step.weeks,
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


class _Charted(Protocol):
    """What a chart of the plan reads of a job (a `JobSpec`, or the API's `JobPublic`)."""

    key: str
    platform: str | None

    @property
    def weeks(self) -> Sequence[int] | None: ...


def chart_node(job: _Charted) -> str:
    """The node a job is drawn as: a platform's posts batches share one node (they are one piece
    of work split for the model's sake; drawn apart, they made the chart unreadably wide)."""
    if job.platform and job.weeks:
        return job.key.rsplit(".", 1)[0]
    return job.key


def reduced_edges(deps: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """The edges of the DAG `deps` (node -> its dependencies) without the ones implied by others
    (a transitive reduction), so a chart shows the working order, not every dependency."""
    direct = {node: set(d) - {node} for node, d in deps.items()}
    reach: dict[str, set[str]] = {}

    def ancestors(node: str) -> set[str]:
        if node not in reach:
            reach[node] = set()
            for dep in direct.get(node, ()):
                reach[node] |= {dep} | ancestors(dep)
        return reach[node]

    edges = []
    for node, before in direct.items():
        implied = set().union(*(ancestors(d) for d in before)) if before else set()
        edges += [(dep, node) for dep in sorted(before - implied)]
    return edges


def chart_edges(jobs: Sequence[_Charted], depends_on: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """`reduced_edges` between the jobs' chart nodes (`depends_on`: job key -> dependency keys)."""
    node_of = {job.key: chart_node(job) for job in jobs}
    deps: dict[str, set[str]] = {}
    for job in jobs:
        deps.setdefault(node_of[job.key], set()).update(
            node_of[d] for d in depends_on.get(job.key, ()) if d in node_of
        )
    return reduced_edges(deps)
