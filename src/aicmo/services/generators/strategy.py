"""Strategy generator: ICP, positioning, messaging, pillars, platform plan, media plan, measurement."""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.channels import CHANNELS
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.domain.schemas.strategy import (
    ICP,
    ContentPillar,
    MeasurementPlan,
    MediaPhase,
    MediaPlan,
    MessagingFramework,
    PlatformPlan,
    Strategy,
)
from aicmo.services.generators._calendar import MAX_POSTS, engagement_window
from aicmo.services.generators._copy import OBJECTIVE_JOBS, PLATFORM_FORMATS, PLATFORM_ROLES, quoted
from aicmo.services.generators._facts import Facts, facts_for
from aicmo.services.generators._kpis import kpis_for, tracking_requirements
from aicmo.services.generators._pillars import blueprints
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, numbered, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators._text import human_list, lc_first, strip_end
from aicmo.services.generators.base import GenerationInputs

GOALS = {
    Objective.LEADS: "more qualified enquiries",
    Objective.SALES: "more orders and more repeat customers",
    Objective.HIRING: "more of the right applicants, and hires who stay",
    Objective.AWARENESS: "wider, more relevant reach",
    Objective.PARTNERSHIPS: "new partner relationships that bring in customers",
    Objective.RETENTION: "customers who stay, buy again and refer others",
}
TRIGGERS = {
    Objective.LEADS: [
        "Planning for the next quarter or budget cycle",
        "Growth (new hires, a new site, a new service) that strains the current way of working",
        "A near miss that makes the problem visible to leadership",
    ],
    Objective.SALES: [
        "Running low, or a reorder date coming up",
        "A recommendation from a friend, creator or review",
        "A first-order offer or bundle that lowers the risk of trying",
    ],
    Objective.HIRING: [
        "Roster or workload changes at their current employer",
        "Graduation, registration or probation milestones",
        "A friend or former colleague already working there",
    ],
    Objective.AWARENESS: [
        "Searching for a way to solve the problem for the first time",
        "Seeing the brand recommended by someone they trust",
    ],
    Objective.PARTNERSHIPS: [
        "Their own growth targets needing a new channel",
        "A client asking for something they do not offer today",
    ],
    Objective.RETENTION: [
        "The first 30 days after purchase, when habits form",
        "A renewal or reorder date",
        "A drop in usage or a support request",
    ],
}
# Base weekly cadence by platform (scaled down so the engagement stays within MAX_POSTS pieces).
CADENCE = {p: c.cadence for p, c in CHANNELS.items()}
PAID_WEIGHT = {p: c.paid_weight for p, c in CHANNELS.items() if c.paid_weight}
RESERVE = "testing_reserve"


def cadence_for(f: Facts) -> dict[Platform, int]:
    """Posts per week per platform, capped so the whole engagement stays reviewable."""
    from aicmo.domain.plan import post_platforms

    posting = post_platforms(f.platforms)
    cadence = {p: CADENCE[p] for p in f.platforms}
    if f.objective is Objective.HIRING and Platform.LINKEDIN in cadence:
        cadence[Platform.LINKEDIN] = 2
    for platform in posting:
        cadence[platform] = max(1, cadence[platform])
    while sum(cadence[p] for p in posting) * f.weeks > MAX_POSTS:
        busiest = max(posting, key=lambda p: (cadence[p], -posting.index(p)))
        if cadence[busiest] <= 1:
            break
        cadence[busiest] -= 1
    return cadence


