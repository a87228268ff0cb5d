"""Strategy generator: ICP, positioning, messaging, pillars, platform plan, media plan, measurement."""

from __future__ import annotations

import re
from datetime import date
from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.channels import CHANNELS, channel
from aicmo.domain.playbooks import BusinessModel, business_model, playbook
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
from aicmo.services.generators._copy import PLATFORM_FORMATS, PLATFORM_ROLES, quoted, said
from aicmo.services.generators._facts import Facts, conversion_action, facts_for
from aicmo.services.generators._kpis import feasibility, kpis_for, primary_reason, tracking_requirements
from aicmo.services.generators._phrases import answer_for, wanted
from aicmo.services.generators._pillars import blueprints
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, numbered, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators._text import human_list, lc_first, strip_end
from aicmo.services.generators.base import GenerationInputs

# What moves each business model's buyers to act (the brief's first pain comes before these).
TRIGGERS: dict[BusinessModel, list[str]] = {
    BusinessModel.ONLINE_STORE: [
        "Running low, or a reorder date coming up",
        "A recommendation from a friend, creator or review",
        "A gift occasion or a seasonal moment in the calendar",
    ],
    BusinessModel.LOCAL_VENUE: [
        "Deciding where to go in the next hour (lunch, after work, the weekend)",
        "A friend's post, a review or a local creator mentioning the place",
        "Passing by, or a new offer on the maps listing",
    ],
    BusinessModel.APPOINTMENT_SERVICE: [
        "The problem getting in the way of work, sleep or family life",
        "A wait elsewhere that is longer than they can accept",
        "A recommendation from someone they trust, or strong local reviews",
    ],
    BusinessModel.B2B_SALES: [
        "Planning for the next quarter or budget cycle",
        "Growth (new hires, a new site, a new service) that strains the current way of working",
        "A contract renewal with the current supplier",
    ],
    BusinessModel.B2B_PARTNER: [
        "Their own growth targets needing a new revenue line",
        "A client asking for something they do not offer today",
        "A current vendor that competes with them for clients",
    ],
    BusinessModel.CONSUMER_SIGNUP: [
        "A life moment that makes the product relevant (a new job, a pay rise, a tax-year end)",
        "Seeing how it works in plain terms, with the costs shown",
        "A friend already using it",
    ],
    BusinessModel.NONPROFIT: [
        "Seeing the problem in their own neighbourhood",
        "An event date close enough to plan for",
        "A friend, school or employer taking part",
    ],
    BusinessModel.EMPLOYER: [
        "Roster or workload changes at their current employer",
        "A pay review that disappoints, or a rent rise",
        "A friend or former colleague already working there",
    ],
    BusinessModel.RETENTION: [
        "The first 30 days after joining, when habits form",
        "A week when visits drop or a routine breaks",
        "A renewal date or a price change",
    ],
    BusinessModel.EVENTS: [
        "A price deadline (early-bird ending)",
        "A speaker or session they cannot miss",
        "Colleagues going",
    ],
    BusinessModel.HOSPITALITY: [
        "Dates fixed for a trip or an occasion",
        "Photos of the place shared by someone they follow",
        "A direct-booking reason (a better rate, an upgrade)",
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
            [[channel(p.platform).name, p.role, p.posts_per_week, ", ".join(p.formats)] for p in c.platforms],
        )
        reasons = [f"**{channel(p.platform).name}:** {p.why}" for p in c.platforms if p.why]
        if reasons:
            platforms += "\n\n**Why these channels**\n\n" + bullets(reasons)
        media = "\n\n".join(
            [
                c.media_plan.budget_note,
                *([f"**Why this split:** {c.media_plan.split_reason}"] if c.media_plan.split_reason else []),
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
                f"**Primary KPI:** {_primary_line(c)}",
                *(
                    [f"**Why this KPI:** {c.measurement.primary_kpi_reason}"]
                    if c.measurement.primary_kpi_reason
                    else []
                ),
                *(
                    ["**Feasibility (budget ÷ target)**\n\n" + bullets(c.measurement.feasibility)]
                    if c.measurement.feasibility
                    else []
                ),
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


def _primary_line(c: Strategy) -> str:
    m = c.measurement
    row = next((k for k in m.kpis if k.name == m.primary_kpi), None)
    if not row:
        return m.primary_kpi
    source = (
        "the brief's own target" if row.source == "brief" else "a benchmark until the client sets a number"
    )
    return f"{m.primary_kpi}: {row.target} ({source})"


# ---- parts ----------------------------------------------------------------------------------------
def _summary(f: Facts, start: date, pillars: list[ContentPillar], measurement: MeasurementPlan) -> str:
    book = playbook(business_model(f.intake))
    channels = human_list([channel(p).name for p in f.platforms])
    lead = "; ".join(f.lc(strip_end(d)) for d in f.diffs[:2]) or f.lc(strip_end(f.offer))
    primary = measurement.kpis[0]
    when = start.strftime("%d %B %Y").lstrip("0")
    summary = (
        f"{f.brand} ({f.industry}, {f.geography}) is planned as {book.who}: every piece moves "
        f"{f.lc(f.audience)} towards {conversion_action(f)}. Over {f.weeks} weeks from {when}, the plan "
        f"leads with what sets {f.short_brand} apart ({lead}), runs {len(pillars)} content pillars across "
        f"{channels}, and is judged on {lc_first(primary.name)} (target: {primary.target}, "
        f"{'the brief' + chr(39) + 's own' if primary.source == 'brief' else 'a benchmark'})."
    )
    if any(line.startswith("Check:") for line in measurement.feasibility):
        summary += (
            " Budget and target do not reconcile at usual costs (see Feasibility under the measurement plan):"
            " agree the number or the budget before launch."
        )
    return summary


def _where(audience: str, geography: str) -> str:
    """Where the audience is, unless it already names a place of the geography: "... aged 25-55 in
    Bristol" with the geography "Bristol, UK" read "in Bristol in Bristol, UK"."""
    places = [p.strip() for p in geography.split(",") if p.strip()]
    named = any(re.search(rf"\b{re.escape(p)}\b", audience, re.IGNORECASE) for p in places)
    return "" if named or not geography else f" in {geography}"


def _icp(f: Facts) -> ICP:
    segments = list(f.segments)
    if f.competitors and f.objective in {Objective.LEADS, Objective.SALES}:
        segments.append(f"Current users of {human_list(list(f.competitors), 'or')} open to switching")
    if f.locations and f.objective is not Objective.HIRING:
        segments.append(f"{f.audience_short} in {human_list(list(f.locations))}")
    segments += [f"{r} candidates in {f.area}" for r in f.roles[:3]]
    if f.skus and f.objective in {Objective.SALES, Objective.RETENTION}:
        segments.append(f"Existing customers who reorder {human_list(list(f.skus[:2]))}")
    triggers = list(TRIGGERS[business_model(f.intake)])
    if f.pains and f.objective is Objective.HIRING:
        triggers.insert(0, f"Another hard week of {quoted(f.lc(f.pains[0]))} at their current employer")
    elif f.pains:
        triggers.insert(0, f"Another run-in with {quoted(f.lc(strip_end(f.pains[0])))}")
    if f.objective is Objective.HIRING and f.area:
        triggers.append(f"Moving to, or wanting to stay in, {f.area}")
    objections = list(f.objections)
    price = re.match(r"^\W?\d|^[A-Z]{0,3}\$|^[£€¥₹]", f.pricing)
    if f.pricing and price:
        objections.append(f"Is it worth the price ({strip_end(f.pricing.split(';')[0])})?")
    if f.competitors and f.objective is not Objective.HIRING:
        objections.append(f"We already use {f.competitors[0]}.")
    if f.objective is Objective.HIRING:
        objections.append("Will it really be different from where I work now?")
    return ICP(
        summary=(
            f"{f.audience}{_where(f.audience, f.geography)}. They live with: "
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
    outcome = wanted(f.lc(strip_end(f.outcomes[0]))) if f.outcomes else "a better result"
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
    plain = [
        "{diff}, so {aud} get {outcome}.",
        "{diff}: one more reason {brand} is built for {aud}.",
        "{diff}: part of what {aud} get with {brand}.",
    ]
    for n, diff in enumerate(f.diffs[:3]):
        pain = matching_pain(diff, f.pains)
        if pain:
            messages.append(f"{strip_end(diff)}: the answer to {quoted(f.lc(pain))}.")
        else:
            messages.append(
                plain[n % len(plain)].format(
                    diff=strip_end(diff), aud=f.audience_lc, outcome=outcome, brand=f.short_brand
                )
            )
    answered = 0
    for objection in f.objections:  # the first two the brief can answer, as the reader says them
        answer = answer_for(objection, [*f.diffs, *f.proofs, f.pricing])
        if answer and answered < 2:
            messages.append(f"{said(objection)} {f.short_brand}'s answer: {f.lc(answer)}.")
            answered += 1
    if f.pricing:
        messages.append(f"Prices are clear and stated upfront: {strip_end(f.pricing)}.")
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


def _action(f: Facts) -> str:
    return conversion_action(f)


def _platforms(f: Facts) -> list[PlatformPlan]:
    cadence = cadence_for(f)
    plans = []
    for platform in f.platforms:
        if platform is Platform.EMAIL and cadence[platform] == 0:
            role = (
                f"Owned nurture for {f.audience_lc}: a five-email sequence triggered by sign-up or "
                f"enquiry, written to move them towards {_action(f)}."
            )
            formats = ["Nurture sequence", "Newsletter"]
        elif platform is Platform.GOOGLE_BUSINESS:
            role = (
                f"{PLATFORM_ROLES[platform]} in {human_list(list(f.locations)) or f.area}: weekly updates "
                "that drive calls, direction requests and bookings."
            )
            formats = PLATFORM_FORMATS[platform]
        else:
            role = f"{PLATFORM_ROLES[platform]} with {f.audience_lc}, moving them towards {_action(f)}."
            formats = PLATFORM_FORMATS[platform]
        plans.append(
            PlatformPlan(
                platform=platform,
                role=role,
                posts_per_week=cadence[platform],
                formats=formats,
                why=channel_reason(f, platform),
            )
        )
    return plans


_CHANNEL_WHY: dict[Platform, str] = {
    Platform.GOOGLE_BUSINESS: "people choosing where to go search and read reviews on Maps first",
    Platform.SEARCH_ADS: "it reaches people already searching for {offer}",
    Platform.JOB_BOARDS: "candidates for {roles} search job boards before anywhere else",
    Platform.SMS: "opted-in {audience} read a text within minutes",
    Platform.WHATSAPP: "opted-in {audience} already message there",
    Platform.EMAIL: "it is owned, costs nothing per send and reaches {audience} directly",
    Platform.LINKEDIN: "the decision-makers in the brief's audience are there at work",
    Platform.INSTAGRAM: "{audience} discover and check out {brand} there",
    Platform.FACEBOOK: "local groups and retargeting reach {audience} there",
    Platform.TIKTOK: "short video reaches new {audience} cheaply",
    Platform.YOUTUBE: "explainers answer the questions people search before they act",
    Platform.PINTEREST: "people plan purchases there weeks ahead",
}


def channel_reason(f: Facts, platform: Platform) -> str:
    """One line from the brief: how this channel serves the business model's conversion path."""
    book = playbook(business_model(f.intake))
    why = _CHANNEL_WHY.get(platform, "it is where the brief says the audience is").format(
        offer=f.lc(strip_end(f.offer)),
        roles=human_list([f.lc(r) for r in f.roles[:2]]) or "these roles",
        audience=f.audience_lc,
        brand=f.short_brand,
    )
    fit = "fits" if platform.value in book.channels else "is named in the brief for"
    return f"{channel(platform).name} {fit} {book.who}'s path to {conversion_action(f)}: {why}."


def _split(f: Facts) -> dict[str, int]:
    fitting = playbook(business_model(f.intake)).channels[:3]
    weights = {
        p.value: PAID_WEIGHT[p] + (2 if p.value in fitting else 0) for p in f.platforms if p in PAID_WEIGHT
    }
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


PHASE_FOCUS: dict[BusinessModel, tuple[str, str, str]] = {
    BusinessModel.ONLINE_STORE: (
        "Test product hooks and creatives; confirm purchase tracking and the catalogue feed.",
        "Scale the winning products and creatives; retarget product viewers and cart abandoners.",
        "Push bundles and gifts to warm audiences; win back lapsed buyers.",
    ),
    BusinessModel.LOCAL_VENUE: (
        "Refresh the maps listing and photos; launch the offer code; geo-targeted ads around the venue.",
        "Scale the hours and offers that bring people in; local creators and review replies.",
        "Regulars and repeat visits: bring-a-friend pushes and the best-selling offer again.",
    ),
    BusinessModel.APPOINTMENT_SERVICE: (
        "Search ads on intent terms; confirm booking and call tracking; maps listing up to date.",
        "Move budget to the terms and areas that book; review requests after every visit.",
        "Retarget visitors who did not book; referral asks to happy clients.",
    ),
    BusinessModel.B2B_SALES: (
        "Test hooks and offers from each pillar; confirm conversion tracking; build retargeting pools.",
        "Move budget to the two best-converting hooks; retarget engaged visitors with proof.",
        "Push the strongest offer to warm audiences; tighten lead qualification with sales.",
    ),
    BusinessModel.B2B_PARTNER: (
        "Publish the programme and its terms; build the named list of target firms.",
        "Direct outreach to warm firms; share partner stories and the numbers behind them.",
        "Close agreements; launch the first co-marketing with signed partners.",
    ),
    BusinessModel.CONSUMER_SIGNUP: (
        "Explainers that show how it works and what it costs; confirm sign-up and activation tracking.",
        "Scale the explainers that bring sign-ups; follow up sign-ups who have not activated.",
        "Referral pushes from active users; retarget visitors who started but did not finish.",
    ),
    BusinessModel.NONPROFIT: (
        "Tell the story of the cause; seed it with partners and community groups.",
        "Turn followers into sign-ups: event dates, what a day looks like, who takes part.",
        "Final push before the event dates; thank and show the results to everyone who came.",
    ),
    BusinessModel.EMPLOYER: (
        "Launch job listings and team stories; confirm application tracking in the ATS.",
        "Scale the best role and location combinations; add referral prompts.",
        "Retarget people who started an application; push closing dates and open days.",
    ),
    BusinessModel.RETENTION: (
        "Onboarding messages for new members; confirm visit and cancellation tracking.",
        "Nudges when visits drop; classes, challenges and community.",
        "Win-back for lapsed members; referral and review asks to the regulars.",
    ),
    BusinessModel.EVENTS: (
        "Save the date and the speakers; e-mail past attendees.",
        "Agenda and speaker content; partners share; push before each price rise.",
        "Last-chance tickets; retarget agenda visitors; bring-the-team offers.",
    ),
    BusinessModel.HOSPITALITY: (
        "The place in pictures; metasearch and search for people with dates.",
        "Scale the dates and rooms that book direct; e-mail past guests.",
        "Fill the gaps in the calendar with direct-booking reasons.",
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
        for n, r, s, focus in zip(names, ranges, shares, PHASE_FOCUS[business_model(f.intake)], strict=True)
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
    return MediaPlan(
        budget_note=note, split_by_platform_pct=split, phases=_phases(f), split_reason=_split_reason(f, split)
    )


def _split_reason(f: Facts, split: dict[str, int]) -> str:
    book = playbook(business_model(f.intake))
    paid = {k: v for k, v in split.items() if k != RESERVE}
    top = max(paid, key=lambda k: paid[k]) if paid else ""
    lead = (
        f"{channel(top).name} takes the largest share ({paid[top]}%). "
        if top in Platform._value2member_map_
        else ""
    )
    return f"{lead}{book.budget_logic}"


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
        primary_kpi_reason=primary_reason(f),
        feasibility=feasibility(f),
        kpis=[s.kpi for s in specs] if len(specs) >= 2 else [s.kpi for s in specs] * 2,
        tracking_requirements=tracking_requirements(f, start.strftime("%Y-%m")),
        reporting=reporting,
    )
