"""The angle library of the offline planner: how one item of the brief becomes a post.

An angle turns one brief item (a pain point, a differentiator, a proof asset, a role ...) into a
title, a hook and two or three supporting points. Brief items are typed slots (`_phrases.Phrase`:
noun phrase or clause), so every template asks for the kind of phrase it can hold. Each angle has
a bank of hooks, most of which open with the brief's own material (the pain, the product, the
place, the audience, the brand); which one a post gets is seeded by the brief, so two clients with
the same angle still read differently. No sentence of six or more words is fixed text: every long
sentence carries something from the brief.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from aicmo.domain.channels import CHANNELS
from aicmo.domain.compliance import rules_for
from aicmo.domain.playbooks import BusinessModel, FunnelStage, business_model, playbook, stage_for_week
from aicmo.domain.schemas.intake import Objective, Platform
from aicmo.services.generators._facts import Facts, booked
from aicmo.services.generators._phrases import (
    Phrase,
    answer_for,
    choose,
    concepts_of,
    is_clause,
    is_gerund_phrase,
    is_noun_phrase,
    noun_phrase,
    outcome_parts,
    price_phrase,
    pricing_parts,
    second_person,
    wanted,
    whole_phrase,
)
from aicmo.services.generators._text import cap, pick, stable_index, strip_end


@dataclass(frozen=True)
class Draft:
    angle: str
    title: str
    hook: str
    points: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", tuple(p for p in self.points if p))


def quoted(text: str) -> str:
    """`text` in quotation marks; a question keeps its question mark inside them."""
    text = text.strip()
    return f"“{text.rstrip('.!;:, ')}”" if text.endswith("?") else f"“{strip_end(text)}”"


def said(text: str) -> str:
    """`text` quoted as a sentence of its own: a question keeps its mark, a statement ends inside
    the quotation marks ("“Classes look intimidating.” Coaches are on the floor ...")."""
    text = text.strip()
    return f"“{text}”" if text.endswith(("?", "!")) else f"“{strip_end(text)}.”"


def article(noun: str) -> str:
    return "an" if noun[:1].lower() in "aeiou" else "a"


# ---- slots ------------------------------------------------------------------------------------------
def seed(f: Facts, angle: str) -> str:
    return f"{f.brand}|{f.offer}|{angle}"


def aud(f: Facts) -> str:
    """The audience as a short plural noun phrase, never cut mid-phrase."""
    return f.lc(whole_phrase(f.audience_short or f.audience, 6))


def city(f: Facts) -> str:
    """The client's town (a service area or the first part of "City, Country"), else ''."""
    return (
        f.locations[0] if f.locations else (f.geography.split(",")[0].strip() if "," in f.geography else "")
    )


