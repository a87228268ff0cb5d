"""Lead-gen generator: ICP-based lead sources, an explainable fit + engagement scoring model and an
outreach sequence in the brand's voice, with consent, suppression, caps and quiet hours."""

from __future__ import annotations

import re
from typing import ClassVar

from aicmo.domain.artifacts import Module
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.domain.schemas.leadgen import LeadGen, LeadSource, OutreachStep, ScoringCriterion, ScoringModel
from aicmo.domain.schemas.strategy import Strategy
from aicmo.services.generators._copy import ctas, quoted
from aicmo.services.generators._facts import Facts, facts_for
from aicmo.services.generators._kpis import conversion_event
from aicmo.services.generators._posts import cta_line
from aicmo.services.generators._render import Section, SectionedGenerator, bullets, table
from aicmo.services.generators._repair import ensure_brand, scrub_model
from aicmo.services.generators._text import human_list, pick, strip_end
from aicmo.services.generators._upstream import strategy_of
from aicmo.services.generators.base import GenerationInputs
from aicmo.services.generators.creatives import safe

QUALIFIED_AT = 60
NURTURE_BELOW = 30
DAILY_CAP = 40
_SIZE = re.compile(r"(?i)(\d[\d,]*)\s*(?:-|–|to)\s*(\d[\d,]*)\s*(employees|staff|people|seats)")


class LeadGenGenerator(SectionedGenerator[LeadGen]):
    module: ClassVar[Module] = Module.LEADGEN
    output_type: ClassVar[type[LeadGen]] = LeadGen

    def plan_offline(self, inputs: GenerationInputs) -> LeadGen:
        f = facts_for(inputs.intake)
        strategy = strategy_of(inputs)
        leadgen = LeadGen(
            brand=f.brand,
            icp_summary=strategy.icp.summary,
            sources=_sources(f, strategy),
            scoring=_scoring(f),
            outreach=_outreach(f),
            guardrails=_guardrails(f),
            routing=(
                f"Leads scoring {QUALIFIED_AT}+ move to QUALIFIED and are routed to {f.brand}'s "
                f"{_owner(f)} within one working day (ROUTED). Statuses follow NEW → ENRICHED → CONTACTED "
                "→ REPLIED → QUALIFIED → ROUTED; no reply after the last step → LOST; anything unusual → "
                "MANUAL_REVIEW."
            ),
        )
        return self.repair(leadgen, inputs)

    def repair(self, content: LeadGen, inputs: GenerationInputs) -> LeadGen:
        return ensure_brand(scrub_model(content, inputs.intake), inputs.intake, "icp_summary")

    def title(self, content: LeadGen) -> str:
        return f"Lead generation: {content.brand}"

    def sections(self, content: LeadGen) -> list[Section]:
        c = content
        dump = c.model_dump(mode="json")
        sources = table(
            ["Source", "Channel", "Why", "How"], [[s.name, s.channel, s.why, s.how] for s in c.sources]
        )
        scoring = "\n\n".join(
            [
                table(
                    ["Type", "Criterion", "Signal", "Points", "Why"],
                    [[k.kind, k.name, k.signal, f"{k.points:+d}", k.rationale] for k in c.scoring.criteria],
                ),
                c.scoring.explanation,
            ]
        )
        outreach = "\n\n".join(
            f"### Step {s.step}: day {s.day} · {s.channel}\n\n"
            + (f"**Subject:** {s.subject}\n\n" if s.subject else "")
            + f"{s.message}\n\n**CTA:** {s.cta}"
            for s in c.outreach
        )
        return [
            Section("icp", "Who we are looking for", c.icp_summary, {"icp_summary": c.icp_summary}),
            Section("sources", "Lead sources", sources, {"sources": dump["sources"]}),
            Section("scoring", "Scoring model", scoring, {"scoring": dump["scoring"]}),
            Section("outreach", "Outreach sequence", outreach, {"outreach": dump["outreach"]}),
            Section(
                "guardrails",
                "Guardrails and routing",
                bullets([*c.guardrails, c.routing]),
                {"guardrails": c.guardrails, "routing": c.routing},
            ),
        ]


def _owner(f: Facts) -> str:
    return {
        Objective.HIRING: "recruitment team",
        Objective.PARTNERSHIPS: "partnerships lead",
        Objective.RETENTION: "customer success team",
    }.get(f.objective, "sales team")