class StrategyGenerator(SectionedGenerator[Strategy]):
    module: ClassVar[Module] = Module.STRATEGY
    output_type: ClassVar[type[Strategy]] = Strategy

    def plan_offline(self, inputs: GenerationInputs) -> Strategy:
        f = facts_for(inputs.intake)
        start, _ = engagement_window(inputs)
        pillars = _pillars(f)
        platforms = _platforms(f)
        measurement = _measurement(f, start)
        strategy = Strategy(
            brand=f.brand,
            executive_summary=_summary(f, start, pillars, measurement),
            icp=_icp(f),
            positioning_statement=_positioning(f),
            messaging=_messaging(f),
            pillars=pillars,
            platforms=platforms,
            media_plan=_media_plan(f),
            measurement=measurement,
        )
        return self.repair(strategy, inputs)

    def repair(self, content: Strategy, inputs: GenerationInputs) -> Strategy:
        return ensure_brand(scrub_model(content, inputs.intake), inputs.intake, "executive_summary")

    def title(self, content: Strategy) -> str:
        return f"Strategy: {content.brand}"

    def sections(self, content: Strategy) -> list[Section]:
        c = content
        icp = "\n\n".join(
            [
                c.icp.summary,
                "**Segments**\n\n" + bullets(c.icp.segments),
                "**Pains**\n\n" + bullets(c.icp.pains),
                "**Desired outcomes**\n\n" + bullets(c.icp.desired_outcomes),
                "**Buying triggers**\n\n" + bullets(c.icp.buying_triggers),
                *(["**Objections**\n\n" + bullets(c.icp.objections)] if c.icp.objections else []),
            ]
        )
        messaging = "\n\n".join(
            [
                f"**Promise:** {c.messaging.promise}",
                "**Key messages**\n\n" + numbered(c.messaging.key_messages),
                "**Proof points**\n\n" + bullets(c.messaging.proof_points),
            ]
        )
        pillars = "\n\n".join(
            f"### {n}. {p.name}\n\n{p.description}\n\n**Example "
            f"topics**\n\n{bullets(p.example_topics)}\n\n**Formats:** {', '.join(p.formats)}"
            for n, p in enumerate(c.pillars, start=1)
        )
        platforms = table(
            ["Platform", "Role", "Posts per week", "Formats"],
            [[p.platform.value, p.role, p.posts_per_week, ", ".join(p.formats)] for p in c.platforms],
        )
        media = "\n\n".join(
            [
                c.media_plan.budget_note,
                table(
                    ["Where", "Share of paid budget"],
                    [[k, f"{v}%"] for k, v in c.media_plan.split_by_platform_pct.items()],
                ),
                table(
                    ["Phase", "Weeks", "Focus", "Budget share"],
                    [[p.phase, p.weeks, p.focus, f"{p.budget_share_pct}%"] for p in c.media_plan.phases],
                ),
            ]
        )
        measurement = "\n\n".join(
            [
                f"**Primary KPI:** {c.measurement.primary_kpi}",
                table(
                    ["KPI", "Target", "Source", "Cadence"],
                    [[k.name, k.target, k.source, k.cadence] for k in c.measurement.kpis],
                ),
                "**Tracking requirements**\n\n" + bullets(c.measurement.tracking_requirements),
                f"**Reporting:** {c.measurement.reporting}",
            ]
        )
        dump = c.model_dump(mode="json")
        return [
            Section(
                "executive_summary",
                "Executive summary",
                c.executive_summary,
                {"executive_summary": c.executive_summary},
            ),
            Section("icp", "Ideal customer profile", icp, {"icp": dump["icp"]}),
            Section(
                "positioning",
                "Positioning",
                c.positioning_statement,
                {"positioning_statement": c.positioning_statement},
            ),
            Section("messaging", "Messaging framework", messaging, {"messaging": dump["messaging"]}),
            Section("pillars", "Content pillars", pillars, {"pillars": dump["pillars"]}),
            Section("platforms", "Platform strategy", platforms, {"platforms": dump["platforms"]}),
            Section("media_plan", "Media plan", media, {"media_plan": dump["media_plan"]}),
            Section("measurement", "Measurement plan", measurement, {"measurement": dump["measurement"]}),
        ]


