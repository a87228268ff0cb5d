"""A render-ready reading of an ExportPackage, shared by the PDF and the deck.

Everything a reader sees that is computed (local post times, weeks, totals, next steps, the
provenance table) is computed here once, so the report and the deck never disagree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

from aicmo.adapters.exporters import agency as agency_settings
from aicmo.adapters.exporters import charts
from aicmo.adapters.exporters.agency import Agency
from aicmo.adapters.exporters.text import (
    compact_number,
    hashtags_text,
    local_time,
    long_date,
    module_label,
    money,
    percent,
    period_text,
    platform_label,
    short_date,
    truncate,
)
from aicmo.adapters.exporters.theme import Theme
from aicmo.domain.artifacts import Module
from aicmo.domain.locale import DEFAULT_LOCALE, client_locale
from aicmo.domain.metrics import Figure, Kpis, from_record, kpis
from aicmo.domain.modules import EXPORT_SECTIONS
from aicmo.domain.money import currency_of
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.delivery import DeliverySummary
from aicmo.domain.schemas.execution import Execution, Post
from aicmo.domain.schemas.export import ExportArtifact, ExportPackage
from aicmo.domain.schemas.intake import Intake
from aicmo.domain.schemas.strategy import Strategy

STRUCTURED = EXPORT_SECTIONS  # artifacts with their own layout; the rest go in `extra_sections`


@dataclass(frozen=True)
class CalendarRow:
    post_id: str
    when: datetime
    week: int
    platform: str
    platform_label: str
    pillar: str
    format: str
    title: str

    @property
    def date_text(self) -> str:
        return f"{self.when:%a} {short_date(self.when)}"

    @property
    def time_text(self) -> str:
        return f"{self.when:%H:%M}"


@dataclass(frozen=True)
class CalendarWeek:
    number: int
    start: date
    end: date
    rows: list[CalendarRow]

    @property
    def label(self) -> str:
        return f"Week {self.number} · {short_date(self.start)} – {short_date(self.end)}"


@dataclass(frozen=True)
class PostCard:
    post: Post
    when: datetime
    title: str

    @property
    def when_text(self) -> str:
        return f"{self.when:%a} {short_date(self.when)} · {self.when:%H:%M}"

    @property
    def hashtags(self) -> str:
        return hashtags_text(self.post.hashtags)


@dataclass(frozen=True)
class PlatformPosts:
    platform: str
    label: str
    cards: list[PostCard]
    total: int


@dataclass(frozen=True)
class Tile:
    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Step:
    title: str
    detail: str = ""
    owner: str = ""
    when: str = ""

    @property
    def meta(self) -> str:
        return " · ".join(part for part in (self.owner, self.when) if part)


def is_automatic(actor: str | None) -> bool:
    """Approved by the software: the autopilot or a plan job (`system:...`), or `aicmo pipeline
    --auto-approve` (`...:pipeline`), where no one reviewed the content."""
    text = str(actor or "")
    return text.startswith("system:") or text.endswith(":pipeline")


@dataclass(frozen=True)
class ProvenanceRow:
    label: str
    artifact: ExportArtifact

    @property
    def source(self) -> str:
        p = self.artifact.provenance
        parts = [part for part in (p.provider, p.model) if part]
        if not parts and not p.generator:
            return "Written by the team"
        return " · ".join(parts) or p.generator

    @property
    def automatic(self) -> bool:
        """Approved by the autopilot or a plan job (an actor named `system:...`), not a person."""
        return is_automatic(self.artifact.approved_by) and self.artifact.is_approved

    @property
    def approved_by(self) -> str:
        if not self.artifact.approved_by:
            return "Not approved"
        if self.automatic:
            return "Automatic (quality gates passed; no person reviewed it)"
        return self.artifact.approved_by

    @property
    def approved_when(self) -> str:
        at = self.artifact.approved_at
        if at is None:
            return ""
        return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if at.tzinfo else f"{at:%Y-%m-%d %H:%M}"

    @property
    def run_note(self) -> str:
        p = self.artifact.provenance
        parts = [f"prompt {p.prompt_version}" if p.prompt_version else "", p.run_id]
        return " · ".join(part for part in parts if part)

    @property
    def upstream(self) -> str:
        return ", ".join(f"{k} v{v}" for k, v in sorted(self.artifact.source_versions.items())) or "—"


@dataclass
class ReportView:
    package: ExportPackage
    sample_posts_per_platform: int = 3
    agency: Agency = field(default_factory=lambda: agency_settings.current_agency())

    @property
    def prepared_by(self) -> str:
        """The agency's name (a setting, else the package's author unless that is the tool's default);
        '' when neither is known: the tool is not the author."""
        given = self.package.generated_by.strip()
        return self.agency.name or (given if given and given != "AICMO" else "")

    # ---- identity --------------------------------------------------------------------------------
    @property
    def client(self) -> str:
        return self.package.client_name

    @property
    def engagement(self) -> str:
        return self.package.engagement_name

    @property
    def period(self) -> str:
        return period_text(self.package.period_start, self.package.period_end)

    @property
    def prepared(self) -> str:
        return long_date(self.package.generated_at.astimezone(self.package.tz).date(), self.locale)

    @cached_property
    def locale(self) -> str:
        """The client's locale (the brief's language and country) for money, numbers and dates."""
        i = self.intake
        return client_locale(i.languages, i.geography, i.timezone) if i else DEFAULT_LOCALE

    @cached_property
    def currency(self) -> str:
        """The brief's currency (as written in its budget, prices or KPIs), '' when it names none."""
        i = self.intake
        return currency_of(i.budget_range, i.pricing, i.aov_ltv, i.kpi_targets) if i else ""

    @property
    def running_client(self) -> str:
        return truncate(self.client, 48)

    @property
    def running_engagement(self) -> str:
        return truncate(self.engagement, 60)

    @property
    def weeks(self) -> int:
        days = (self.package.period_end - self.package.period_start).days + 1
        return max(1, -(-days // 7))

    # ---- typed content ---------------------------------------------------------------------------
    @cached_property
    def intake(self) -> Intake | None:
        return self.package.intake()

    @cached_property
    def strategy(self) -> Strategy | None:
        return self.package.strategy()

    @cached_property
    def creatives(self) -> Creatives | None:
        return self.package.creatives()

    @cached_property
    def execution(self) -> Execution | None:
        return self.package.execution()

    @cached_property
    def delivery(self) -> DeliverySummary | None:
        return self.package.delivery()

    @cached_property
    def theme(self) -> Theme:
        colours = self.package.brand_colors or (self.intake.brand_colors if self.intake else [])
        return Theme.from_colours(colours)

    @property
    def draft_notice(self) -> str:
        pending = self.package.unapproved()
        if not pending:
            return ""
        names = ", ".join(
            f"{module_label(a.type)} (v{a.version}, {a.status.value.replace('_', ' ')})" for a in pending
        )
        return f"Draft for review — not yet approved: {names}."

    # ---- summary -----------------------------------------------------------------------------------
    @property
    def summary_text(self) -> str:
        """The approved delivery summary when there is one, else the strategy's."""
        if self.delivery:
            return self.delivery.executive_summary
        return self.strategy.executive_summary if self.strategy else ""

    @property
    def highlights(self) -> list[str]:
        return list(self.delivery.highlights) if self.delivery else []

    @property
    def reporting(self) -> str:
        if self.delivery:
            return self.delivery.reporting
        return self.strategy.measurement.reporting if self.strategy else ""

    @property
    def brief_facts(self) -> list[tuple[str, str]]:
        i = self.intake
        if i is None:
            return []
        facts = [
            ("Objective", i.objective.value),
            ("Offer", i.primary_offer),
            ("Audience", i.target_audience),
            ("Market", f"{i.industry} · {i.geography}"),
            ("Budget", i.budget_range),
            ("Targets", i.kpi_targets),
            ("Constraints", i.constraints),
        ]
        return [(k, v) for k, v in facts if v]

    @property
    def plan_tiles(self) -> list[Tile]:
        tiles = [Tile("Weeks", str(self.weeks), self.period)]
        if self.execution:
            tiles.append(Tile("Posts planned", str(len(self.execution.posts)), "ready to schedule"))
        if self.strategy:
            names = [platform_label(p.platform) for p in self.strategy.platforms]
            note = ", ".join(names[:3]) + (f" +{len(names) - 3} more" if len(names) > 3 else "")
            tiles.append(Tile("Platforms", str(len(names)), note))
            tiles.append(Tile("Content pillars", str(len(self.strategy.pillars)), "themes in rotation"))
        return tiles

    @property
    def platform_names(self) -> str:
        if not self.strategy:
            return ""
        return ", ".join(platform_label(p.platform) for p in self.strategy.platforms)

    # ---- calendar and posts ----------------------------------------------------------------------
    def _when(self, post: Post) -> datetime:
        return local_time(post.scheduled_at, self.package.tz)

    @cached_property
    def titles(self) -> dict[str, str]:
        return {e.post_id: e.title for e in self.execution.calendar} if self.execution else {}

    @cached_property
    def calendar_rows(self) -> list[CalendarRow]:
        if not self.execution:
            return []
        start = self.package.period_start
        rows = []
        for post in self.execution.posts:
            when = self._when(post)
            week = max(1, (when.date() - start).days // 7 + 1)
            rows.append(
                CalendarRow(
                    post_id=post.id,
                    when=when,
                    week=week,
                    platform=str(post.platform),
                    platform_label=platform_label(post.platform),
                    pillar=post.pillar,
                    format=post.format,
                    title=self.titles.get(post.id) or post.text.split("\n")[0],
                )
            )
        return sorted(rows, key=lambda r: (r.when, r.platform))

    @cached_property
    def calendar_weeks(self) -> list[CalendarWeek]:
        grouped: dict[int, list[CalendarRow]] = defaultdict(list)
        for row in self.calendar_rows:
            grouped[row.week].append(row)
        start = self.package.period_start
        return [
            CalendarWeek(
                number=n,
                start=start + timedelta(weeks=n - 1),
                end=min(self.package.period_end, start + timedelta(weeks=n, days=-1)),
                rows=rows,
            )
            for n, rows in sorted(grouped.items())
        ]

    @cached_property
    def posts_by_platform(self) -> list[PlatformPosts]:
        if not self.execution:
            return []
        grouped: dict[str, list[Post]] = defaultdict(list)
        for post in self.execution.posts:
            grouped[str(post.platform)].append(post)
        order = [str(p.platform) for p in self.strategy.platforms] if self.strategy else []
        keys = sorted(grouped, key=lambda k: (order.index(k) if k in order else len(order), k))
        out = []
        for key in keys:
            posts = sorted(grouped[key], key=self._when)
            cards = [
                PostCard(p, self._when(p), self.titles.get(p.id, ""))
                for p in posts[: self.sample_posts_per_platform]
            ]
            out.append(PlatformPosts(key, platform_label(key), cards, len(posts)))
        return out

    def platform_week_matrix(self, max_columns: int = 6) -> tuple[list[str], list[tuple[str, list[str]]]]:
        """Calendar overview: platforms as columns (beyond `max_columns`, one 'Other' column), weeks
        as rows, 'n · formats' per cell."""
        groups = [[p.platform] for p in self.posts_by_platform]
        labels = [p.label for p in self.posts_by_platform]
        if len(groups) > max_columns:
            rest = [key for group in groups[max_columns - 1 :] for key in group]
            groups, labels = [*groups[: max_columns - 1], rest], [*labels[: max_columns - 1], "Other"]
        rows = []
        for week in self.calendar_weeks:
            cells = []
            for keys in groups:
                posts = [r for r in week.rows if r.platform in keys]
                formats = ", ".join(dict.fromkeys(r.format for r in posts))
                cells.append(f"{len(posts)} · {formats}" if posts else "—")
            rows.append((f"Week {week.number} · {short_date(week.start)}", cells))
        return labels, rows

    # ---- performance ------------------------------------------------------------------------------
    @cached_property
    def metric_rows(self) -> list[charts.MetricRow]:
        return charts.normalise_rows(self.package.metrics)

    @property
    def has_metrics(self) -> bool:
        return bool(self.metric_rows)

    @cached_property
    def kpis(self) -> Kpis | None:
        """The KPIs of the imported rows, computed as the console and the API compute them (a figure
        no row carries is None: "no data", never 0)."""
        rows = []
        for record in self.package.metrics:
            try:
                rows.append(from_record(record))
            except ValueError:
                continue  # a row the manifest could not have stored; the charts skip it too
        return kpis(rows) if rows else None

    @cached_property
    def metric_tiles(self) -> list[Tile]:
        k = self.kpis
        if k is None:
            return []
        loc = self.locale

        def tile(label: str, figure: Figure, show: Callable[[float], str]) -> Tile:
            value = show(figure.value) if figure.value is not None else "no data"
            return Tile(label, value, f"{figure.rows} rows")

        return [
            tile("Impressions", k.impressions, lambda v: compact_number(v, loc)),
            tile("Reach", k.reach, lambda v: compact_number(v, loc)),
            tile("Clicks", k.clicks, lambda v: compact_number(v, loc)),
            tile("Conversions", k.conversions, lambda v: compact_number(v, loc)),
            tile("Engagement rate", k.engagement_rate, lambda v: percent(v, locale=loc)),
            tile("Click-through rate", k.ctr, lambda v: percent(v, 2, loc)),
            tile("Spend", k.spend, lambda v: money(v, self.currency, loc)),
            tile("Cost per conversion", k.cost_per_result, lambda v: money(v, self.currency, loc)),
            tile("ROAS", k.roas, lambda v: f"{v:.2f}x"),
            tile("Sentiment (-1 to 1)", k.sentiment, lambda v: f"{v:+.2f}"),
        ]

    @property
    def metric_period(self) -> str:
        rows = self.metric_rows
        return period_text(rows[0].day, rows[-1].day) if rows else ""

    @cached_property
    def platform_performance(self) -> list[dict[str, str]]:
        return [
            {
                "platform": r["platform"],
                "impressions": compact_number(r["impressions"], self.locale),
                "clicks": compact_number(r["clicks"], self.locale),
                "ctr": percent(r["ctr"], 2, self.locale),
                "engagement_rate": percent(r["engagement_rate"], locale=self.locale),
                "conversions": compact_number(r["conversions"], self.locale),
                "spend": money(r["spend"], self.currency, self.locale),
            }
            for r in charts.platform_totals(self.metric_rows)
        ]

    @cached_property
    def platform_colours(self) -> dict[str, str]:
        """One colour per platform (planned platforms first), used by cards, calendar and charts."""
        keys = [g.platform for g in self.posts_by_platform]
        keys += sorted({r.platform for r in self.metric_rows} - set(keys))
        return dict(zip(keys, self.theme.series(max(1, len(keys))), strict=True))

    def platform_colour(self, platform: str) -> str:
        return self.platform_colours.get(str(platform), self.theme.accent)

    def chart_specs(self) -> list[tuple[str, object]]:
        return charts.report_charts(self.package.metrics, self.theme.series(6), self.platform_colours)

    # ---- other artifacts, next steps, provenance -----------------------------------------------------
    @property
    def extra_sections(self) -> list[tuple[str, ExportArtifact]]:
        """Artifacts without a structured layout here (monitoring, learn, …) that carry Markdown."""
        seen: set[Module] = set()
        out = []
        for artifact in self.package.artifacts:
            if artifact.type in STRUCTURED or artifact.type in seen:
                continue
            seen.add(artifact.type)
            latest = self.package.artifact(artifact.type)
            if latest and (latest.content_markdown.strip() or latest.content):
                out.append((module_label(latest.type), latest))
        return out

    @property
    def approval_note(self) -> str:
        """Plainly who approved what: people by name, the autopilot as automatic, the rest pending."""
        rows = self.provenance_rows
        latest = {r.artifact.type: r for r in rows}.values()
        automatic = [r.label for r in latest if r.automatic]
        people = sorted(
            {r.artifact.approved_by or "" for r in latest if r.artifact.is_approved and not r.automatic}
        )
        pending = [r.label for r in latest if not r.artifact.is_approved]
        parts = []
        if people:
            by_people = [r.label for r in latest if r.artifact.is_approved and not r.automatic]
            parts.append(f"Approved by a person ({', '.join(people)}): {', '.join(by_people)}.")
        if automatic:
            parts.append(
                f"Approved automatically, because every quality gate passed, with no person reviewing "
                f"them before this export: {', '.join(automatic)}."
            )
        if pending:
            parts.append(f"Not approved yet: {', '.join(pending)}.")
        return " ".join(parts)

    @property
    def provenance_rows(self) -> list[ProvenanceRow]:
        order = list(Module)
        ordered = sorted(self.package.artifacts, key=lambda a: (order.index(a.type), a.version))
        return [ProvenanceRow(module_label(a.type), a) for a in ordered]

    @cached_property
    def next_steps(self) -> list[Step]:
        """The delivery artifact's steps when there is one; otherwise steps read off the plan."""
        steps: list[Step] = []
        pending = self.package.unapproved()
        if pending:
            names = ", ".join(module_label(a.type).lower() for a in pending)
            steps.append(Step("Approve the plan", f"Review and approve the {names} so scheduling can start."))
        if self.delivery:
            return steps + [Step(n.step, "", n.owner, n.when) for n in self.delivery.next_steps]
        return steps + self._planned_steps()

    def _planned_steps(self) -> list[Step]:
        steps: list[Step] = []
        s, rows = self.strategy, self.calendar_rows
        if s and s.measurement.tracking_requirements:
            needs = "; ".join(s.measurement.tracking_requirements[:3])
            steps.append(Step("Set up tracking", f"Before the first post goes live: {needs}."))
        if rows:
            first = rows[0]
            steps.append(
                Step(
                    "Schedule the calendar",
                    f"Load {len(rows)} posts into the scheduler (calendar.csv or calendar.ics); the first is "
                    f"{first.platform_label} on {first.date_text} at {first.time_text}: “{first.title}”.",
                )
            )
        if s and s.media_plan.phases:
            phase = s.media_plan.phases[0]
            steps.append(
                Step(
                    f"Start the {phase.phase.lower()} phase",
                    f"{phase.weeks}: {phase.focus} ({phase.budget_share_pct}% of the paid budget).",
                )
            )
        if self.execution and self.execution.email_sequence:
            emails = self.execution.email_sequence
            steps.append(
                Step("Load the email sequence", f"{len(emails)} emails, starting with “{emails[0].subject}”.")
            )
        if s:
            kpi = s.measurement.primary_kpi
            steps.append(Step("Report and optimise", f"{self.reporting} Primary KPI: {kpi}."))
        return steps
