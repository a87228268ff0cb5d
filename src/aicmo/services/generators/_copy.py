"""Phrase banks of the offline planner: post angles, calls to action, platform roles.

An angle turns one item of the brief (a pain point, a differentiator, a proof asset, a role ...)
into a hook and two or three supporting points. Brief items are quoted or placed after a colon,
so a noun phrase ("Burnout") and a clause ("Supermarket beans are stale") both read well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.services.generators._facts import Facts
from aicmo.services.generators._text import pick, short_phrase, strip_end


@dataclass(frozen=True)
class Draft:
    angle: str
    title: str
    hook: str
    points: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", tuple(p for p in self.points if p))


def quoted(text: str) -> str:
    return f"“{strip_end(text)}”"


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


def _outcome(f: Facts, v: int) -> str:
    return f.lc(strip_end(pick(f.outcomes, v, f.offer)))


def _diff(f: Facts, v: int) -> str:
    return f.lc(strip_end(pick(f.diffs, v, f.offer)))


def _pain(f: Facts, v: int) -> str:
    return strip_end(pick(f.pains, v, ""))


def _short(text: str, count: int = 7) -> str:
    return short_phrase(text, count)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _window(items: list[str], v: int, count: int) -> list[str]:
    """`count` items starting at `v`, wrapping round (a rotating selection)."""
    items = [i for i in items if i]
    if not items:
        return []
    return [items[(v + n) % len(items)] for n in range(min(count, len(items)))]


# ---- angles -------------------------------------------------------------------------------------
COSTS: dict[str, list[str]] = {
    "b2b": [
        "It rarely arrives as one big problem. It shows up as lost hours, second-guessing and work done "
        "twice.",
        "Left alone, it quietly eats into time, money and goodwill.",
        "Most people work around it for months before anyone fixes it.",
    ],
    "ecommerce": [
        "It is a small thing that takes the joy out of something you do every day.",
        "You notice it every single time, and you should not have to settle for it.",
        "It is the kind of compromise nobody should have to make.",
    ],
    "hiring": [
        "It wears good people down, shift after shift.",
        "It is one of the reasons people start looking elsewhere.",
        "Nobody should have to accept it as part of the job.",
    ],
}
COSTS["local"] = COSTS["ecommerce"]


def pain_cost(f: Facts, item: str, v: int) -> Draft:
    it, lc = strip_end(item), f.lc(strip_end(item))
    hooks = [
        f"{it}. Sound familiar?",
        f"{quoted(it)}: we hear it from {f.audience_lc} every week.",
        f"What does {quoted(lc)} really cost {f.audience_lc}?",
        f"Let's talk about {quoted(lc)}.",
    ]
    costs = COSTS.get(f.kind if f.objective is not Objective.HIRING else "hiring", COSTS["b2b"])
    return Draft(
        "pain_cost",
        pick([f"The cost of {quoted(_short(lc))}", f"Why {quoted(_short(lc, 5))} matters"], v),
        pick(hooks, v),
        (
            pick(costs, v),
            f"What {f.audience_lc} actually want: {_outcome(f, v)}.",
            f"{f.short_brand} is built around that: {_diff(f, v)}.",
        ),
    )


def myth(f: Facts, item: str, v: int) -> Draft:
    it = strip_end(item)
    hooks = [
        f"Myth: {quoted(it)} is just part of the deal.",
        f"Let's retire a myth: {quoted(it)} is normal.",
        f"“That's just how it is.” Is it? {it}.",
    ]
    return Draft(
        "myth",
        pick([f"Myth vs. reality: {_short(f.lc(it))}", f"Retiring a myth: {_short(f.lc(it), 6)}"], v),
        pick(hooks, v),
        (
            f"Reality: it can be fixed, and {f.audience_lc} should expect better.",
            f"What changes it at {f.short_brand}: {_diff(f, v + 1)}.",
            f"What you get instead: {_outcome(f, v)}.",
        ),
    )


def checklist(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    questions = [
        "Has it happened more than once in the last month?",
        "Does fixing it depend on one person remembering?",
        f"Would {_outcome(f, v)} change how your week looks?",
        "Do you know what it costs you each quarter?",
        "Is there one step you could change this week?",
    ]
    hooks = [
        f"A two-minute check for {f.audience_lc}: is {quoted(lc)} costing you more than you think?",
        f"Three questions to ask if {quoted(lc)} keeps coming up:",
    ]
    return Draft(
        "checklist",
        pick(
            [
                f"Checklist: is {quoted(_short(lc, 6))} costing you?",
                f"Three questions about {quoted(_short(lc, 5))}",
            ],
            v,
        ),
        pick(hooks, v),
        tuple(_window(questions, v, 3)),
    )


def poll(f: Facts, item: str, v: int) -> Draft:
    other = next((p for p in f.pains if strip_end(p) != strip_end(item)), pick(f.objections, v, ""))
    options = [strip_end(item), strip_end(other) if other else f"Finding time for {_outcome(f, v)}"]
    hooks = [
        f"Quick poll for {f.audience_lc}: which one costs you more right now?",
        f"Be honest, {f.audience_lc}: which of these hits harder?",
    ]
    return Draft(
        "poll",
        f"Poll: {_short(options[0], 5)} or {_short(options[1], 5)}?",
        pick(hooks, v),
        (f"A) {options[0]}", f"B) {options[1]}", "Vote or tell us in the comments: we read every reply."),
    )


def before_after(f: Facts, item: str, v: int) -> Draft:
    is_pain = strip_end(item) in {strip_end(p) for p in f.pains}
    before = strip_end(item) if is_pain else _pain(f, v)
    change = _diff(f, v) if is_pain else f.lc(strip_end(item))
    after = _outcome(f, v)
    hooks = (
        [f"Before: {f.lc(before)}. After: {after}.", f"From {quoted(f.lc(before))} to {after}."]
        if before
        else [
            f"What changes with {change}?",
            f"One change, a different week: {change}.",
        ]
    )
    return Draft(
        "before_after",
        f"Before and after: {_short(change, 6)}",
        pick(hooks, v),
        (
            f"The difference: {change}.",
            f"That is the change {f.short_brand} is built to make for {f.audience_lc}.",
        ),
    )


def how_it_works(f: Facts, item: str, v: int) -> Draft:
    it, lc = strip_end(item), f.lc(strip_end(item))
    hooks = [
        f"How {f.short_brand} does it: {lc}.",
        f"{it}: here is what that means in practice.",
        f"Why we built {f.short_brand} around one idea: {lc}.",
        f"The detail that matters: {lc}.",
    ]
    third = (
        f"Pricing is stated upfront: {strip_end(f.pricing)}."
        if f.pricing and v % 2 == 0
        else f"Where it shows up: {f.lc(strip_end(f.offer))}."
    )
    return Draft(
        "how_it_works",
        pick([f"How it works: {_short(it)}", f"In practice: {_short(lc)}"], v),
        pick(hooks, v),
        (
            f"It answers a familiar problem for {f.audience_lc}: {f.lc(_pain(f, v))}." if f.pains else "",
            f"The result we work towards: {_outcome(f, v)}.",
            third,
        ),
    )


def behind_scenes(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    hooks = [
        f"Behind the scenes at {f.short_brand}: {lc}.",
        f"What you don't see: {lc}.",
        f"A look behind the curtain: {lc}.",
    ]
    return Draft(
        "behind_scenes",
        pick([f"Behind the scenes: {_short(lc)}", f"What you don't see: {_short(lc, 6)}"], v),
        pick(hooks, v),
        (
            f"It is the part of {f.lc(strip_end(f.offer))} most people never see.",
            f"We do it this way because {f.audience_lc} told us what they need: {_outcome(f, v)}.",
        ),
    )


def steps(f: Facts, item: str, v: int) -> Draft:
    first = FIRST_STEP[f.objective]
    hooks = [
        f"From {quoted(_pain(f, v) or item)} to {_outcome(f, v)} in three steps:",
        f"Getting started with {f.short_brand} takes three steps:",
    ]
    return Draft(
        "steps",
        pick(
            [
                f"Three steps to {_short(_outcome(f, v), 6)}",
                f"Getting started: {_short(f.lc(strip_end(item)), 6)}",
            ],
            v,
        ),
        pick(hooks, v),
        (
            f"1. {first}",
            f"2. We put this to work for you: {f.lc(strip_end(item))}.",
            f"3. You get {_outcome(f, v)}.",
        ),
    )


def pain_fix(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    fix = _diff(f, v)
    hooks = [
        f"The fix for {quoted(lc)}? {_cap(fix)}.",
        f"{quoted(strip_end(item))}? Here is how we fix it: {fix}.",
    ]
    return Draft(
        "pain_fix",
        pick([f"The fix for {quoted(_short(lc, 5))}", f"Fixing {quoted(_short(lc, 5))}"], v),
        pick(hooks, v),
        (
            f"That is how {f.short_brand} approaches it for {f.audience_lc}.",
            f"The aim is simple: {_outcome(f, v)}.",
        ),
    )


def faq(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    answers = [
        f"Who is it for? {_cap(f.lc(strip_end(f.audience)))}.",
        f"What makes it different? {_cap(_diff(f, v))}.",
        f"What do I get out of it? {_cap(_outcome(f, v))}.",
        f"How do I start? {FIRST_STEP[f.objective]}",
    ]
    if f.pricing:
        answers.insert(1, f"What does it cost? {strip_end(f.pricing)}.")
    if f.locations:
        answers.append(f"Where? {', '.join(f.locations)}.")
    if f.roles:
        answers.append(f"Which roles? {', '.join(f.lc(r) for r in f.roles)}.")
    return Draft(
        "faq",
        pick([f"FAQ: {_short(item, 6)}", f"Your questions on {_short(lc, 5)}"], v),
        pick([f"Three questions we get about {lc}:", f"Your questions about {lc}, answered:"], v),
        tuple(_window(answers, v, 3)),
    )


def question(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    hooks = [
        f"Question for {f.audience_lc}: what would {_outcome(f, v)} change for you?",
        f"If you could fix one thing this quarter, would it be {quoted(f.lc(_pain(f, v)) or lc)}?",
        f"What does {lc} mean to you?",
    ]
    return Draft(
        "question",
        pick([f"Question: {_short(lc, 6)}", f"Over to you: {_short(lc, 6)}"], v),
        pick(hooks, v),
        (f"For us at {f.short_brand}, it starts with {lc}.", "Tell us in the comments: we read every reply."),
    )


def reasons(f: Facts, item: str, v: int) -> Draft:
    picks = list(dict.fromkeys([strip_end(item), *(strip_end(d) for d in f.diffs)]))[:3]
    return Draft(
        "reasons",
        f"{len(picks)} reasons to choose {f.short_brand}",
        f"{len(picks)} reasons {f.audience_lc} choose {f.short_brand}:",
        tuple(f"{n}. {p}." for n, p in enumerate(picks, start=1)),
    )


def proof(f: Facts, item: str, v: int) -> Draft:
    it, lc = strip_end(item), f.lc(strip_end(item))
    hooks = [f"{it}.", f"Proof beats promises: {lc}.", f"Don't take our word for it: {lc}."]
    return Draft(
        "proof",
        pick([f"Proof: {_short(it)}", f"Behind the proof: {_short(it)}"], v),
        pick(hooks, v),
        (
            f"Behind it: {_diff(f, v)}.",
            f"For {f.audience_lc}, that means {_outcome(f, v)}.",
        ),
    )


def outcome_picture(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    hooks = [f"Picture this: {lc}.", f"What good looks like: {lc}.", f"The goal is simple: {lc}."]
    first = [
        f"That is what {f.audience_lc} tell us they want, and it is achievable.",
        "It should be the normal experience, not the lucky one.",
        f"It is also why {f.short_brand} exists.",
    ]
    return Draft(
        "outcome",
        pick([f"What good looks like: {_short(lc)}", f"Picture this: {_short(lc)}"], v),
        pick(hooks, v),
        (pick(first, v), f"How {f.short_brand} gets there: {_diff(f, v)}."),
    )


def objection(f: Facts, item: str, v: int) -> Draft:
    it = strip_end(item)
    hooks = [
        f"{quoted(it)}: a fair question.",
        f"We hear this a lot: {quoted(it)}.",
        f"Let's answer this one plainly: {quoted(it)}.",
    ]
    return Draft(
        "objection",
        pick([f"Straight answer: {_short(it, 6)}", f"Answering {quoted(_short(it, 5))}"], v),
        pick(hooks, v),
        (
            f"Our answer: {_diff(f, v)}.",
            f"What it means for you: {_outcome(f, v)}.",
        ),
    )


def price(f: Facts, item: str, v: int) -> Draft:
    hooks = [f"“What does it cost?” {strip_end(item)}.", f"Let's talk price: {f.lc(strip_end(item))}."]
    return Draft(
        "price",
        pick(["What does it cost?", "Pricing, plainly"], v),
        pick(hooks, v),
        (
            f"What you get: {f.lc(strip_end(f.offer))}.",
            f"What makes it different: {_diff(f, v)}.",
        ),
    )


def comparison(f: Facts, item: str, v: int) -> Draft:
    hooks = [
        f"Comparing {f.short_brand} with {item}? Fair. Here is where we focus.",
        f"{f.short_brand} or {item}? Here is an honest way to decide.",
    ]
    return Draft(
        "comparison",
        pick([f"{f.short_brand} or {item}?", f"Choosing between {f.short_brand} and {item}"], v),
        pick(hooks, v),
        (
            f"Our focus: {_diff(f, v)}.",
            f"Who we are built for: {f.audience_lc}.",
            "Pick the option that fits how you work; we are happy to walk you through ours.",
        ),
    )


def product(f: Facts, item: str, v: int) -> Draft:
    hooks = [
        f"In the spotlight: {item}.",
        f"Meet {item}, one of our most-ordered picks.",
        f"Why {item} belongs in your rotation.",
    ]
    return Draft(
        "product",
        pick([f"Spotlight: {item}", f"Meet {item}", f"Why {item}"], v),
        pick(hooks, v),
        (
            f"{_cap(_diff(f, v))}.",
            f"Made for {f.audience_lc} who want {_outcome(f, v)}.",
            *([f"Price: {strip_end(f.pricing)}."] if f.pricing else []),
        ),
    )


def role(f: Facts, item: str, v: int) -> Draft:
    name = f.lc(item)
    hooks = [
        f"Now hiring: {name} roles in {f.area}.",
        f"What {article(name)} {name} role at {f.short_brand} offers.",
        f"Thinking about your next {name} role?",
    ]
    return Draft(
        "role",
        pick([f"Role spotlight: {item}", f"Now hiring: {item}", f"Your next {name} role"], v),
        pick(hooks, v),
        (
            f"What you get: {', '.join(f.lc(e) for e in f.evp) or _diff(f, v)}.",
            f"Who it suits: {f.lc(pick(f.segments, v, f.audience))}.",
            f"Where: {f.area}.",
        ),
    )


def evp(f: Facts, item: str, v: int) -> Draft:
    it, lc = strip_end(item), f.lc(strip_end(item))
    hooks = [
        f"{it}: what it looks like day to day at {f.short_brand}.",
        f"Here is what {lc} means at {f.short_brand}.",
        f"Ask our team about {lc}.",
    ]
    return Draft(
        "evp",
        pick(
            [
                f"Life at {f.short_brand}: {_short(lc)}",
                f"{_short(it)}, day to day",
                f"Ask us about {_short(lc, 6)}",
            ],
            v,
        ),
        pick(hooks, v),
        (
            f"Because {quoted(f.lc(_pain(f, v)))} should not come with the job." if f.pains else "",
            f"What it adds up to: {_outcome(f, v)}.",
        ),
    )


def people(f: Facts, item: str, v: int) -> Draft:
    it, lc = strip_end(item), f.lc(strip_end(item))
    team = (
        "That recognition belongs to the team who show up for each other every shift."
        if f.roles
        else f"That belongs to the team behind {f.short_brand}."
    )
    return Draft(
        "people",
        pick([f"Our people: {_short(it)}", f"Meet the team: {_short(it)}"], v),
        pick([f"{it}.", f"Proud of this: {lc}.", f"A thank-you to our team: {lc}."], v),
        (team, f"Here is what makes the difference: {_diff(f, v)}."),
    )


def local(f: Facts, item: str, v: int) -> Draft:
    hooks = [
        f"For {f.audience_lc} in {item}:",
        f"Working with {f.audience_lc} across {item}.",
        f"Based in or near {item}?",
    ]
    return Draft(
        "local",
        pick([f"Local focus: {item}", f"Working in {item}" if f.roles else f"Serving {item}"], v),
        pick(hooks, v),
        (
            f"{_cap(_diff(f, v))}.",
            f"What you can expect: {_outcome(f, v)}.",
        ),
    )


def point_of_view(f: Facts, item: str, v: int) -> Draft:
    it = strip_end(item)
    hooks = [
        f"Point of view: {quoted(it)} is solvable, and {f.audience_lc} should expect better.",
        f"Hot take: {quoted(it)} is fixable.",
    ]
    return Draft(
        "pov",
        pick([f"Point of view: {_short(f.lc(it), 6)} is solvable", f"Hot take on {_short(f.lc(it), 6)}"], v),
        pick(hooks, v),
        (
            f"What better looks like: {_outcome(f, v)}.",
            f"What we changed at {f.short_brand}: {_diff(f, v)}.",
            "What would you add?",
        ),
    )


def voice(f: Facts, item: str, v: int) -> Draft:
    it = strip_end(item)
    return Draft(
        "voice",
        pick([f"In our words: {_short(it, 6)}", f"Our standard: {_short(it, 6)}"], v),
        pick([f"{it}.", f"“{it}.” That is our standard."], v),
        (
            f"That is the standard we hold ourselves to at {f.short_brand}.",
            f"How we get there: {_diff(f, v)}.",
        ),
    )


def partner(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    hooks = [
        f"Looking for partners who serve {f.audience_lc}. What we bring: {lc}.",
        f"Partnering with {f.short_brand}: {lc}.",
    ]
    return Draft(
        "partner",
        pick([f"Partner value: {_short(item)}", f"Partnering on {_short(lc, 6)}"], v),
        pick(hooks, v),
        (
            f"Your clients get {_outcome(f, v)}.",
            "We keep partnerships simple: shared goals, clear referral terms and joint content.",
        ),
    )


def segment(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    return Draft(
        "segment",
        pick([f"For {_short(lc, 6)}", f"What {_short(lc, 6)} tell us"], v),
        pick([f"This one is for {lc}.", f"{_cap(lc)}: this is for you."], v),
        (
            f"You told us what matters: {_outcome(f, v)}.",
            f"How {f.short_brand} helps: {_diff(f, v)}.",
        ),
    )


ANGLES: dict[str, Callable[[Facts, str, int], Draft]] = {
    "segment": segment,
    "pain_cost": pain_cost,
    "myth": myth,
    "checklist": checklist,
    "poll": poll,
    "before_after": before_after,
    "how_it_works": how_it_works,
    "behind_scenes": behind_scenes,
    "steps": steps,
    "pain_fix": pain_fix,
    "faq": faq,
    "question": question,
    "reasons": reasons,
    "proof": proof,
    "outcome": outcome_picture,
    "objection": objection,
    "price": price,
    "comparison": comparison,
    "product": product,
    "role": role,
    "evp": evp,
    "people": people,
    "local": local,
    "pov": point_of_view,
    "voice": voice,
    "partner": partner,
}

FIRST_STEP: dict[Objective, str] = {
    Objective.LEADS: "Book a short call and tell us where things stand today.",
    Objective.SALES: "Choose what suits you from the range.",
    Objective.HIRING: "Send a short application; it takes a few minutes.",
    Objective.AWARENESS: "Follow along for practical ideas each week.",
    Objective.PARTNERSHIPS: "Book a partner call to compare audiences and goals.",
    Objective.RETENTION: "Log in and open the feature you use least.",
}


# ---- calls to action ----------------------------------------------------------------------------
def ctas(f: Facts) -> list[str]:
    """Calls to action for this brief's objective, most important first."""
    if f.objective is Objective.LEADS:
        if f.kind in {"professional", "local"} or f.booking_link:
            return ["Book a consultation", "Send us your question", "Request a call back"]
        return ["Book a demo", "See how it works", "Talk to our team"]
    if f.objective is Objective.SALES:
        first = "Start a subscription" if f.is_subscription else "Shop now"
        return [first, *(f"Shop {sku}" for sku in f.skus[:2]), "Browse the range"]
    if f.objective is Objective.HIRING:
        role_cta = [f"See open {f.lc(r)} roles" for r in f.roles[:2]]
        return ["Apply now", *role_cta, "Talk to our recruitment team"]
    if f.objective is Objective.PARTNERSHIPS:
        return ["Book a partner call", "Reply to start a conversation", "Explore partnering with us"]
    if f.objective is Objective.RETENTION:
        return ["Log in and try it today", "Tell us what you want next", "Refer a friend"]
    return [f"Follow {f.short_brand} for more", "Share this with someone who needs it", "Save this for later"]