# ---- parts ----------------------------------------------------------------------------------------
def _summary(f: Facts, start: date, pillars: list[ContentPillar], measurement: MeasurementPlan) -> str:
    channels = human_list([p.value for p in f.platforms])
    lead = "; ".join(f.lc(strip_end(d)) for d in f.diffs[:2]) or f.lc(strip_end(f.offer))
    primary = measurement.kpis[0]
    when = start.strftime("%d %B %Y").lstrip("0")
    return (
        f"{f.brand} ({f.industry}, {f.geography}) wants {GOALS[f.objective]} from {f.lc(f.audience)}. Over "
        f"{f.weeks} weeks from {when}, the plan leads with what sets {f.short_brand} apart ({lead}), runs "
        f"{len(pillars)} content pillars across {channels}, and is judged on {lc_first(primary.name)} "
        f"(target: {primary.target}, from the {'brief' if primary.source == 'brief' else 'benchmarks'})."
    )


def _icp(f: Facts) -> ICP:
    segments = list(f.segments)
    if f.competitors and f.objective in {Objective.LEADS, Objective.SALES}:
        segments.append(f"Current users of {human_list(list(f.competitors), 'or')} open to switching")
    if f.locations and f.objective is not Objective.HIRING:
        segments.append(f"{f.audience_short} in {human_list(list(f.locations))}")
    segments += [f"{r} candidates in {f.area}" for r in f.roles[:3]]
    if f.skus and f.objective in {Objective.SALES, Objective.RETENTION}:
        segments.append(f"Existing customers who reorder {human_list(list(f.skus[:2]))}")
    triggers = list(TRIGGERS[f.objective])
    if f.pains and f.objective is Objective.HIRING:
        triggers.insert(0, f"Another hard week of {quoted(f.lc(f.pains[0]))} at their current employer")
    elif f.pains:
        triggers.insert(0, f"The moment {quoted(f.pains[0])} happens again")
    if f.objective is Objective.HIRING and f.area:
        triggers.append(f"Moving to, or wanting to stay in, {f.area}")
    objections = list(f.objections)
    if f.pricing:
        objections.append(f"Is it worth it at {strip_end(f.pricing)}?")
    if f.competitors and f.objective is not Objective.HIRING:
        objections.append(f"We already use {f.competitors[0]}.")
    if f.objective is Objective.HIRING:
        objections.append("Will it really be different from where I work now?")
    return ICP(
        summary=(
            f"{f.audience} in {f.geography}. They live with: "
            f"{'; '.join(f.lc(strip_end(p)) for p in f.pains)}. They want: "
            f"{'; '.join(f.lc(strip_end(o)) for o in f.outcomes)}."
        ),
        segments=list(dict.fromkeys(segments))[:5],
        pains=list(f.pains) or [f.offer],
        desired_outcomes=list(f.outcomes) or [f.offer],
        buying_triggers=triggers[:5],
        objections=list(dict.fromkeys(objections))[:5],
    )


def _positioning(f: Facts) -> str:
    if f.objective is Objective.HIRING:
        alternatives = f"other employers in {f.area}"
    else:
        alternatives = human_list(list(f.competitors), "or") or "the usual alternatives"
    outcome = f.lc(strip_end(f.outcomes[0])) if f.outcomes else "a better result"
    diffs = "; ".join(f.lc(strip_end(d)) for d in f.diffs) or f.lc(strip_end(f.offer))
    joiner = "and want" if re.search(r"(?i)\bwho\b", f.audience) else "who want"
    return (
        f"For {f.lc(f.audience)} {joiner} {outcome}, {f.brand} offers {f.lc(strip_end(f.offer))}. Unlike "
        f"{alternatives}, {f.short_brand} is built on: {diffs}."
    )