def _sources(f: Facts, strategy: Strategy) -> list[LeadSource]:
    event = conversion_event(f)
    topic = strategy.pillars[0].example_topics[0] if strategy.pillars else f.offer
    sources = [
        LeadSource(
            name="Inbound from the content plan",
            channel=human_list([p.value for p in f.platforms]),
            why=f"Every post carries a tracked call to action towards '{event}'.",
            how=f"UTM-tagged links to {f.link or 'the website'}; the form asks three qualifying questions.",
        ),
        LeadSource(
            name=f"Lead magnet: {strip_end(topic)}",
            channel="Website + e-mail",
            why=f"Captures {f.audience_lc} who are problem-aware but not ready to talk.",
            how="Turn the first carousel template into a one-page PDF; gate it with name, e-mail and "
            "consent.",
        ),
    ]
    if f.objective is Objective.HIRING:
        places = human_list(list(f.locations)) or f.area
        sources.append(
            LeadSource(
                name=f"Talent pool: {human_list([f.lc(r) for r in f.roles]) or 'open roles'} in {places}",
                channel="Job boards, careers page, referrals",
                why="Candidates who have applied before or asked to hear about roles.",
                how="Re-engage past applicants with consent; add a staff referral prompt to every role post.",
            )
        )
        if any("student" in s.lower() or "graduate" in s.lower() for s in f.segments):
            sources.append(
                LeadSource(
                    name="Colleges and universities",
                    channel="Careers services, placement coordinators",
                    why="Final-year students choose employers before they qualify.",
                    how="Offer a talk or open day with the graduate programme lead.",
                )
            )
    elif Platform.LINKEDIN in f.platforms or f.kind == "b2b":
        size = _SIZE.search(f.audience)
        filters = f"company headcount {size.group(1)}-{size.group(2)}, " if size else ""
        sources.append(
            LeadSource(
                name=f"LinkedIn search: {f.audience_short}",
                channel="LinkedIn",
                why=f"Reaches {f.audience_lc} directly, with role and company filters.",
                how=f"Filters: title keywords from '{f.audience_short}', {filters}geography "
                f"{f.geography}; engage with their posts before any message.",
            )
        )
    if Platform.GOOGLE_BUSINESS in f.platforms:
        sources.append(
            LeadSource(
                name="Google Business Profile",
                channel="Google Search and Maps",
                why=f"People searching locally in {human_list(list(f.locations)) or f.area} are already "
                "looking.",
                how="Weekly posts, answered Q&A and a booking link; log calls and messages as leads.",
            )
        )
    if f.competitors and f.objective is not Objective.HIRING:
        sources.append(
            LeadSource(
                name=f"Switchers from {human_list(list(f.competitors), 'or')}",
                channel="Review sites and communities",
                why="People comparing alternatives are close to a decision.",
                how="Answer public questions helpfully and link to the comparison post; no scraping of "
                "personal data.",
            )
        )
    if f.objective is Objective.PARTNERSHIPS or f.kind == "professional":
        sources.append(
            LeadSource(
                name="Referral partners",
                channel="Direct outreach",
                why=f"Complementary businesses already serve {f.audience_lc}.",
                how="Agree simple referral terms and a shared intake form; send partners a monthly update.",
            )
        )
    return sources


def _scoring(f: Facts) -> ScoringModel:
    criteria = [
        ScoringCriterion(
            kind="fit",
            name="Matches the audience",
            signal=f.audience,
            points=25,
            rationale="The ICP from the approved strategy.",
        ),
        ScoringCriterion(
            kind="fit",
            name="In the served area",
            signal=human_list(list(f.locations)) or f.geography,
            points=15,
            rationale="Outside it we cannot serve them well.",
        ),
    ]
    size = _SIZE.search(f.audience)
    if size:
        criteria.append(
            ScoringCriterion(
                kind="fit",
                name="Right size",
                signal=size.group(0),
                points=15,
                rationale="Size named in the brief's target audience.",
            )
        )
    if f.objective is Objective.HIRING:
        criteria.append(
            ScoringCriterion(
                kind="fit",
                name="Qualified for the role",
                signal=human_list([f.lc(r) for r in f.roles]) or "role requirements",
                points=20,
                rationale="Registration or qualification the role requires.",
            )
        )
    else:
        criteria.append(
            ScoringCriterion(
                kind="fit",
                name="Decision-maker or budget holder",
                signal="job title",
                points=15,
                rationale="Shortens the path to a decision.",
            )
        )
    if f.competitors and f.objective is not Objective.HIRING:
        criteria.append(
            ScoringCriterion(
                kind="fit",
                name="Uses an alternative",
                signal=human_list(list(f.competitors), "or"),
                points=10,
                rationale="Already pays to solve the problem; a switch is possible.",
            )
        )
    criteria.append(
        ScoringCriterion(
            kind="fit",
            name="Outside the served area",
            signal="location",
            points=-20,
            rationale="Excluded unless the team decides otherwise.",
        )
    )
    event = conversion_event(f)
    criteria += [
        ScoringCriterion(
            kind="engagement",
            name=f"Completed '{event}'",
            signal=event,
            points=30,
            rationale="The strongest intent signal.",
        ),
        ScoringCriterion(
            kind="engagement",
            name="Clicked a post call to action",
            signal="UTM-tagged click",
            points=10,
            rationale="Active interest in a specific topic.",
        ),
    ]
    if f.pricing:
        criteria.append(
            ScoringCriterion(
                kind="engagement",
                name="Viewed pricing twice in 7 days",
                signal="pricing page views",
                points=15,
                rationale="Evaluating cost.",
            )
        )
    if Platform.EMAIL in f.platforms:
        criteria.append(
            ScoringCriterion(
                kind="engagement",
                name="Opened 3+ sequence e-mails",
                signal="e-mail opens",
                points=10,
                rationale="Sustained attention.",
            )
        )
    criteria.append(
        ScoringCriterion(
            kind="engagement",
            name="No activity for 30 days",
            signal="last activity",
            points=-10,
            rationale="Interest fades; move back to nurture.",
        )
    )
    return ScoringModel(
        criteria=criteria,
        qualified_at=QUALIFIED_AT,
        nurture_below=NURTURE_BELOW,
        explanation=(
            f"Score = sum of fit points + engagement points, capped at 0-100. {QUALIFIED_AT}+ → QUALIFIED "
            f"and routed; {NURTURE_BELOW}-{QUALIFIED_AT - 1} → the nurture sequence; below {NURTURE_BELOW} "
            "→ stays in NEW/ENRICHED. Every lead's score lists the criteria that produced it, so the team "
            "can see why."
        ),
    )