LINKLESS = frozenset({Platform.INSTAGRAM, Platform.TIKTOK})

PLATFORM_ROLES: dict[Platform, str] = {
    Platform.LINKEDIN: "Professional credibility and reach",
    Platform.INSTAGRAM: "Visual storytelling and community",
    Platform.FACEBOOK: "Community, local reach and retargeting",
    Platform.X: "Fast conversation and point-of-view",
    Platform.TIKTOK: "Short-video discovery",
    Platform.YOUTUBE: "Searchable explainers and long-form trust",
    Platform.EMAIL: "Owned nurture and conversion",
    Platform.GOOGLE_BUSINESS: "Local search visibility and enquiries",
    Platform.PINTEREST: "Planning-stage discovery",
    Platform.THREADS: "Casual conversation and community",
}

OBJECTIVE_JOBS: dict[Objective, str] = {
    Objective.LEADS: "turn problem-aware readers into enquiries",
    Objective.SALES: "move followers to a first order and then a repeat order",
    Objective.HIRING: "get the right candidates to apply and referrers to share",
    Objective.AWARENESS: "earn attention and memory with the right audience",
    Objective.PARTNERSHIPS: "start conversations with complementary businesses",
    Objective.RETENTION: "help existing customers get more value and stay",
}

PLATFORM_FORMATS: dict[Platform, list[str]] = {
    Platform.LINKEDIN: ["Text post", "Document carousel", "Poll", "Short video"],
    Platform.INSTAGRAM: ["Carousel", "Reel", "Single image"],
    Platform.FACEBOOK: ["Image post", "Short video", "Text post"],
    Platform.X: ["Short post", "Thread opener"],
    Platform.TIKTOK: ["Short video"],
    Platform.YOUTUBE: ["Explainer video", "Short"],
    Platform.EMAIL: ["Newsletter"],
    Platform.GOOGLE_BUSINESS: ["Update post", "Offer post"],
    Platform.PINTEREST: ["Standard pin", "Idea pin"],
    Platform.THREADS: ["Text post"],
}
VIDEO_FORMATS = frozenset({"Reel", "Short video", "Explainer video", "Short", "Idea pin"})
# Formats that suit an angle, in order of preference; the first one the platform offers is used.
ANGLE_FORMATS: dict[str, list[str]] = {
    "poll": ["Poll", "Text post", "Short post", "Single image"],
    "checklist": ["Document carousel", "Carousel", "Standard pin", "Thread opener", "Image post"],
    "faq": ["Document carousel", "Carousel", "Explainer video", "Thread opener", "Text post"],
    "steps": ["Carousel", "Document carousel", "Explainer video", "Idea pin", "Thread opener"],
    "reasons": ["Carousel", "Document carousel", "Thread opener", "Image post"],
    "behind_scenes": ["Reel", "Short video", "Short", "Idea pin"],
    "role": ["Reel", "Short video", "Short", "Image post"],
    "evp": ["Reel", "Short video", "Short", "Single image"],
    "product": ["Reel", "Single image", "Short video", "Standard pin"],
    "how_it_works": ["Short video", "Reel", "Explainer video", "Carousel"],
    "people": ["Single image", "Image post", "Short video"],
    "proof": ["Single image", "Image post", "Text post"],
}


def format_for(platform: Platform, angle: str, number: int) -> str:
    """The angle's preferred format when the platform offers it, else a rotation (never a poll)."""
    offered = PLATFORM_FORMATS[platform]
    for fmt in ANGLE_FORMATS.get(angle, []):
        if fmt in offered:
            return fmt
    plain = [f for f in offered if f != "Poll"] or offered
    return plain[number % len(plain)]