def _messaging(f: Facts) -> MessagingFramework:
    at = "at" if f.objective is Objective.HIRING else "from"
    promise = f"{strip_end(f.outcomes[0]) if f.outcomes else strip_end(f.offer)}, {at} {f.brand}."
    messages = []
    outcome = f.lc(strip_end(f.outcomes[0])) if f.outcomes else f.lc(strip_end(f.offer))
    for diff in f.diffs[:3]:
        pain = matching_pain(diff, f.pains)
        if pain:
            messages.append(f"{strip_end(diff)}: the answer to {quoted(f.lc(pain))}.")
        else:
            messages.append(f"{strip_end(diff)}, so {f.audience_lc} get {outcome}.")
    for objection in f.objections[:1]:
        answer = f.lc(strip_end(f.diffs[-1])) if f.diffs else f.lc(strip_end(f.offer))
        messages.append(f"{quoted(objection)}? {f.short_brand}'s answer: {answer}.")
    if f.pricing:
        messages.append(f"Clear pricing, stated upfront: {strip_end(f.pricing)}.")
    if f.evp:
        messages.append(f"What working here means: {human_list([f.lc(strip_end(e)) for e in f.evp])}.")
    if len(messages) < 2:
        messages.append(f"Made for {f.lc(f.audience)} in {f.geography}.")
    proofs = [*f.proofs, *([f.employer_notes] if f.employer_notes else [])]
    proofs += [d for d in f.diffs if any(ch.isdigit() for ch in d)]
    if f.pricing and f.objective in {Objective.LEADS, Objective.SALES}:
        proofs.append(f"Published pricing: {strip_end(f.pricing)}")
    return MessagingFramework(
        promise=promise,
        key_messages=list(dict.fromkeys(messages))[:5],
        proof_points=list(dict.fromkeys(proofs)) or [strip_end(f.diffs[0]) if f.diffs else f.offer],
    )


def matching_pain(diff: str, pains: tuple[str, ...]) -> str:
    """The pain point a differentiator visibly answers (they share a content word), if any."""
    stems = {w[:5] for w in re.findall(r"[a-z]{4,}", diff.lower())}
    return next((p for p in pains if stems & {w[:5] for w in re.findall(r"[a-z]{4,}", p.lower())}), "")


def _pillars(f: Facts) -> list[ContentPillar]:
    pillars = []
    for blueprint in blueprints(f):
        topics = blueprint.topics(f)
        if len(topics) < 2:
            topics.append(f"Questions {f.audience_lc} ask about {blueprint.name.split(':')[0].lower()}")
        pillars.append(
            ContentPillar(
                name=blueprint.name,
                description=blueprint.description,
                example_topics=topics,
                formats=list(blueprint.formats),
            )
        )
    return pillars


def _platforms(f: Facts) -> list[PlatformPlan]:
    cadence = cadence_for(f)
    plans = []
    for platform in f.platforms:
        if platform is Platform.EMAIL and cadence[platform] == 0:
            role = (
                f"Owned nurture for {f.audience_lc}: a five-email sequence triggered by sign-up or "
                f"enquiry, written to {OBJECTIVE_JOBS[f.objective]}."
            )
            formats = ["Nurture sequence", "Newsletter"]
        elif platform is Platform.GOOGLE_BUSINESS:
            role = (
                f"{PLATFORM_ROLES[platform]} in {human_list(list(f.locations)) or f.area}: weekly updates "
                "that drive calls, direction requests and bookings."
            )
            formats = PLATFORM_FORMATS[platform]
        else:
            role = f"{PLATFORM_ROLES[platform]} with {f.audience_lc}: {OBJECTIVE_JOBS[f.objective]}."
            formats = PLATFORM_FORMATS[platform]
        plans.append(
            PlatformPlan(platform=platform, role=role, posts_per_week=cadence[platform], formats=formats)
        )
    return plans


def _split(f: Facts) -> dict[str, int]:
    weights = {p.value: PAID_WEIGHT[p] for p in f.platforms if p in PAID_WEIGHT}
    if f.objective is Objective.HIRING and "facebook" in weights:
        weights["facebook"] += 1
    if f.objective is Objective.LEADS and f.kind == "b2b" and "linkedin" in weights:
        weights["linkedin"] += 2
    if not weights:
        weights = {"search_ads": 1}
    total = sum(weights.values())
    shares = {k: 90 * v / total for k, v in weights.items()}
    rounded = {k: int(v) for k, v in shares.items()}
    leftover = 90 - sum(rounded.values())
    for key in sorted(shares, key=lambda k: shares[k] - rounded[k], reverse=True)[:leftover]:
        rounded[key] += 1
    return {**rounded, RESERVE: 10}