def _outreach(f: Facts) -> list[OutreachStep]:
    actions = ctas(f)
    pain = strip_end(pick(f.pains, 0, f.offer))
    outcome = f.lc(strip_end(pick(f.outcomes, 0, f.offer)))
    diff = f.lc(strip_end(pick(f.diffs, 0, f.offer)))
    proof = strip_end(pick([*f.proofs, f.employer_notes] if f.proofs or f.employer_notes else [], 0, ""))
    how = "; ".join(f.lc(strip_end(d)) for d in f.diffs[:3]) or diff
    second = Platform.LINKEDIN if Platform.LINKEDIN in f.platforms else Platform.EMAIL
    steps: list[tuple[int, Platform, str, str]] = [
        (
            0,
            Platform.EMAIL,
            f"{quoted(pain)}: a quick question",
            f"Quick question: is {quoted(f.lc(pain))} on your list this quarter? {f.short_brand} works "
            f"with {f.audience_lc} on exactly that, starting with {diff}.",
        ),
        (
            3,
            second,
            "" if second is Platform.LINKEDIN else f"What {outcome} looks like",
            f"Thanks for connecting. We work with {f.audience_lc} on {outcome}; happy to share what we "
            "have learned, no pitch."
            if second is Platform.LINKEDIN
            else f"What {outcome} looks like in practice: {diff}.",
        ),
        (
            7,
            Platform.EMAIL,
            proof or f"How {f.short_brand} works",
            f"{proof + '. ' if proof else ''}The short version of how we work: {how}.",
        ),
    ]
    if f.objections:
        objection = f.objections[0]
        steps.append(
            (
                12,
                Platform.EMAIL,
                quoted(objection),
                f"A question we hear a lot: {quoted(objection)}. Our answer: {diff}. If it would help, we "
                "can walk you through it in 20 minutes.",
            )
        )
    steps.append(
        (
            18,
            Platform.EMAIL,
            "Should I close your file?",
            f"I have not heard back, so this is my last note. If {outcome} becomes a priority, the door "
            "is open.",
        )
    )
    optout = "If this is not relevant, reply 'no thanks' and we will not contact you again."
    result = []
    for n, (day, channel, subject, message) in enumerate(steps, start=1):
        cta = pick(actions, n - 1)
        is_email = channel is Platform.EMAIL
        parts = [
            "Hi there," if is_email else "",
            message,
            cta_line(f, cta, channel),
            f"{f.brand}",
            optout if is_email else "",
            *f.disclaimers,
        ]
        result.append(
            OutreachStep(
                step=n,
                day=day,
                channel=channel.value,
                subject=subject[:90],
                message="\n\n".join(p for p in parts if p),
                cta=cta,
            )
        )
    return result


def _guardrails(f: Facts) -> list[str]:
    rules = [
        "Consent: contact only leads with a recorded lawful basis (consent or legitimate interest).",
        "Suppression: unsubscribes, bounces and 'no thanks' replies are suppressed before every send.",
        f"Daily cap: at most {DAILY_CAP} outreach messages per sender per day.",
        f"Quiet hours: no sends between 19:00 and 08:00 ({f.timezone}) or at weekends.",
        "Every e-mail carries an unsubscribe link and the sender's postal address.",
    ]
    rules += [f"Required disclaimer on every message: “{d}”" for d in f.disclaimers]
    constraints = safe(f, "; ".join(f.constraints))
    if constraints:
        rules.append(f"Compliance from the brief: {strip_end(constraints)}.")
    return rules
