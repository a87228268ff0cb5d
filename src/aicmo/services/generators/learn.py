"""Learn generator ("Kaizen"): insights from recorded learning events (`inputs.extra['events']`), or,
with no measured outcomes yet, a learning agenda of hypotheses derived from the pillars and platforms."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any, ClassVar, Literal

from pydantic import ValidationError

from aicmo.domain.artifacts import Module
from aicmo.domain.learning import LearnedMix
from aicmo.domain.plan import post_platforms
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.domain.schemas.learn import Hypothesis, Insight, Learn, LearningEvent
from aicmo.services.generators._copy import ctas
from aicmo.services.generators._facts import Facts, facts_for
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators._upstream import strategy_of
from aicmo.services.generators.base import GenerationInputs

MAX_EVENTS = 20_000
SIGNAL = {
    Objective.LEADS: "click-through rate to the booking or demo page",
    Objective.SALES: "add-to-cart rate",
    Objective.HIRING: "apply-click rate",
    Objective.AWARENESS: "engagement rate",
    Objective.PARTNERSHIPS: "partner enquiries per post",
    Objective.RETENTION: "click rate from existing customers",
}
_STOP = frozenset(
    {"the", "a", "an", "and", "or", "to", "of", "in", "on", "for", "is", "it", "this", "that", "be"}
)


def parse_events(raw: Any) -> tuple[list[LearningEvent], int]:
    if not isinstance(raw, list):
        return [], 0
    events, skipped = [], 0
    for item in raw[:MAX_EVENTS]:
        try:
            events.append(LearningEvent.model_validate(item))
        except (ValidationError, TypeError, ValueError):
            skipped += 1
    return events, skipped + max(0, len(raw) - MAX_EVENTS)


def _band(event: LearningEvent) -> str:
    if not event.posted_at:
        return ""
    hour = event.posted_at.hour
    return (
        "morning (before 11:00)"
        if hour < 11
        else ("midday (11:00-15:00)" if hour < 15 else "evening (after 15:00)")
    )


DIMENSIONS: list[tuple[str, Callable[[LearningEvent], str]]] = [
    ("pillar", lambda e: e.pillar),
    ("platform", lambda e: e.platform),
    ("format", lambda e: e.format),
    ("posting time", _band),
]


class LearnGenerator(SectionedGenerator[Learn]):
    module: ClassVar[Module] = Module.LEARN
    output_type: ClassVar[type[Learn]] = Learn
    uses_llm: ClassVar[bool] = False  # insights are computed from events, never imagined

    def plan_offline(self, inputs: GenerationInputs) -> Learn:
        f = facts_for(inputs.intake)
        events, skipped = parse_events(inputs.extra.get("events"))
        learned = LearnedMix.from_record(inputs.extra.get("learned"))
        insights = _decision_insights(events)
        agenda = _agenda(f, inputs)
        skipped_note = f" {skipped} event(s) could not be read." if skipped else ""
        if learned is not None:
            outcome_insights = _measured_insights(learned)
            learn = Learn(
                brand=f.brand,
                status="insights",
                status_note=f"{learned.seen} measured post(s) for {f.brand}, pooled with a "
                f"{learned.prior_mean:.2%} prior engagement rate worth 2,000 impressions; every figure "
                f"below is computed from the imported rows.{skipped_note}",
                events_seen=len(events) + learned.seen,
                insights=outcome_insights + insights,
                agenda=agenda[:3],
                next_generation_changes=[i.recommendation for i in outcome_insights[:4]],
            )
            return self.repair(learn, inputs)
        outcomes = [e for e in events if e.kind == "outcome" and e.value is not None]
        if outcomes:
            outcome_insights = _outcome_insights(outcomes)
            learn = Learn(
                brand=f.brand,
                status="insights",
                status_note=f"{len(outcomes)} measured outcome(s) among {len(events)} events for "
                f"{f.brand}; insights below are computed from them.{skipped_note}",
                events_seen=len(events),
                insights=outcome_insights + insights,
                agenda=agenda[:3],
                next_generation_changes=[i.recommendation for i in outcome_insights[:4]],
            )
        else:
            learn = Learn(
                brand=f.brand,
                status="no_outcomes",
                status_note=f"No outcomes have been measured yet for {f.brand} ({len(events)} event(s) "
                "recorded, none with a measured result), so nothing is claimed about what works. Below "
                "is the learning agenda: hypotheses to test once posts are live and results are "
                f"imported.{skipped_note}",
                events_seen=len(events),
                insights=insights,
                agenda=agenda,
            )
        return self.repair(learn, inputs)

    def repair(self, content: Learn, inputs: GenerationInputs) -> Learn:
        return ensure_brand(scrub_model(content, inputs.intake), inputs.intake, "status_note")

    def title(self, content: Learn) -> str:
        return f"Learn: {content.brand}"

    def sections(self, content: Learn) -> list[Section]:
        c = content
        dump = c.model_dump(mode="json")
        sections = [
            Section("status", "Status", c.status_note, {"status": c.status, "events_seen": c.events_seen})
        ]
        if c.insights:
            text = "\n\n".join(
                f"**{i.title}** ({i.dimension}, {i.confidence} confidence)\n\n"
                + bullets([f"Evidence: {i.evidence}", f"Recommendation: {i.recommendation}"])
                for i in c.insights
            )
            sections.append(Section("insights", "Insights", text, {"insights": dump["insights"]}))
        if c.agenda:
            agenda = table(
                ["Hypothesis", "Metric", "Test", "Success when"],
                [[h.statement, h.metric, h.test, h.success_when] for h in c.agenda],
            )
            sections.append(Section("agenda", "Learning agenda", agenda, {"agenda": dump["agenda"]}))
        changes = bullets(c.next_generation_changes) or "No changes yet: they follow from measured outcomes."
        sections.append(
            Section(
                "changes",
                "Changes for the next generation",
                changes,
                {"next_generation_changes": c.next_generation_changes},
            )
        )
        return sections


def _confidence(n: int) -> Literal["low", "medium", "high"]:
    return "high" if n >= 10 else ("medium" if n >= 5 else "low")


def _outcome_insights(outcomes: list[LearningEvent]) -> list[Insight]:
    metric = Counter(e.metric or "result" for e in outcomes).most_common(1)[0][0]
    scored = [e for e in outcomes if (e.metric or "result") == metric]
    overall = sum(e.value or 0 for e in scored) / len(scored)
    insights = []
    for dimension, key in DIMENSIONS:
        groups: dict[str, list[float]] = defaultdict(list)
        for event in scored:
            if key(event):
                groups[key(event)].append(event.value or 0.0)
        if len(groups) < 2:
            continue
        means = {g: sum(v) / len(v) for g, v in groups.items()}
        best = max(sorted(means), key=lambda g: means[g])
        worst = min(sorted(means), key=lambda g: means[g])
        if means[best] <= means[worst]:
            continue
        lift = (means[best] - overall) / overall * 100 if overall else 0.0
        insights.append(
            Insight(
                title=f"Best {dimension}: {best}",
                evidence=f"Average {metric} {means[best]:.2f} for {best} ({len(groups[best])} outcome(s)) "
                f"vs {means[worst]:.2f} for {worst} and {overall:.2f} overall ({lift:+.0f}%).",
                recommendation=f"Give {best} more of the next calendar (and less to {worst}), then "
                "re-measure.",
                confidence=_confidence(len(groups[best])),
                dimension=dimension,
            )
        )
    return insights


def _measured_insights(learned: LearnedMix) -> list[Insight]:
    """One insight per dimension where options differ: the best against the worst, with the 95 %
    interval of the ratio and the posts behind it; low confidence says so."""
    insights = []
    for dimension, sentence in learned.comparisons.items():
        options = learned.estimates.get(dimension, {})
        if len(options) < 2:
            continue
        ranked = sorted(options.values(), key=lambda e: (-e.mean, e.option))
        best, worst = ranked[0], ranked[-1]
        confident = "low confidence" not in sentence
        posts = best.posts + worst.posts
        insights.append(
            Insight(
                title=f"Best {dimension}: {best.option}",
                evidence=f"{sentence[0].upper()}{sentence[1:]}; engagement rate {best.mean:.2%} "
                f"(95 % interval {best.low:.2%}-{best.high:.2%}, {best.posts} posts, {best.impressions:,} "
                f"impressions) against {worst.mean:.2%} ({worst.posts} posts).",
                recommendation=(
                    f"Give '{best.option}' more of the next calendar and '{worst.option}' less; keep about "
                    "10 % of posts exploring."
                    if confident
                    else f"Keep testing '{best.option}' against '{worst.option}': it may be noise."
                ),
                confidence="high" if confident and posts >= 20 else ("medium" if confident else "low"),
                dimension=dimension,
            )
        )
    return insights


def _decision_insights(events: list[LearningEvent]) -> list[Insight]:
    decisions = [e for e in events if e.kind in {"approval", "rejection", "amendment"}]
    by_module: dict[str, Counter[str]] = defaultdict(Counter)
    comments: dict[str, Counter[str]] = defaultdict(Counter)
    for event in decisions:
        module = event.module or "unknown"
        by_module[module][event.kind] += 1
        if event.kind in {"rejection", "amendment"}:
            words = [w for w in re.findall(r"[a-z][a-z\-]{2,}", event.comment.lower()) if w not in _STOP]
            comments[module].update(words)
    insights = []
    for module in sorted(by_module):
        counts = by_module[module]
        pushback = counts["rejection"] + counts["amendment"]
        total = pushback + counts["approval"]
        if not pushback:
            continue
        common = ", ".join(f"'{w}'" for w, _ in comments[module].most_common(3))
        insights.append(
            Insight(
                title=f"{module}: {pushback} of {total} decisions asked for changes",
                evidence=f"{counts['rejection']} rejection(s), {counts['amendment']} amendment(s)"
                + (f"; comments mention {common}" if common else "")
                + ".",
                recommendation=f"Carry these comments into the next {module} generation as instructions.",
                confidence=_confidence(total),
                dimension="operator feedback",
            )
        )
    return insights


def _agenda(f: Facts, inputs: GenerationInputs) -> list[Hypothesis]:
    strategy = strategy_of(inputs)
    platforms = post_platforms(f.platforms) or [Platform.LINKEDIN]
    signal = SIGNAL[f.objective]
    agenda = []
    for n, pillar in enumerate(strategy.pillars[:4]):
        platform = platforms[n % len(platforms)]
        agenda.append(
            Hypothesis(
                statement=f"'{pillar.name}' posts earn a higher {signal} than the average post on "
                f"{platform.value}.",
                metric=signal,
                test=f"Publish at least 4 posts from this pillar on {platform.value} in weeks 1-4; "
                "compare per-post results with the other pillars.",
                success_when="20%+ above the average of the other pillars over at least 4 posts each.",
                pillar=pillar.name,
                platform=platform.value,
            )
        )
    first = platforms[0]
    agenda.append(
        Hypothesis(
            statement=f"Evening posts (after 18:00 {f.timezone}) beat morning posts on {first.value} for "
            f"{f.audience_lc}.",
            metric=signal,
            test="Alternate the posting time of the same pillar for four weeks.",
            success_when="A consistent 15%+ difference over at least 6 posts per time slot.",
            platform=first.value,
        )
    )
    actions = ctas(f)
    if len(actions) >= 2:
        agenda.append(
            Hypothesis(
                statement=f"'{actions[0]}' converts better than '{actions[1]}'.",
                metric="conversion rate from click",
                test="Split the calls to action evenly across posts for four weeks.",
                success_when="The winner leads by 20%+ with at least 100 clicks per variant.",
            )
        )
    return agenda
