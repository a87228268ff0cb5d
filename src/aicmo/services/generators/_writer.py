"""The post writer: turns calendar slots into distinct, platform-ready posts.

Each post takes the next unused (angle, item) combination of its pillar, so consecutive posts
differ in substance; a combination reused on another platform gets another variant of the hook
and supporting facts. `reword` gives a post a new angle when a near-duplicate must be replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from aicmo.domain.learning import LearnedMix, PostOptions, mix, slot_key, slot_label, slot_of
from aicmo.domain.quality import PLATFORM_LIMITS, comparable, is_near_duplicate, render_caption
from aicmo.domain.schemas.creatives import Creatives
from aicmo.domain.schemas.execution import Post
from aicmo.domain.schemas.intake import Platform
from aicmo.domain.schemas.strategy import ContentPillar, Strategy
from aicmo.services.generators._calendar import Slot, candidate_times, retimed
from aicmo.services.generators._copy import PLATFORM_FORMATS, Draft, cta_for, format_for
from aicmo.services.generators._facts import Facts
from aicmo.services.generators._pillars import Blueprint, Combo, pillar_blueprints
from aicmo.services.generators._posts import (
    LISTY,
    SHORT_FORM,
    compose,
    hashtag_pool,
    hashtags_for,
    pillar_tags,
)
from aicmo.services.generators._repair import scrub_text, shorten
from aicmo.services.generators._text import strip_end
from aicmo.services.generators.creatives import post_image_prompt

MAX_REWORDS = 8
OUTCOME_SHARE = 4  # at most one post in this many backs a point with the brief's outcome line


@dataclass
class Written:
    post: Post
    draft: Draft
    pillar_index: int


class PostWriter:
    def __init__(
        self,
        facts: Facts,
        strategy: Strategy,
        creatives: Creatives | None = None,
        learned: LearnedMix | None = None,
        avoid: object = None,
    ) -> None:
        self.f = facts
        self.learned = learned
        # phrases operators keep amending away (the learning loop): taken out of every post written
        self.avoid = [str(a["phrase"]) for a in avoid or [] if isinstance(a, dict) and a.get("phrase")]
        self.chosen: dict[tuple[Platform, int], tuple[int, str]] = {}  # slot -> (pillar index, format)
        self.default_formats: list[str] = []  # what each post would take without the learning loop
        self.learning_notes: list[str] = [
            f"{a['why']}." for a in avoid or [] if isinstance(a, dict) and a.get("phrase") and a.get("why")
        ]
        self.pairs: list[tuple[ContentPillar, Blueprint]] = pillar_blueprints(facts, strategy)
        self.pool = hashtag_pool(facts)
        self.prompts = {p.pillar: p.prompt for p in (creatives.image_prompts if creatives else [])}
        self.uses: Counter[Combo] = Counter()
        self.platform_uses: Counter[tuple[Platform, Combo]] = Counter()
        self.platform_order: dict[Platform, int] = {}
        self.protected = [*facts.disclaimers, facts.brand]
        self.drafted = 0  # posts drafted so far, and how many backed a point with the outcome line
        self.outcome_points = 0

    # ---- writing ---------------------------------------------------------------------------------
    def write(self, slots: Sequence[Slot], window: tuple[date, date] | None = None) -> list[Written]:
        for slot in slots:
            self.platform_order.setdefault(slot.platform, len(self.platform_order))
        if self.learned is not None and slots:
            slots = self._choose(slots, self.learned, window or (slots[0].when.date(), slots[-1].when.date()))
        written = [self._write(slot) for slot in slots]
        if self.learned is not None:
            for platform in dict.fromkeys(s.platform for s in slots):  # formats compared on one platform
                mine = [n for n, w in enumerate(written) if w.post.platform == platform]
                self.learning_notes += self.learned.explain(
                    "format",
                    mix([self.default_formats[n] for n in mine]),
                    mix([written[n].post.format for n in mine]),
                )
        return self._dedupe(written)

    def _rotation(self, slot: Slot) -> int:
        return (slot.number - 1 + self.platform_order.get(slot.platform, 0)) % len(self.pairs)

    def _choose(self, slots: Sequence[Slot], learned: LearnedMix, window: tuple[date, date]) -> list[Slot]:
        """Pillars, formats and posting times from measured outcomes (the learning loop), each change
        explained in the notes; the slots come back moved to their chosen times."""
        names = [pillar.name for pillar, _ in self.pairs]
        times = {
            p: {slot_label(w, t): (w, t) for w, t in candidate_times(p)} for p in {s.platform for s in slots}
        }
        posts = [
            PostOptions(
                slot.platform.value,
                slot.week,
                {
                    "pillar": names,
                    "format": [f for f in PLATFORM_FORMATS[slot.platform] if f != "Poll"]
                    or list(PLATFORM_FORMATS[slot.platform]),
                    "slot": list(times[slot.platform]),
                },
            )
            for slot in slots
        ]
        choices = learned.plan(posts)
        moved = []
        for slot, choice in zip(slots, choices, strict=True):
            weekday, at = times[slot.platform][choice.picks["slot"]]
            moved.append(retimed(slot, weekday, at, *window))
            self.chosen[(slot.platform, slot.number)] = (
                names.index(choice.picks["pillar"]),
                choice.picks["format"],
            )
        default = mix([names[self._rotation(s)] for s in slots])
        self.learning_notes += learned.explain("pillar", default, mix([c.picks["pillar"] for c in choices]))
        for platform in dict.fromkeys(s.platform for s in slots):  # posting times compared on one platform
            before = mix([slot_key(platform.value, slot_of(s.when)) for s in slots if s.platform == platform])
            after = mix([slot_key(platform.value, slot_of(s.when)) for s in moved if s.platform == platform])
            self.learning_notes += learned.explain("slot", before, after)
        exploring = sum(1 for c in choices if c.exploring)
        added = sum(1 for c in choices if c.exploring.startswith("explores"))
        self.learning_notes.append(
            f"{exploring} of {len(choices)} posts ({exploring / len(choices):.0%}) explore, at least 10 % "
            "always: each post follows a draw from what the data allows (Thompson sampling), so an option "
            "is tried as often as it may be the best and a clearly worse one is left alone"
            + (f"; {added} posts were set to the most plausible challenger to keep 10 %." if added else ".")
        )
        return moved

    def _write(self, slot: Slot, pillar_index: int | None = None, bump: int = 0) -> Written:
        k = slot.number - 1
        if pillar_index is None:
            chosen = self.chosen.get((slot.platform, slot.number))
            pillar_index = chosen[0] if chosen else self._rotation(slot)
        pillar, blueprint = self.pairs[pillar_index]
        short = slot.platform in SHORT_FORM
        combo = min(
            blueprint.combos,
            key=lambda c: (
                short and c.angle in LISTY,
                self.platform_uses[(slot.platform, c)],
                self.uses[c],
                blueprint.combos.index(c),
            ),
        )
        extra = self.uses[combo] + bump
        self.uses[combo] += 1
        self.platform_uses[(slot.platform, combo)] += 1
        draft = self._spare_outcome(blueprint.draft(self.f, combo, extra))
        return Written(self._post(slot, pillar, blueprint, draft, k + bump, combo.item), draft, pillar_index)

    def _spare_outcome(self, draft: Draft) -> Draft:
        """A brief's outcome ("Fresh, interesting coffee without running out") closed most posts'
        points, the same line in fifty posts of fifty-six: read as a template. A post whose hook or
        title is the outcome keeps it; elsewhere, once a quarter of the posts so far backed a point
        with it, that point goes when the post has others, else it names something else the brief
        offers (a differentiator or proof the post does not mention yet)."""
        self.drafted += 1
        outcomes = [strip_end(o).lower() for o in self.f.outcomes if o.strip()]
        carrying = [n for n, point in enumerate(draft.points) if any(o in point.lower() for o in outcomes)]
        about = f"{draft.title} {draft.hook}".lower()
        if not carrying or any(o in about for o in outcomes):
            return draft
        if self.outcome_points * OUTCOME_SHARE >= self.drafted:
            said = " ".join([about, *draft.points]).lower()
            spare = [
                *(f"And at {self.f.short_brand}: {self.f.lc(strip_end(d))}." for d in self.f.diffs),
                *(f"And the proof: {self.f.lc(strip_end(p))}." for p in self.f.proofs),
            ]
            spare = [line for line in spare if line.split(": ", 1)[1][:-1].lower() not in said]
            points = list(draft.points)
            if len(points) > 1:  # the post says enough without it: a swapped-in fact broke its flow
                del points[carrying[0]]
                return replace(draft, points=tuple(points))
            if spare:
                points[carrying[0]] = spare[self.drafted % len(spare)]
                return replace(draft, points=tuple(points))
        self.outcome_points += 1
        return draft

    def _post(
        self, slot: Slot, pillar: ContentPillar, blueprint: Blueprint, draft: Draft, k: int, item: str
    ) -> Post:
        platform = slot.platform
        cta = cta_for(self.f, draft.angle, k, slot.week, slot.platform)
        tags = hashtags_for(platform, self.pool, pillar_tags(pillar_items(blueprint), self.f), k)
        chosen = self.chosen.get((platform, slot.number))
        default = format_for(platform, draft.angle, k)
        self.default_formats.append(default)
        fmt = chosen[1] if chosen else default
        return Post(
            id=f"{platform.value}-{slot.number:02d}",
            platform=platform,
            scheduled_at=slot.when,
            text=self._clean(
                platform,
                compose(self.f, draft, platform, cta, tags, title=draft.title, number=k, when=slot.when),
                tags,
                cta,
            ),
            hashtags=tags,
            pillar=pillar.name,
            format=fmt,
            cta=cta,
            image_prompt=post_image_prompt(self.f, draft.angle, item, platform, fmt),
        )

    def _clean(self, platform: Platform, text: str, tags: list[str], cta: str) -> str:
        """Banned words the brief itself uses are reworded here, so every post is clean as written."""
        cleaned = scrub_text(text, [*self.f.banned, *self.avoid], self.protected)
        if len(render_caption(cleaned, tags)) > PLATFORM_LIMITS[platform]:
            cleaned, _ = shorten(platform, cleaned, tags, cta, self.f.disclaimers)
        return cleaned

    # ---- duplicates --------------------------------------------------------------------------------
    def _dedupe(self, written: list[Written]) -> list[Written]:
        """Reword near-duplicates; a slot that stays a duplicate after every attempt is dropped.

        Each text is prepared once; after a rewrite only the rewritten post is compared again.
        """
        disclaimers = self.f.disclaimers
        prepared = [comparable(w.post.text, disclaimers) for w in written]

        def clashes(j: int) -> bool:
            return any(is_near_duplicate(prepared[i], prepared[j]) for i in range(j))

        dropped: set[int] = set()
        for j in range(len(written)):
            attempt = 0
            while clashes(j):
                attempt += 1
                if attempt > MAX_REWORDS:
                    dropped.add(j)
                    prepared[j] = comparable("", disclaimers)  # out of every later comparison
                    break
                written[j] = self.reword(written[j], attempt)
                prepared[j] = comparable(written[j].post.text, disclaimers)
        return [w for n, w in enumerate(written) if n not in dropped]

    def reword(self, item: Written, attempt: int = 1) -> Written:
        """The same slot and pillar with a fresh angle (falls back to the next pillar)."""
        post = item.post
        number = re.search(r"(\d+)$", post.id)
        slot = Slot(post.platform, post.scheduled_at, 0, int(number.group(1)) % 1000 + 1 if number else 1)
        index = item.pillar_index
        blueprint = self.pairs[index][1]
        if all(self.platform_uses[(post.platform, c)] for c in blueprint.combos):
            index = (index + attempt) % len(self.pairs)
        rewritten = self._write(slot, index, bump=attempt)
        rewritten.post = rewritten.post.model_copy(update={"id": post.id, "scheduled_at": post.scheduled_at})
        return rewritten

    def pillar_index(self, name: str) -> int:
        return next((n for n, (p, _) in enumerate(self.pairs) if p.name == name), 0)


NEGATIVE_KINDS = frozenset({"problem", "pov", "objections", "audience"})


def pillar_items(blueprint: Blueprint) -> list[str]:
    """Items worth a hashtag: positive ones (no pain points or objections as tags)."""
    if blueprint.kind in NEGATIVE_KINDS:
        return []
    return list(dict.fromkeys(c.item for c in blueprint.combos if c.angle not in {"voice", "reasons"}))