@cache
def _facets(outcomes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(facet for outcome in outcomes for facet in (outcome, *outcome_parts(outcome)))


def outcome_facets(f: Facts) -> tuple[str, ...]:
    """Each outcome of the brief whole, then each thing it lists ("a routine they keep", "progress
    they can see"): posts take turns, so the client's line is not repeated word for word in all."""
    return _facets(f.outcomes)


def _outcome(f: Facts, v: int, item: str, *, noun: bool = True) -> str:
    """One facet of the brief's outcomes for the post on `item` (its variant `v`): seeded by the
    item too, so the posts of one round (all variant 0) do not all take the first. As a noun phrase
    ("the result: investing with a plan ...") unless `noun` is False (what follows "want to")."""
    facets = outcome_facets(f)
    turn = v + (stable_index(item, len(facets)) if facets else 0)
    text = f.lc(strip_end(pick(facets, turn, f.offer)))
    return noun_phrase(text) if noun else text


def _get(f: Facts, who: str, outcome: str) -> str:
    """ "{who} get {outcome}", or "{who} end up investing ..." for an outcome that is an activity."""
    return f"{who} end up {outcome}" if is_gerund_phrase(outcome) else f"{who} get {outcome}"


def _your_outcome(f: Facts, v: int, item: str) -> str:
    """`_outcome` in a sentence said to the reader ("what would a routine you keep change for you?")."""
    return second_person(_outcome(f, v, item))


def _diff(f: Facts, v: int) -> str:
    return f.lc(strip_end(pick(f.diffs, v, f.offer)))


def _pain(f: Facts, v: int) -> Phrase | None:
    return Phrase.of(pick(f.pains, v)) if f.pains else None


def _offer(f: Facts) -> str:
    """The offer as a noun phrase; "Weekday lunch: three tacos for $12" gives what follows the label."""
    label, colon, tail = f.offer.partition(": ")
    text = tail if colon and len(label.split()) <= 3 and len(tail.split()) <= 12 else f.offer
    return f.lc(whole_phrase(text, 12))


def _noun(f: Facts) -> str:
    """What one unit of the offer is called (an order, a visit, a session ...), for short phrases."""
    if noun := booked(f):
        return noun
    return {
        "local_venue": "order",
        "appointment_service": "visit",
        "employer": "shift",
        "retention": "session",
        "nonprofit": "event",
        "online_store": "order",
        "consumer_signup": "account",
        "events": "event",
        "hospitality": "stay",
        "b2b_partner": "partnership",
    }.get(model_of(f).value, "project")


def _short(text: str, count: int = 7) -> str:
    return whole_phrase(text, count)


# Words a regulated client's copy must not use about a worry: they promise or imply an outcome.
_PROMISE = re.compile(r"(?i)fix|solvable|doesn't accept|not a law|deserve better|not a fact|doesn't have to")


def careful(f: Facts) -> bool:
    """A regulated sector or a brief with rules on claims (`domain.compliance`, the one
    definition the gates and the compliance review use): no promised or implied outcomes."""
    return rules_for(f.intake).restricts_claims


def fix_for(f: Facts, problem: str) -> str | None:
    """The differentiator or proof that answers `problem`, or None (never an unrelated one).

    Under a regulated brief a worry about risk or comfort ("What if the market crashes?", "Will it
    hurt?") gets no answer from a feature: that would imply a promised outcome.
    """
    if careful(f) and concepts_of(problem, 0) & {"risk", "comfort"}:
        return None
    return answer_for(problem, [*f.diffs, *f.proofs, *pricing_parts(f.pricing)])


def _safe(f: Facts, hooks: list[str]) -> list[str]:
    """Hooks without promise words when the brief is regulated."""
    return [h for h in hooks if not _PROMISE.search(h)] if careful(f) else hooks


def _lc(f: Facts, phrase: Phrase | str) -> str:
    return f.lc(phrase.text if isinstance(phrase, Phrase) else strip_end(phrase))


def _window(items: list[str], v: int, count: int) -> list[str]:
    """`count` items starting at `v`, wrapping round (a rotating selection)."""
    items = [i for i in items if i]
    if not items:
        return []
    return [items[(v + n) % len(items)] for n in range(min(count, len(items)))]


def _pick(f: Facts, angle: str, options: list[str], v: int) -> str:
    return choose(options, seed(f, angle), v)


# ---- angles -----------------------------------------------------------------------------------------
def pain_cost(f: Facts, item: str, v: int) -> Draft:
    p = Phrase.of(item)
    lc = _lc(f, p)
    a = aud(f)
    fix = fix_for(f, item)
    hooks = [
        p.sentence,
        f"{cap(a)} know this one: {lc}.",
        f"{f.short_brand} hears it every week: {lc}.",
        f"{p.sentence[:-1]}. Familiar?" if p.clause else f"{cap(lc)}, again?",
        f"In {city(f)}, {a} keep telling us: {lc}." if city(f) else "",
        f"{quoted(cap(lc))}: heard that before?",
    ]
    return Draft(
        "pain_cost",
        _pick(f, "pain_cost.t", [f"{cap(_short(lc, 6))}", f"About {quoted(_short(lc, 6))}"], v),
        _pick(f, "pain_cost", hooks, v),
        (
            f"What {a} want instead: {_outcome(f, v, item)}.",
            f"The answer at {f.short_brand}: {f.lc(strip_end(fix))}."
            if fix
            else f"{f.short_brand} is built for {a} who want better than that.",
        ),
    )


def myth(f: Facts, item: str, v: int) -> Draft:
    p = Phrase.of(item)
    lc = _lc(f, p)
    a = aud(f)
    fix = fix_for(f, item)
    hooks = [
        f"{cap(a)} are often told {quoted(lc)} just comes with it. It doesn't have to.",
        f"{quoted(cap(lc))} is not a law of nature.",  # "a law of restaurant" read as a typo
        f"{f.short_brand} doesn't accept that {quoted(lc)} is normal.",
        f"Myth: {quoted(lc)} is part of the deal.",
        f"{quoted(cap(lc))}: a common worry for {a}, and a fair one.",
    ]
    return Draft(
        "myth",
        _pick(f, "myth.t", [f"Rethinking {quoted(_short(lc, 6))}", f"{cap(_short(lc, 6))}: not a given"], v),
        _pick(f, "myth", _safe(f, hooks), v),
        (
            f"What changes it at {f.short_brand}: {f.lc(fix)}."
            if fix
            else f"What {a} should expect: {_outcome(f, v, item)}.",
            f"{cap(_outcome(f, v + 1, item))}, without settling." if fix else "",
        ),
    )


_IMPERATIVE = re.compile(r"(?i)^(order|book|get|try|join|call|visit|pick|choose|open|start|bring|come)\b")


def checklist(f: Facts, item: str, v: int) -> Draft:
    p = Phrase.of(item)
    lc = _lc(f, p)
    a = aud(f)
    fix = fix_for(f, item)
    questions = [
        "How often does it happen?",
        f"What would {_your_outcome(f, v, item)} change for you?",
        "Have you simply accepted it?",
        f"Would {f.lc(fix)} help?" if fix and not is_clause(fix) and not _IMPERATIVE.match(fix) else "",
    ]
    hooks = [
        f"{cap(a)}: a quick check on {quoted(lc)}.",
        f"{f.short_brand}'s quick check on {quoted(lc)}:",
        f"{quoted(cap(lc))}? {f.short_brand} asks {a} three questions:",
    ]
    return Draft(
        "checklist",
        _pick(
            f, "checklist.t", [f"Quick check: {_short(lc, 6)}", f"{cap(_short(lc, 5))}: three questions"], v
        ),
        _pick(f, "checklist", hooks, v),
        tuple(_window([q for q in questions if q], v, 3)),
    )


def poll(f: Facts, item: str, v: int) -> Draft:
    other = next((p for p in f.pains if strip_end(p) != strip_end(item)), pick(f.objections, v, ""))
    options = [strip_end(item), strip_end(other) if other else ""]
    options = [o for o in options if o]
    a = aud(f)
    hooks = [
        f"{cap(a)}, which one hits harder?",
        f"{f.short_brand} poll for {a}:",
        f"{city(f)} poll for {a}:" if city(f) else "",
        f"{f.short_brand} asks {a}: which is worse?",
    ]
    letters = "AB"
    return Draft(
        "poll",
        f"Poll: {options[0]} or {f.lc(options[1])}?"
        if len(options) > 1 and all(len(o.split()) <= 4 for o in options)
        else f"Poll for {_short(a, 4)}",
        _pick(f, "poll", hooks, v),
        (*(f"{letters[n]}) {o}" for n, o in enumerate(options[:2])), "Vote below."),
    )


def before_after(f: Facts, item: str, v: int) -> Draft:
    is_pain = strip_end(item) in {strip_end(p) for p in f.pains}
    pain = Phrase.of(item) if is_pain else _pain(f, v)
    change = (fix_for(f, item) if is_pain else strip_end(item)) or ""
    after = _outcome(f, v, item)
    before = _lc(f, pain) if pain else ""
    framed = [f"Before: {before}. After: {after}.", f"From {quoted(before)} to {after}."] if before else []
    hooks = [*framed, f"{cap(f.lc(change))}. The difference for {aud(f)}: {after}." if change else ""]
    hook = _pick(f, "before_after", hooks, v) or f"{cap(after)}."
    return Draft(
        "before_after",
        f"Before and after: {_short(f.lc(change) or after, 6)}",
        hook,
        (f"What made the difference: {f.lc(change)}." if change and hook in framed else "",),
    )


def _same_price(price: str, text: str) -> bool:
    """True when `text` already states the price's first amount ("$12")."""
    amount = next((t.strip(",.;") for t in price.split() if any(c.isdigit() for c in t)), "")
    return bool(amount) and amount in text


def how_it_works(f: Facts, item: str, v: int) -> Draft:
    it = strip_end(item)
    lc = f.lc(it)
    a = aud(f)
    solves = next((p for p in f.pains if fix_for(f, p) == it), "")
    hooks = [
        f"{cap(it)}. Here is how that works.",
        f"How {f.short_brand} does it: {lc}.",
        f"{f.short_brand}, in practice: {lc}.",
        f"{cap(it)}: what it means for {a}.",
        f"Why {lc} matters to {a}.",
    ]
    price = price_phrase(f.pricing)
    return Draft(
        "how_it_works",
        _pick(f, "how.t", [f"How it works: {_short(it)}", f"In practice: {_short(lc)}"], v),
        _pick(f, "how_it_works", hooks, v),
        (
            f"It answers {quoted(f.lc(strip_end(solves)))}." if solves else "",
            f"The result: {_outcome(f, v, item)}.",
            f"{cap(_offer(f))}, {f.lc(price)}."
            if price and v % 2 == 0 and not _same_price(price, f.offer)
            else "",
        ),
    )


def behind_scenes(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    hooks = [
        f"Behind the scenes at {f.short_brand}: {lc}.",
        f"{f.short_brand} from the inside: {lc}.",
        f"{f.short_brand}, off camera: {lc}.",
    ]
    return Draft(
        "behind_scenes",
        _pick(
            f, "bts.t", [f"Behind the scenes: {_short(lc)}", f"Inside {f.short_brand}: {_short(lc, 6)}"], v
        ),
        _pick(f, "behind_scenes", hooks, v),
        (
            # what the item answers, from the brief; never "part of every visit", which it may not be
            f"It answers {quoted(f.lc(strip_end(worry)))}." if (worry := _worry_answered_by(f, item)) else "",
            f"It is how {_get(f, aud(f), _outcome(f, v, item))}.",
        ),
    )


def _worry_answered_by(f: Facts, item: str) -> str:
    """The first pain point or objection of the brief that `item` answers, else ''."""
    return next((w for w in (*f.pains, *f.objections) if fix_for(f, w) == strip_end(item)), "")


def steps(f: Facts, item: str, v: int) -> Draft:
    it = f.lc(strip_end(item))
    outcome = _outcome(f, v, item)
    last = outcome if f.lc(outcome) != it else _outcome(f, v + 1, item)
    middle = it if it != f.lc(last) else _diff(f, v)
    if strip_end(item) in f.roles:  # a role is not something to expect: it is a choice
        middle = "your role, " + " or ".join(f.lc(r) for r in f.roles[:3])
    # the steps are said to the reader: "what to expect: a routine you keep"
    said_last, said_middle = second_person(last), second_person(middle)
    hooks = [
        f"{f.short_brand} in three steps:",
        f"{cap(said_last)} in three steps:",
        f"{f.short_brand}: how to get started.",
        f"{cap(aud(f))}: here is how to start with {f.short_brand}.",
    ]
    return Draft(
        "steps",
        _pick(f, "steps.t", [f"Three steps to {_short(said_last, 6)}", f"Start with {f.short_brand}"], v),
        _pick(f, "steps", hooks, v),
        (
            f"1. {first_step(f)}",
            f"2. Choose {middle}."
            if middle.startswith("your role")
            else f"2. What to expect: {said_middle}.",
            f"3. The aim: {said_last}." if f.lc(last) not in middle and middle not in f.lc(last) else "",
        ),
    )


def pain_fix(f: Facts, item: str, v: int) -> Draft:
    p = Phrase.of(item)
    lc = _lc(f, p)
    fix = fix_for(f, item)
    if not fix or careful(f):  # nothing answers this pain (or the brief is regulated): claim no fix
        return pain_cost(f, item, v + 1)
    hooks = [
        f"{quoted(cap(lc))}? {cap(f.lc(fix))}.",
        f"{cap(f.lc(fix))}, because {quoted(lc)} should not be normal.",
        f"{f.short_brand}'s answer to {quoted(lc)}: {f.lc(fix)}.",
    ]
    return Draft(
        "pain_fix",
        _pick(f, "fix.t", [f"Fixing {quoted(_short(lc, 5))}", f"{cap(_short(fix, 6))}"], v),
        _pick(f, "pain_fix", hooks, v),
        (f"The aim for {aud(f)}: {_outcome(f, v, item)}.",),
    )


def faq(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    price = price_phrase(f.pricing)
    answers = [
        f"Who is it for? {cap(aud(f))}.",
        f"What is different? {cap(_diff(f, v))}.",
        f"What do I get? {cap(_your_outcome(f, v, item))}.",
        f"How do I start? {first_step(f)}",
    ]
    if price:
        asked = "What does it pay?" if model_of(f) is BusinessModel.EMPLOYER else "What does it cost?"
        answers.insert(1, f"{asked} {cap(price)}.")
    if f.locations:
        answers.append(f"Where? {', '.join(f.locations)}.")
    if f.roles:
        answers.append(f"Which roles? {', '.join(f.lc(r) for r in f.roles)}.")
    hooks = [
        f"{cap(_short(lc, 6))}: your questions, answered.",
        f"{cap(_short(lc, 6))}: {f.short_brand} answers.",
        f"{f.short_brand}, answered:",
    ]
    titles = [f"FAQ: {_short(item, 6)}", f"Questions on {_short(lc, 5)}"]
    if strip_end(item) in f.locations:  # a place is where the questions come from, not their topic
        hooks = [
            f"In {item}? Your questions about {f.short_brand}, answered.",
            f"{f.short_brand} in {item}, answered:",
        ]
        titles = [f"FAQ: {f.short_brand} in {item}", f"Questions from {item}"]
    return Draft(
        "faq",
        _pick(f, "faq.t", titles, v),
        _pick(f, "faq", hooks, v),
        tuple(_window(answers, v, 3)),
    )


def question(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    yours = second_person(lc)  # asked of the reader: "what does “a routine you keep” mean to you?"
    a = aud(f)
    pain = _pain(f, v)
    fix = fix_for(f, pain.text) if pain else None
    hooks = [
        f"{cap(a)}: what would {_your_outcome(f, v, item)} change for you?",
        f"{cap(yours)}: what does that look like for you?",
        f"{cap(a)}: if you could fix one thing, would it be {quoted(_lc(f, pain))}?" if pain and fix else "",
        f"{f.short_brand} wants to know: what does {quoted(yours)} mean to you?",
    ]
    if strip_end(item) in f.locations:  # "Cork: what does that look like for you?" asks nothing
        hooks = [
            f"{cap(a)} in {item}: what would {_your_outcome(f, v, item)} change for you?",
            f"{f.short_brand} wants to know: what do {a} in {item} need most?",
            f"{cap(a)} in {item}: if you could fix one thing, would it be {quoted(_lc(f, pain))}?"
            if pain and fix
            else "",
        ]
    hook = _pick(f, "question", _safe(f, hooks), v)
    other = next(
        (d for d in [*f.diffs[v % max(1, len(f.diffs)) :], *f.diffs] if f.lc(strip_end(d)) != lc), ""
    )
    start = fix if fix and "fix one thing" in hook else other
    return Draft(
        "question",
        _pick(f, "question.t", [f"Question: {_short(lc, 6)}", f"Over to you: {_short(yours, 6)}"], v),
        hook,
        (
            (
                f"For {f.short_brand}, it starts with {f.lc(strip_end(start))}."
                if is_noun_phrase(start)
                else f"How {f.short_brand} starts: {f.lc(strip_end(start))}."
            )
            if start
            else "",
            "Tell us below.",
        ),
    )


def reasons(f: Facts, item: str, v: int) -> Draft:
    picks = list(dict.fromkeys([strip_end(item), *(strip_end(d) for d in f.diffs)]))[:3]
    count = ["One", "Two", "Three"][len(picks) - 1]
    hooks = [
        f"{count} reasons {aud(f)} choose {f.short_brand}:",
        f"Why {f.short_brand}? {count} reasons:",
        f"{f.short_brand}, in {count.lower()} reasons:",
    ]
    return Draft(
        "reasons",
        f"{count} reasons to choose {f.short_brand}",
        _pick(f, "reasons", hooks, v),
        tuple(f"{n}. {cap(p)}." for n, p in enumerate(picks, start=1)),
    )


def proof(f: Facts, item: str, v: int) -> Draft:
    it = strip_end(item)
    lc = f.lc(it)
    # a labelled proof ("Customer quote: ramp time cut ...") keeps its colon; the hook's own becomes a dash
    lead = " — " if ": " in it else ": "
    hooks = [
        f"{cap(it)}.",
        f"Worth knowing about {f.short_brand}{lead}{lc}.",
        f"{cap(aud(f))}, this one matters{lead}{lc}.",
    ]
    return Draft(
        "proof",
        _pick(f, "proof.t", [f"Proof: {_short(it)}", f"{_short(it)}"], v),
        _pick(f, "proof", hooks, v),
        (f"Behind it: {_diff(f, v)}.", f"For {aud(f)}, that means {_outcome(f, v, item)}."),
    )


def outcome_picture(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    yours = second_person(lc)  # on its own, the outcome is the reader's: "progress you can see"
    a = aud(f)
    hooks = [
        f"{cap(yours)}. That is the goal.",
        f"{cap(a)} asked for {lc}.",
        f"{cap(yours)}: picture it.",
        f"{f.short_brand} exists for one thing: {noun_phrase(yours)}.",
        f"{cap(yours)}, week after week.",
    ]
    return Draft(
        "outcome",
        _pick(f, "outcome.t", [f"{cap(_short(yours))}", f"The goal: {_short(yours)}"], v),
        _pick(f, "outcome", hooks, v),
        (f"How {f.short_brand} gets there: {_diff(f, v)}.",),
    )


_QUESTION_START = re.compile(
    r"(?i)^(is|are|will|would|do|does|can|could|what|how|why|who|where|when|should)\b"
)


def as_question(text: str) -> str:
    """An objection as the reader would say it: a question keeps (or gets) its question mark."""
    text = strip_end(text) if not text.strip().endswith("?") else text.strip()
    return f"{text}?" if _QUESTION_START.match(text) and not text.endswith("?") else text


def objection(f: Facts, item: str, v: int) -> Draft:
    it = as_question(item)
    answer = fix_for(f, it)
    if not answer:  # no item of the brief answers it: invite the question instead of faking an answer
        return Draft(
            "objection",
            f"Ask us: {it}" if len(it.split()) <= 8 else f"Ask us: {_short(it, 6)}",
            _pick(
                f,
                "objection.open",
                [f"{said(it)} Ask {f.short_brand} directly.", f"{said(it)} Ask us."],
                v,
            ),
            (f"Send it to {f.short_brand}: you will get a straight answer.",),
        )
    asked = it.endswith("?")
    hooks = [
        f"{said(it)} {cap(f.lc(answer))}.",
        f"{said(it)} {'A fair question' if asked else 'Fair enough'}. {cap(f.lc(answer))}.",
        f"{f.short_brand} {'gets asked' if asked else 'hears'} {quoted(it)} a lot. {cap(f.lc(answer))}.",
    ]
    return Draft(
        "objection",
        _pick(f, "objection.t", [f"Straight answer: {_short(it, 6)}", f"{_short(it, 6)}"], v),
        _pick(f, "objection", hooks, v),
        (f"What it means for {aud(f)}: {_outcome(f, v, item)}.",),
    )


def price(f: Facts, item: str, v: int) -> Draft:
    amount = price_phrase(item) or strip_end(item)
    hooks = [
        f"{cap(amount)}.",
        f"{f.short_brand} pricing, plainly: {f.lc(amount)}.",
        f"{cap(_short(_offer(f), 6))}: {f.lc(amount)}.",
    ]
    return Draft(
        "price",
        _pick(f, "price.t", [f"What {f.short_brand} costs", f"Pricing: {_short(amount, 6)}"], v),
        _pick(f, "price", hooks, v),
        (f"What you get: {_offer(f)}.", f"And: {_diff(f, v)}."),
    )


def comparison(f: Facts, item: str, v: int) -> Draft:
    hooks = [
        f"{f.short_brand} or {item}? Here is how to decide.",
        f"Comparing {f.short_brand} with {item}? Fair.",
        f"{item} and {f.short_brand} both serve {aud(f)}. The difference:",
    ]
    return Draft(
        "comparison",
        _pick(f, "cmp.t", [f"{f.short_brand} or {item}?", f"{f.short_brand} and {item}"], v),
        _pick(f, "comparison", hooks, v),
        (f"Where {f.short_brand} focuses: {_diff(f, v)}.", f"Built for {aud(f)}."),
    )


def product(f: Facts, item: str, v: int) -> Draft:
    price = price_phrase(f.pricing)
    hooks = [
        f"{item}, up close.",
        f"Meet {item}.",
        f"{item}: a {f.short_brand} favourite.",
        f"Why {aud(f)} keep coming back to {item}.",
        f"{item} is back in the spotlight.",
    ]
    return Draft(
        "product",
        _pick(f, "product.t", [f"Spotlight: {item}", f"Meet {item}", f"Why {item}"], v),
        _pick(f, "product", hooks, v),
        (
            f"{cap(_diff(f, v))}.",
            f"For {aud(f)} who want {wanted(_outcome(f, v, item, noun=False))}.",
            f"{cap(price)}." if price else "",
        ),
    )


def role(f: Facts, item: str, v: int) -> Draft:
    name = f.lc(item)
    hooks = [
        f"{f.short_brand} is hiring: {name} roles in {f.area}.",
        f"{cap(name)} roles open in {f.area}.",
        f"{item} at {f.short_brand}: what the role offers.",
        f"Your next {name} role could be in {f.area}.",
    ]
    return Draft(
        "role",
        _pick(f, "role.t", [f"Role spotlight: {item}", f"Now hiring: {item}", f"Your next {name} role"], v),
        _pick(f, "role", hooks, v),
        (
            f"What you get: {', '.join(f.lc(e) for e in f.evp) or _diff(f, v)}.",
            f"Who it suits: {f.lc(whole_phrase(pick(f.segments, v, f.audience), 10))}.",
        ),
    )


def evp(f: Facts, item: str, v: int) -> Draft:
    it, lc = strip_end(item), f.lc(strip_end(item))
    pain = _pain(f, v)
    hooks = [
        f"{cap(it)}: what it looks like day to day at {f.short_brand}.",
        f"{cap(it)}. Here is what that means at {f.short_brand}.",
        f"Ask our team about {lc}.",
    ]
    return Draft(
        "evp",
        _pick(f, "evp.t", [f"Life at {f.short_brand}: {_short(lc)}", f"{_short(it)}, day to day"], v),
        _pick(f, "evp", hooks, v),
        (
            f"Because {quoted(_lc(f, pain))} should not come with the job." if pain else "",
            f"What it adds up to: {_outcome(f, v, item)}.",
        ),
    )


def people(f: Facts, item: str, v: int) -> Draft:
    it, lc = strip_end(item), f.lc(strip_end(item))
    hooks = [f"{cap(it)}.", f"Proud of this: {lc}.", f"{f.short_brand} team news: {lc}."]
    return Draft(
        "people",
        _pick(f, "people.t", [f"Our people: {_short(it)}", f"Meet the team: {_short(it)}"], v),
        _pick(f, "people", hooks, v),
        (
            f"It belongs to the {f.short_brand} team.",
            f"What makes the difference here: {_diff(f, v)}.",
        ),
    )


def local(f: Facts, item: str, v: int) -> Draft:
    a = aud(f)
    hooks = [
        f"{item}, this one is for you.",
        f"{cap(a)} in {item}: {f.short_brand} is close by.",
        f"In {item}? {f.short_brand} is nearby.",
        f"{item} {a}: here is what {f.short_brand} offers.",
    ]
    return Draft(
        "local",
        _pick(
            f, "local.t", [f"Local focus: {item}", f"Working in {item}" if f.roles else f"Serving {item}"], v
        ),
        _pick(f, "local", hooks, v),
        (f"{cap(_diff(f, v))}.", f"What you can expect: {_your_outcome(f, v, item)}."),
    )


def point_of_view(f: Facts, item: str, v: int) -> Draft:
    p = Phrase.of(item)
    lc = _lc(f, p)
    a = aud(f)
    fix = fix_for(f, item)
    hooks = [
        f"Unpopular opinion: {quoted(lc)} is fixable.",
        f"{cap(lc)}? {cap(a)} deserve better.",
        f"{f.short_brand}'s view: {quoted(lc)} is a solvable problem.",
        f"{quoted(cap(lc))} is a choice, not a fact of life.",
        f"{cap(a)} often say {quoted(lc)}. {f.short_brand}'s take:",
    ]
    return Draft(
        "pov",
        _pick(f, "pov.t", [f"Our take: {_short(lc, 6)}", f"{cap(_short(lc, 6))} is solvable"], v),
        _pick(f, "pov", _safe(f, hooks), v),
        (
            f"What better looks like: {_outcome(f, v, item)}.",
            f"What {f.short_brand} does about it: {f.lc(fix)}." if fix else "",
            "What would you add?",
        ),
    )


def voice(f: Facts, item: str, v: int) -> Draft:
    it = strip_end(item)
    return Draft(
        "voice",
        _pick(f, "voice.t", [f"In our words: {_short(it, 6)}", f"Our standard: {_short(it, 6)}"], v),
        _pick(f, "voice", [f"{it}.", f"“{it}.” That is the {f.short_brand} standard."], v),
        (f"How {f.short_brand} gets there: {_diff(f, v)}.",),
    )


def partner(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(strip_end(item))
    hooks = [
        f"{f.short_brand} partners get {lc}.",
        f"{cap(lc)}: one reason partners join {f.short_brand}.",
        f"Partnering with {f.short_brand}: {lc}.",
    ]
    return Draft(
        "partner",
        _pick(f, "partner.t", [f"Partner value: {_short(item)}", f"Partnering on {_short(lc, 6)}"], v),
        _pick(f, "partner", hooks, v),
        (
            f"{_get(f, 'Partners', _outcome(f, v, item))}.",  # the brief's outcome is the partner's
            f"Partners who serve {aud(f)} fit best.",
        ),
    )


def segment(f: Facts, item: str, v: int) -> Draft:
    lc = f.lc(whole_phrase(strip_end(item), 8))
    return Draft(
        "segment",
        _pick(f, "segment.t", [f"For {_short(lc, 6)}", f"{cap(_short(lc, 6))}, this is for you"], v),
        _pick(f, "segment", [f"This one is for {lc}.", f"{cap(lc)}: this is for you."], v),
        (f"What matters to you: {_your_outcome(f, v, item)}.", f"How {f.short_brand} helps: {_diff(f, v)}."),
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
# Angles that meet people early in the funnel (the call to action invites, it does not close).
EARLY_ANGLES = frozenset(
    {
        "pain_cost",
        "myth",
        "checklist",
        "poll",
        "question",
        "pov",
        "outcome",
        "voice",
        "people",
        "segment",
        "behind_scenes",
    }
)


# ---- the business model and its calls to action ----------------------------------------------------
def model_of(f: Facts) -> BusinessModel:
    """The client's business model (domain.playbooks reads it from the whole brief)."""
    return business_model(f.intake)


_VOLUNTEER = re.compile(r"(?i)volunteer|clean-?up|litter pick|sign-?ups?\b")
_DONATE = re.compile(r"(?i)donat|donor|fundrais|appeal|pledge")
_CLEANUP = re.compile(r"(?i)clean-?up|litter")
# Angles that conclude (a price, a product, an answer): they ask for the conversion.
LATE_ANGLES = frozenset(
    {"product", "price", "objection", "steps", "faq", "local", "role", "reasons", "comparison"}
)


# A constraint on what clients say in public: no call to action sends people to read it.
_NO_CLIENT_WORDS = re.compile(
    r"(?i)testimonial|review|(?:patient|client|customer|success|case) stor(?:y|ies)"
)


def _fits(f: Facts, cta: str) -> bool:
    """Drop the playbook's calls to action that this brief cannot honour (a volunteer drive asks for
    volunteers, not donations, unless the brief raises money; no clean-up without one)."""
    brief = f"{f.offer} {f.intake.kpi_targets} {f.audience}"
    if re.search(r"(?i)clients say|reviews|testimonial", cta) and any(
        _NO_CLIENT_WORDS.search(c) for c in f.constraints
    ):
        return False
    if re.search(r"(?i)donat", cta):
        return bool(_DONATE.search(brief))
    if re.search(r"(?i)volunteer", cta):
        return bool(_VOLUNTEER.search(brief)) or not _DONATE.search(brief)
    if re.search(r"(?i)clean-up", cta):
        return bool(_CLEANUP.search(brief))
    return True


def _stage_bank(f: Facts) -> dict[FunnelStage, tuple[str, ...]]:
    """The playbook's calls to action per funnel stage, fitted to this brief (products, roles)."""
    book = playbook(model_of(f))
    extra: dict[FunnelStage, list[str]] = {stage: [] for stage in FunnelStage}
    if book.model is BusinessModel.ONLINE_STORE:
        extra[FunnelStage.CONVERT] = ["Start a subscription"] if f.is_subscription else []
        extra[FunnelStage.CONVERT] += [f"Shop {sku}" for sku in f.skus[:1]]
    if book.model is BusinessModel.EMPLOYER:
        extra[FunnelStage.CONSIDER] += [f"See open {f.lc(r)} roles" for r in f.roles[:2]]
    noun = booked(f)  # "Book a consultation", not "Book an appointment", for a law firm

    def fitted(cta: str) -> str:
        return (
            cta.replace("an appointment", f"a {noun}").replace("first visit", f"first {noun}")
            if noun
            else cta
        )

    bank = {}
    for stage in FunnelStage:
        stock = [fitted(c) for c in book.ctas_for(stage)]
        options = [c for c in [*extra[stage], *stock] if _fits(f, c) and book.allows(c)]
        # five words at most while two remain: a longer stock call to action becomes a sentence
        # shared across clients, one alone makes every post of the stage ask the same
        short = [c for c in options if len(c.split()) <= 5]
        options = short if len(short) >= min(2, len(options)) else options
        bank[stage] = tuple(dict.fromkeys(options)) or book.ctas_for(FunnelStage.CONVERT)
    return bank


def ctas(f: Facts) -> list[str]:
    """Calls to action for this brief: the conversion action first, then the earlier stages."""
    bank = _stage_bank(f)
    return list(
        dict.fromkeys([*bank[FunnelStage.CONVERT], *bank[FunnelStage.CONSIDER], *bank[FunnelStage.DISCOVER]])
    )


# Channels whose every message asks for the conversion (a job listing asks people to apply).
CONVERT_CHANNELS = frozenset({Platform.JOB_BOARDS, Platform.SMS})


def cta_for(f: Facts, angle: str, number: int, week: int = 0, platform: Platform | None = None) -> str:
    """A post's call to action: from its funnel stage (the week of the window; concluding angles
    ask for the conversion, opening angles never do), rotated per brief."""
    if platform in CONVERT_CHANNELS:
        return choose(_stage_bank(f)[FunnelStage.CONVERT], seed(f, "cta.channel"), number)
    stage = stage_for_week(week, f.weeks) if week else FunnelStage.CONSIDER
    if angle in LATE_ANGLES:
        stage = (
            FunnelStage.CONVERT if stage is not FunnelStage.DISCOVER or number % 2 else FunnelStage.CONSIDER
        )
    elif angle in EARLY_ANGLES and stage is FunnelStage.CONVERT and number % 2:
        stage = FunnelStage.CONSIDER
    return choose(_stage_bank(f)[stage], seed(f, f"cta.{stage.value}"), number)


def first_step(f: Facts) -> str:
    """How to start, in one sentence, for the brief's business model."""
    return f"{ctas(f)[0]}."


# ---- platforms ----------------------------------------------------------------------------------
LINKLESS = frozenset(p for p, c in CHANNELS.items() if not c.carries_links)

PLATFORM_ROLES: dict[Platform, str] = {p: c.role for p, c in CHANNELS.items()}

OBJECTIVE_JOBS: dict[Objective, str] = {
    Objective.LEADS: "turn problem-aware readers into enquiries",
    Objective.SALES: "move followers to a first order and then a repeat order",
    Objective.HIRING: "get the right candidates to apply and referrers to share",
    Objective.AWARENESS: "earn attention and memory with the right audience",
    Objective.PARTNERSHIPS: "start conversations with complementary businesses",
    Objective.RETENTION: "help existing customers get more value and stay",
}

PLATFORM_FORMATS: dict[Platform, list[str]] = {p: list(c.formats) for p, c in CHANNELS.items()}
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
