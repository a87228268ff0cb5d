"""Content pillars derived from the brief, shared by the strategy (what) and execution (posts).

A blueprint says what a pillar is about and which (angle, item) combinations can become posts.
Which pillars a brief gets depends on its objective and on what material it has: a hiring brief
with an EVP gets "Life at ..." and "Roles and pathways", an e-commerce brief with top SKUs gets a
bestsellers pillar, a services brief with areas gets a local pillar, and so on.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from aicmo.domain.schemas.intake import Objective
from aicmo.domain.schemas.strategy import ContentPillar, Strategy
from aicmo.services.generators._copy import ANGLES, Draft, outcome_facets, quoted
from aicmo.services.generators._facts import Facts
from aicmo.services.generators._text import human_list, short_phrase, strip_end

_NO_TESTIMONIALS = re.compile(r"(?i)testimonial|case results|no (?:results|outcome) claims|past results")


@dataclass(frozen=True)
class Combo:
    angle: str
    item: str
    variant: int = 0


@dataclass(frozen=True)
class Blueprint:
    kind: str
    name: str
    description: str
    formats: tuple[str, ...]
    combos: tuple[Combo, ...]

    def draft(self, facts: Facts, combo: Combo, extra_variant: int = 0) -> Draft:
        return ANGLES[combo.angle](facts, combo.item, combo.variant + extra_variant)

    def topics(self, facts: Facts, count: int = 4) -> list[str]:
        titles = [self.draft(facts, c).title for c in self.combos]
        return list(dict.fromkeys(titles))[:count]


def _combos(angles: list[str], items: list[str]) -> tuple[Combo, ...]:
    """Every (angle, item) pair, ordered so neighbours differ in both angle and item."""
    items = [i for i in items if i]
    if not items or not angles:
        return ()
    combos = [
        Combo(angles[(r + i) % len(angles)], item, r)
        for r in range(len(angles))
        for i, item in enumerate(items)
    ]
    if len(combos) < 3:  # a thin brief: a second pass with other variants
        combos += [Combo(c.angle, c.item, c.variant + len(angles)) for c in combos]
    return tuple(dict.fromkeys(combos))


def _short(text: str, count: int = 8) -> str:
    return short_phrase(text, count)


def _problem(f: Facts) -> Blueprint | None:
    if not f.pains:
        return None
    angles = ["pain_cost", "myth", "pain_fix", "checklist", "before_after"]
    if len(f.pains) >= 2:
        angles.append("poll")
    first = f.lc(_short(f.pains[0]))
    name = f"What we do about {quoted(first)}" if f.objective is Objective.HIRING else f"The problem: {first}"
    pains = human_list([f.lc(strip_end(p)) for p in f.pains])
    return Blueprint(
        "problem",
        name,
        f"Name what {f.audience_lc} live with ({pains}) and what it costs them, before {f.short_brand} is "
        "the answer.",
        ("Carousel", "Poll", "Text post"),
        _combos(angles, list(f.pains)),
    )


def _how(f: Facts) -> Blueprint | None:
    if not f.diffs:
        return None
    lead = (
        f"Get more from {f.short_brand}"
        if f.objective is Objective.RETENTION
        else f"How {f.short_brand} works"
    )
    name = f"{lead}: {f.lc(_short(f.diffs[0]))}"
    return Blueprint(
        "how",
        name,
        f"Show the differentiators at work ({human_list([f.lc(strip_end(d)) for d in f.diffs])}): "
        "concrete, behind-the-scenes, step by step.",
        ("Short video", "Carousel", "Text post"),
        _combos(["how_it_works", "behind_scenes", "before_after", "faq", "steps"], list(f.diffs)),
    )


def _proof(f: Facts) -> Blueprint | None:
    restricted = any(_NO_TESTIMONIALS.search(c) for c in f.constraints)
    proofs = [] if restricted else list(f.proofs)
    if proofs:
        return Blueprint(
            "proof",
            f"Proof: {_short(proofs[0])}",
            "Evidence before adjectives: the brief's proof assets, told with the detail behind them.",
            ("Single image", "Carousel", "Text post"),
            (*_combos(["proof"], proofs), *_combos(["outcome", "question"], list(outcome_facets(f)[:3]))),
        )
    if not f.outcomes:
        return None
    note = " Compliance: describe the process, never promise or imply a result." if restricted else ""
    return Blueprint(
        "expect",
        f"What to expect: {f.lc(_short(f.outcomes[0]))}",
        f"Describe the experience {f.audience_lc} can expect, grounded in how {f.short_brand} works.{note}",
        ("Text post", "Carousel"),
        _combos(["outcome", "steps", "faq"], list(outcome_facets(f))),
    )


def _objections(f: Facts) -> Blueprint | None:
    combos = list(_combos(["objection"], list(f.objections)))
    if f.pricing:
        combos.append(Combo("price", f.pricing))
    combos += [Combo("comparison", c) for c in f.competitors[:2]]
    combos += [Combo("faq", f.offer)] if f.offer else []
    if len(combos) < 2:
        return None
    first = _short(f.objections[0], 6) if f.objections else "price and fit"
    # one objection names the pillar; with several, no one of them names the others' posts
    name = f"Straight answers: {first}" if len(f.objections) <= 1 else "Straight answers to common doubts"
    return Blueprint(
        "objections",
        name,
        "Answer the questions that stall a decision (price, switching, alternatives) plainly and without "
        "knocking anyone.",
        ("Text post", "Carousel", "Short video"),
        tuple(combos),
    )


def _outcomes(f: Facts) -> Blueprint | None:
    if not f.outcomes:
        return None
    combos = list(_combos(["outcome", "steps", "question"], list(outcome_facets(f))))
    combos += [Combo("voice", line) for line in f.voice_lines[:2]]
    return Blueprint(
        "outcomes",
        f"The outcome: {f.lc(_short(f.outcomes[0]))}",
        f"Paint the after-picture {f.audience_lc} want, in the brand's own voice.",
        ("Single image", "Short video", "Text post"),
        tuple(combos),
    )


def _products(f: Facts) -> Blueprint | None:
    if not f.skus:
        return None
    return Blueprint(
        "products",
        f"Bestsellers: {human_list(list(f.skus[:3]))}",
        "Product stories for the top SKUs: what is in the bag or box, who it suits, how to enjoy it.",
        ("Reel", "Carousel", "Single image"),
        _combos(["product", "before_after", "faq"], list(f.skus)),
    )


def _roles(f: Facts) -> Blueprint | None:
    if not f.roles:
        return None
    return Blueprint(
        "roles",
        f"Roles and pathways: {human_list([f.lc(r) for r in f.roles[:3]])}",
        f"What each role involves, who it suits and how to apply at {f.short_brand}.",
        ("Carousel", "Short video", "Text post"),
        _combos(["role", "steps", "faq"], list(f.roles)),
    )


def _life(f: Facts) -> Blueprint | None:
    if not f.evp:
        return None
    return Blueprint(
        "life",
        f"Life at {f.short_brand}: {f.lc(_short(f.evp[0]))}",
        f"The employee value proposition made concrete: {human_list([f.lc(e) for e in f.evp])}.",
        ("Short video", "Single image", "Text post"),
        _combos(["evp", "before_after", "question"], list(f.evp)),
    )


def _people(f: Facts) -> Blueprint | None:
    items = [i for i in [f.employer_notes, *f.proofs] if i]
    if not items:
        return None
    combos = list(_combos(["people"], items))
    combos += [Combo("voice", line) for line in f.voice_lines[:2]]
    combos += [Combo("reasons", f.diffs[0])] if f.diffs else []
    return Blueprint(
        "people",
        f"Our people: {_short(items[0])}",
        "The team behind the brand: recognition, stories and the people candidates would work with.",
        ("Single image", "Short video", "Carousel"),
        tuple(combos),
    )


def _local(f: Facts) -> Blueprint | None:
    if not f.locations:
        return None
    return Blueprint(
        "local",
        f"Local to {human_list(list(f.locations[:3]))}",
        f"Show up where {f.audience_lc} are: local detail, local questions, local proof.",
        ("Update post", "Single image", "Text post"),
        _combos(["local", "faq", "question"], list(f.locations)),
    )


def _pov(f: Facts) -> Blueprint | None:
    if not f.pains:
        return None
    return Blueprint(
        "pov",
        f"Point of view: {f.industry} in {f.area}",
        f"Opinionated, useful takes for {f.audience_lc} that earn a follow before any pitch.",
        ("Text post", "Document carousel", "Poll"),
        _combos(["pov", "myth", "question"], list(f.pains)),
    )


def _partner(f: Facts) -> Blueprint | None:
    if not f.diffs:
        return None
    return Blueprint(
        "partner",
        f"Why partner with {f.short_brand}",
        f"What a partner gains from working with {f.short_brand}: shared audience ({f.audience_lc}) and "
        "clear terms.",
        ("Text post", "Document carousel"),
        _combos(["partner", "how_it_works", "faq"], list(f.diffs)),
    )


def _offer(f: Facts) -> Blueprint:
    """Always available: the offer itself (a fallback when the brief is thin)."""
    item = f.offer or f.industry or f.brand
    return Blueprint(
        "offer",
        f"The offer: {_short(item)}",
        f"What {f.short_brand} offers, who it is for and how to start.",
        ("Single image", "Text post"),
        _combos(["how_it_works", "steps", "faq"], [item]),
    )


def _audience(f: Facts) -> Blueprint:
    """Always available: speaking to each audience segment in turn."""
    return Blueprint(
        "audience",
        f"For {f.audience_lc}",
        f"Posts addressed to each segment of the audience: {human_list(list(f.segments))}.",
        ("Text post", "Carousel"),
        _combos(["segment", "question"], list(f.segments)),
    )


Builder = Callable[[Facts], Blueprint | None]
ORDER: dict[Objective, list[Builder]] = {
    Objective.LEADS: [_problem, _how, _proof, _objections, _local, _pov, _outcomes],
    Objective.SALES: [_products, _how, _problem, _proof, _objections, _outcomes],
    Objective.HIRING: [_life, _roles, _people, _local, _problem, _outcomes],
    Objective.AWARENESS: [_pov, _how, _problem, _proof, _outcomes],
    Objective.PARTNERSHIPS: [_partner, _pov, _proof, _how, _outcomes],
    Objective.RETENTION: [_how, _outcomes, _proof, _objections, _problem],
}
ALL_BUILDERS: list[Builder] = [_problem, _how, _outcomes, _proof, _objections, _pov, _offer, _audience]


def blueprints(f: Facts, count: int = 4) -> list[Blueprint]:
    """Three to five pillars for the brief, most important first."""
    chosen: list[Blueprint] = []
    for builder in [*ORDER[f.objective], *ALL_BUILDERS]:
        blueprint = builder(f)
        if blueprint and blueprint.combos and blueprint.kind not in {b.kind for b in chosen}:
            chosen.append(blueprint)
        if len(chosen) == count:
            break
    return chosen


def pillar_blueprints(f: Facts, strategy: Strategy) -> list[tuple[ContentPillar, Blueprint]]:
    """Each approved pillar paired with the blueprint that supplies its post material.

    Pillars are matched by position: an operator may rename a pillar, and its posts still draw on
    the same part of the brief.
    """
    prints = blueprints(f, max(3, len(strategy.pillars)))
    return [(pillar, prints[n % len(prints)]) for n, pillar in enumerate(strategy.pillars)]