PHASE_FOCUS = {
    Objective.LEADS: (
        "Test hooks and offers from each pillar; confirm conversion tracking; build retargeting pools.",
        "Move budget to the two best-converting hooks; retarget engaged visitors with proof.",
        "Push the strongest offer to warm audiences; tighten lead qualification with sales.",
    ),
    Objective.SALES: (
        "Test product hooks and creatives; confirm purchase tracking and the catalogue feed.",
        "Scale the winning products and creatives; add retargeting for viewers and cart abandoners.",
        "Push bundles and subscriptions to warm audiences; win back lapsed buyers.",
    ),
    Objective.HIRING: (
        "Launch role ads and team stories; confirm application tracking in the ATS.",
        "Scale the best-performing role and location combinations; add referral prompts.",
        "Retarget careers-page visitors; push closing dates and open days.",
    ),
    Objective.AWARENESS: (
        "Test formats and hooks for reach; seed the brand story.",
        "Scale the formats with the best engaged reach; add creator or partner content.",
        "Consolidate with recall-driving content; measure branded search uplift.",
    ),
    Objective.PARTNERSHIPS: (
        "Publish partner value content; build the target partner list.",
        "Direct outreach to warm partners; share joint case material.",
        "Close agreements; launch the first co-marketing pieces.",
    ),
    Objective.RETENTION: (
        "Onboarding and habit content for new customers; confirm cohort tracking.",
        "Feature education and community; targeted win-back for low usage.",
        "Referral and loyalty pushes; collect reviews from happy customers.",
    ),
}


def _phases(f: Facts) -> list[MediaPhase]:
    weeks = f.weeks
    names = ("Launch and learn", "Scale what works", "Convert and consolidate")
    bounds = [max(1, round(weeks * 0.25)), max(1, round(weeks * 0.75))]
    ranges = [(1, bounds[0]), (bounds[0] + 1, bounds[1]), (bounds[1] + 1, weeks)]
    shares = (25, 45, 30)
    kept = [
        (n, r, s, focus)
        for n, r, s, focus in zip(names, ranges, shares, PHASE_FOCUS[f.objective], strict=True)
        if r[0] <= r[1]
    ]
    total = sum(s for _, _, s, _ in kept)
    phases = []
    for index, (name, (first, last), share, focus) in enumerate(kept):
        pct = (
            round(share * 100 / total)
            if index < len(kept) - 1
            else 100 - sum(p.budget_share_pct for p in phases)
        )
        weeks_text = f"{first}" if first == last else f"{first}-{last}"
        phases.append(MediaPhase(phase=name, weeks=weeks_text, focus=focus, budget_share_pct=pct))
    return phases


def _media_plan(f: Facts) -> MediaPlan:
    if f.budget and f.budget.total:
        note = (
            f"Budget from the brief: {f.budget.raw} (about "
            f"{f.money(f.budget.total, f.budget.currency)} over {f.weeks} weeks). The split "
            "covers paid distribution; 10% is held back to test new hooks."
        )
    else:
        note = (
            "No paid budget in the brief: the plan runs organic-first, and the split below is the "
            "recommended allocation once a budget is agreed."
        )
    split = _split(f)
    if "search_ads" in split:
        note += " None of the selected platforms carries paid social, so search ads are recommended instead."
    return MediaPlan(budget_note=note, split_by_platform_pct=split, phases=_phases(f))


def _measurement(f: Facts, start: date) -> MeasurementPlan:
    specs = kpis_for(f)
    frequency = f.intake.report_frequency.value
    reporting = (
        f"{frequency} report for {f.brand}: KPI table against targets, what changed, what we learned and "
        "the next tests. A live dashboard is updated weekly from imported platform data."
        if frequency != "One-time"
        else f"One report for {f.brand} at the end of the engagement, plus a live dashboard updated weekly."
    )
    return MeasurementPlan(
        primary_kpi=specs[0].kpi.name,
        kpis=[s.kpi for s in specs] if len(specs) >= 2 else [s.kpi for s in specs] * 2,
        tracking_requirements=tracking_requirements(f, start.strftime("%Y-%m")),
        reporting=reporting,
    )
