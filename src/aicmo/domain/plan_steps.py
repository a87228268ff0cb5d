"""The steps each planned module's work splits into (SPEC §5), in the order a strategist works.

`domain.modules` names each module's step function; `domain.plan` turns the steps of every planned
module into the job DAG. Pure: the steps follow from the brief's platforms, weeks and formats.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from aicmo.domain.channels import posting_platforms
from aicmo.domain.compliance import sectors_for
from aicmo.domain.schemas.intake import Intake, OutputFormat, Platform

VIDEO_PLATFORMS = frozenset({Platform.INSTAGRAM, Platform.TIKTOK, Platform.YOUTUBE, Platform.FACEBOOK})
# Posts are written two weeks of one platform at a time: a handful of posts per answer keeps each
# well inside a model's output limit, a retry redoes little, and the batches run side by side.
POST_BATCH_WEEKS = 2
# Ready-to-post pieces per engagement: enough for the window, quick to review (the offline
# calendar caps at it; the coverage gate allows for it on long windows with many channels).
REVIEWABLE_POSTS = 60


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


class PlanScope(NamedTuple):
    """What a plan's steps depend on: the brief's platforms, its weeks, its export formats and
    whether it falls under a regulated sector (`domain.compliance`)."""

    platforms: Sequence[Platform]
    duration_weeks: int
    formats: Sequence[OutputFormat]
    regulated: bool = False

    @classmethod
    def of(cls, intake: Intake) -> PlanScope:
        return cls(
            intake.platforms, intake.duration_weeks, required_exports(intake), bool(sectors_for(intake))
        )

    @classmethod
    def widest(cls) -> PlanScope:
        """Every platform, every format, regulated: the steps of every possible plan."""
        return cls(list(Platform), POST_BATCH_WEEKS, list(OutputFormat), True)


def post_platforms(platforms: Iterable[Platform]) -> list[Platform]:
    """Platforms that get scheduled posts: every selected one but e-mail (it gets a sequence) and
    channels without posts (search ads, see `domain.channels`), unless e-mail is all there is, in
    which case the e-mails are scheduled as newsletters (and search ads alone get their ad copy
    scheduled as weekly ad refreshes)."""
    chosen = list(dict.fromkeys(platforms))
    social = posting_platforms(chosen)
    return social or ([Platform.EMAIL] if Platform.EMAIL in chosen else chosen)


def post_batches(duration_weeks: int) -> list[tuple[int, int]]:
    """The weeks (1-based, inclusive) of each posts batch over an engagement of `duration_weeks`."""
    return [
        (first, min(first + POST_BATCH_WEEKS - 1, duration_weeks))
        for first in range(1, max(1, duration_weeks) + 1, POST_BATCH_WEEKS)
    ]


class Step(NamedTuple):
    suffix: str  # of the job key, after the module
    title: str
    fields: tuple[str, ...]  # of the module's content model
    inner: tuple[str, ...] = ()  # in-module dependencies (suffixes)
    platform: str | None = None
    weeks: tuple[int, int] | None = None


# The order a strategist works in, as wide as it allows: who the client sells to comes first,
# then how the brand stands apart; messaging, pillars and the platform plan build on those side by
# side, and the measurement plan and executive summary pull everything together.
_STRATEGY: list[Step] = [
    Step("icp", "ICP definition", ("brand", "icp")),
    Step("positioning", "Positioning", ("positioning_statement",), ("icp",)),
    Step("messaging", "Messaging framework", ("messaging",), ("positioning",)),
    Step("pillars", "Content pillars", ("pillars",), ("positioning",)),
    Step("platform_strategy", "Platform strategy and media plan", ("platforms", "media_plan"), ("icp",)),
    Step(
        "measurement",
        "Measurement plan and executive summary",
        ("measurement", "executive_summary"),
        ("messaging", "pillars", "platform_strategy"),
    ),
]
_CREATIVES: list[Step] = [
    Step("brand_kit", "Brand-kit suggestions", ("brand", "brand_kit")),
    Step("carousels", "Carousel templates", ("carousels",), ("brand_kit",)),
    Step("reel_covers", "Reel cover templates", ("reel_covers",), ("brand_kit",)),
    Step("image_prompts", "Image-pack prompts", ("image_prompts",), ("brand_kit",)),
    Step("video_scripts", "Video and reel scripts", ("video_scripts",)),
    Step("thumbnails", "Thumbnails and banners", ("thumbnails",), ("brand_kit",)),
]
_MONITORING: list[Step] = [
    Step(
        "tracking_checklist",
        "Tracking checklist",
        ("brand", "data_status", "data_note", "tracking_checklist", "kpis", "review_cadence"),
    ),
    Step(
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
            "campaigns",
            "listening",
        ),
        ("tracking_checklist",),
    ),
]


def strategy_steps(scope: PlanScope) -> list[Step]:
    return list(_STRATEGY)


def creatives_steps(scope: PlanScope) -> list[Step]:
    return list(_CREATIVES)


def monitoring_steps(scope: PlanScope) -> list[Step]:
    return list(_MONITORING)


def execution_steps(scope: PlanScope) -> list[Step]:
    """The calendar, then each platform's posts in batches of weeks and the reel scripts, which
    write to its slots; hashtag sets and the e-mail sequence build on the strategy alone."""
    platforms = list(dict.fromkeys(scope.platforms))
    steps = [
        Step(
            "calendar",
            "Content calendar",
            ("brand", "timezone", "window_start", "window_end", "calendar", "notes"),
        ),
    ]
    for platform in post_platforms(platforms):
        for weeks in post_batches(scope.duration_weeks):
            posts = PostScope(platform.value, weeks)
            steps.append(
                Step(
                    f"posts.{platform.value}.w{weeks[0]}-{weeks[1]}",
                    f"Posts for {posts.describe()}",
                    ("posts",),
                    ("calendar",),
                    platform.value,
                    weeks,
                )
            )
    if any(p in VIDEO_PLATFORMS for p in platforms):
        steps.append(Step("reel_scripts", "Reel scripts", ("reel_scripts",), ("calendar",)))
    steps.append(Step("hashtag_sets", "Hashtag sets", ("hashtag_sets",)))
    if Platform.EMAIL in platforms:
        steps.append(Step("email_sequence", "E-mail sequence", ("email_sequence",)))
    return steps


_COMPLIANCE = Step(
    "review",
    "Compliance review",
    ("brand", "sectors", "verdict", "assets_reviewed", "checks", "findings", "reviewer_notes"),
)


def compliance_steps(scope: PlanScope) -> list[Step]:
    """A regulated brief's content is reviewed against its compliance rules before delivery (one
    job, after the execution plan); a brief in no regulated sector gets no review job."""
    return [_COMPLIANCE] if scope.regulated else []


def delivery_steps(scope: PlanScope) -> list[Step]:
    formats = scope.formats
    steps: list[Step] = [
        Step(
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
        steps.append(Step(fmt.value.lower(), f"{fmt.value} export", (), ("summary", *before)))
    return steps


def required_exports(intake: Intake) -> list[OutputFormat]:
    """The export formats to produce: the brief's required_outputs, or a PDF report when none."""
    return list(dict.fromkeys(intake.required_outputs)) or [OutputFormat.PDF]
