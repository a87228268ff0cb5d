"""The learning loop ("Kaizen", SPEC §7): what performs, how sure we are, and the next content mix. Pure.

Each published post with measured results is an observation (its platform, pillar, format and posting
slot, with impressions and engagements). `learning_model` fits one log-linear model over all four
dimensions at once, so a format is not credited with the pillar or the posting time it happened to run
with. One account's data is thin, so every effect is shrunk towards the estimate one level up (account →
client → every client of the agency, `pooled_priors`); comparisons carry a 95 % interval of the rate
ratio, and a comparison whose interval includes no difference says it is low confidence.

The next calendar follows the evidence by Thompson sampling (each post draws from the posterior and
takes the best pillar, format and slot of that draw), so an uncertain race stays shared and a clear
winner takes most posts. At least `EXPLORE` of the posts explore: when the draws leave fewer, evenly
spaced posts change one choice to the most plausible challenger (the option with the highest chance of
beating the favourite), never a uniformly random one.
"""

from __future__ import annotations

import difflib
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time

from aicmo.domain.learning_model import INTERCEPT, TAU, Z95, Fit, fit, normal_cdf

EXPLORE = 0.10  # the least share of posts that try something other than the favourite
MIN_POSTS = 3  # on each side, before a difference is called confident
SEED = 20261204
DIMENSIONS = ("platform", "pillar", "format", "slot")
CHOSEN = ("pillar", "format", "slot")  # what a calendar chooses per post (the platform is the strategy's)
DEFAULT_PRIOR = 0.02  # an engagement rate to start from when nothing is measured anywhere


@dataclass(frozen=True)
class Observation:
    """One post's measured result (source: an imported row joined to the post it names)."""

    post_id: str
    pillar: str
    format: str
    platform: str
    slot: str  # "Tue 18:00": weekday and hour it went out, local time
    impressions: int
    engagements: int
    source_rows: tuple[int, ...] = ()
    source_imports: tuple[str, ...] = ()  # the metric imports those CSV lines belong to

    def value(self, dimension: str) -> str:
        """The option this post took in `dimension` (a slot is per platform: "instagram Tue 18:00")."""
        if dimension == "slot":
            return slot_key(self.platform, self.slot)
        return str(getattr(self, dimension))

    def keys(self) -> list[tuple[str, str]]:
        return [(d, self.value(d)) for d in DIMENSIONS if self.value(d)]


def slot_of(when: datetime) -> str:
    return f"{when:%a %H}:00"


def slot_label(weekday: int, at: time) -> str:
    """A posting time as the learning loop names it ("Mon 18:00", the hour it falls in)."""
    return slot_of(datetime(2024, 1, 1 + weekday, at.hour))  # 2024-01-01 was a Monday


def slot_key(platform: str, slot: str) -> str:
    return f"{platform} {slot}" if slot else ""


@dataclass(frozen=True)
class PostLink:
    """What an imported row's post was when it went out: the choices the loop learns about."""

    pillar: str
    format: str
    slot: str


@dataclass(frozen=True)
class Estimate:
    """An option's engagement rate (the others at their average): posterior mean and 95 % interval, the
    effect on the log scale it comes from, and the measured posts behind it."""

    dimension: str
    option: str
    posts: int
    impressions: int
    engagements: int
    mean: float
    low: float
    high: float
    prior_mean: float
    effect: float = 0.0
    effect_sd: float = 0.0
    post_ids: tuple[str, ...] = ()

    @property
    def raw_rate(self) -> float | None:
        return self.engagements / self.impressions if self.impressions else None


@dataclass(frozen=True)
class Comparison:
    """One option against another in one dimension: their rate ratio with a 95 % interval."""

    dimension: str
    best: Estimate
    other: Estimate
    ratio: float
    low: float
    high: float

    @property
    def confident(self) -> bool:
        """True when the interval of the ratio lies above 1 and each side has a few posts: the
        difference is not noise, nor one lucky post."""
        return self.low > 1.0 and min(self.best.posts, self.other.posts) >= MIN_POSTS

    def sentence(self) -> str:
        if self.confident:
            sure = ""
        elif self.low > 1.0:
            sure = f" (low confidence: fewer than {MIN_POSTS} posts on a side)"
        else:
            sure = " (low confidence: the interval includes no difference)"
        return (
            f"{self.dimension} '{self.best.option}' out-performed '{self.other.option}' {self.ratio:.1f}×, "
            f"95 % interval {self.low:.1f}–{self.high:.1f}, n={self.best.posts + self.other.posts}{sure}"
        )


def pooled_rate(observations: Iterable[Observation]) -> float | None:
    impressions = engagements = 0
    for o in observations:
        impressions += o.impressions
        engagements += o.engagements
    return engagements / impressions if impressions else None


def pooled_prior(levels: Sequence[tuple[str, Sequence[Observation]]]) -> tuple[float, str]:
    """The pooled rate of the nearest level that has data (e.g. client, then agency) and its name,
    else (`DEFAULT_PRIOR`, "default")."""
    for name, level in levels:
        rate = pooled_rate(level)
        if rate is not None:
            return rate, name
    return DEFAULT_PRIOR, "default"


@dataclass(frozen=True)
class Prior:
    """What one level up knows: a base rate and each option's effect, and where they come from."""

    rate: float = DEFAULT_PRIOR
    effects: Mapping[tuple[str, str], float] = field(default_factory=dict)
    source: str = "default"


def pooled_priors(levels: Sequence[tuple[str, Sequence[Observation]]]) -> Prior:
    """Hierarchical shrinkage from the top: `levels` run from the widest (e.g. ("agency", ...)) to the
    nearest (("client", ...)); each level with data is fitted with the level above as its prior, and
    the nearest one's estimates become the account's prior. The source names every level used."""
    prior = Prior()
    used = []
    for name, level in levels:
        if not level:
            continue
        fitted = fit(
            [(o.keys(), o.impressions, o.engagements) for o in level],
            prior_rate=prior.rate,
            prior_effects=prior.effects,
        )
        effects = {n: fitted.mean[i] for i, n in enumerate(fitted.names) if n[0]}
        rate = pooled_rate(level) or prior.rate
        used.append(name)
        prior = Prior(rate, effects, " → ".join(reversed(used)))
    return prior


def _estimates(
    fitted: Fit, observations: Sequence[Observation], dimension: str, prior: Prior
) -> dict[str, Estimate]:
    """Per option of `dimension`: the rate with the other dimensions at the account's average."""
    groups: dict[str, list[Observation]] = defaultdict(list)
    for o in observations:
        groups[o.value(dimension)].append(o)

    def others(group: Sequence[Observation]) -> dict[tuple[str, str], float]:
        """The weights of every other dimension's options over these posts (their average effect)."""
        weights: dict[tuple[str, str], float] = defaultdict(float)
        for o in group:
            for d in DIMENSIONS:
                if d != dimension:
                    weights[(d, o.value(d))] += 1 / len(group)
        return weights

    overall = others(observations)
    by_platform = {
        p: others([o for o in observations if o.platform == p]) for p in {o.platform for o in observations}
    }
    out = {}
    for option, group in sorted(groups.items()):
        effect, var = fitted.effect(dimension, option)
        sd = math.sqrt(var)
        # the model's rate for this option, the other dimensions as this account used them (a posting
        # slot against its own platform's posts), with the interval of that whole sum
        context = by_platform[group[0].platform] if dimension == "slot" else overall
        log_rate, level_var = fitted.combination({INTERCEPT: 1.0, (dimension, option): 1.0, **context})
        centre = math.exp(log_rate)
        spread = Z95 * math.sqrt(level_var)
        out[option] = Estimate(
            dimension=dimension,
            option=option,
            posts=len(group),
            impressions=sum(o.impressions for o in group),
            engagements=sum(o.engagements for o in group),
            mean=centre,
            low=centre * math.exp(-spread),
            high=centre * math.exp(spread),
            prior_mean=prior.rate,
            effect=effect,
            effect_sd=sd,
            post_ids=tuple(o.post_id for o in group),
        )
    return out


def compare(fitted: Fit, best: Estimate, other: Estimate) -> Comparison:
    """best ÷ other engagement rate, with the 95 % interval of the ratio from the joint posterior."""
    diff, sd = fitted.difference(best.dimension, best.option, other.option)
    return Comparison(
        dimension=best.dimension,
        best=best,
        other=other,
        ratio=math.exp(diff),
        low=math.exp(diff - Z95 * sd),
        high=math.exp(diff + Z95 * sd),
    )


@dataclass(frozen=True)
class Insights:
    """What the data says, per dimension: every option's estimate, and the best against the worst."""

    observations: int
    prior_mean: float
    by_dimension: Mapping[str, Mapping[str, Estimate]]
    comparisons: Mapping[str, Comparison] = field(default_factory=dict)
    fitted: Fit | None = None
    prior_source: str = "default"


def learn(observations: Sequence[Observation], prior_mean: float | Prior) -> Insights:
    prior = prior_mean if isinstance(prior_mean, Prior) else Prior(rate=prior_mean)
    fitted = fit(
        [(o.keys(), o.impressions, o.engagements) for o in observations],
        prior_rate=prior.rate,
        prior_effects=prior.effects,
    )
    by_dimension = {d: _estimates(fitted, observations, d, prior) for d in DIMENSIONS}
    comparisons = {}
    for dimension, options in by_dimension.items():
        comparable = _comparable(observations, dimension, options)
        if len(comparable) < 2:
            continue
        ranked = sorted(comparable, key=lambda e: (-e.effect, e.option))
        comparisons[dimension] = compare(fitted, ranked[0], ranked[-1])
    return Insights(len(observations), prior.rate, by_dimension, comparisons, fitted, prior.source)


def _comparable(
    observations: Sequence[Observation], dimension: str, options: Mapping[str, Estimate]
) -> list[Estimate]:
    """The options worth comparing head to head: formats and slots only within one platform (the one
    with the most measured posts that offers two of them), the rest all together."""
    if dimension not in ("format", "slot"):
        return list(options.values())
    per_platform: dict[str, set[str]] = defaultdict(set)
    posts: dict[str, int] = defaultdict(int)
    for o in observations:
        per_platform[o.platform].add(o.value(dimension))
        posts[o.platform] += 1
    usable = [p for p, chosen in per_platform.items() if len(chosen) >= 2]
    if not usable:
        return []
    platform = max(usable, key=lambda p: (posts[p], p))
    return [options[o] for o in sorted(per_platform[platform])]


def exploring_positions(posts: int, explore: float = EXPLORE) -> list[int]:
    """Which of `posts` (in time order) explore at least: `explore` of them, evenly spaced."""
    count = min(posts, math.ceil(explore * posts - 1e-9))
    return [int((i + 0.5) * posts / count) for i in range(count)] if count else []


def mix(chosen: Sequence[str]) -> dict[str, int]:
    """How many posts each option got."""
    counts: dict[str, int] = defaultdict(int)
    for option in chosen:
        counts[option] += 1
    return dict(counts)


# ---- the next calendar -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PostOptions:
    """What one post of the calendar may take: its platform and week, and the options per dimension
    (slots as labels "Mon 18:00"; two posts of a platform in one week take different slots)."""

    platform: str
    week: int
    options: Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Choice:
    picks: Mapping[str, str]
    exploring: str = ""  # why this post explores ("" when it follows the evidence)


class Planner:
    """Chooses each post's pillar, format and slot from a fitted posterior (see the module docstring)."""

    def __init__(self, fitted: Fit, prior_effects: Mapping[tuple[str, str], float] | None = None) -> None:
        self.fit = fitted
        self.prior = prior_effects or {}

    def _key(self, dimension: str, platform: str, option: str) -> tuple[str, str]:
        return (dimension, slot_key(platform, option) if dimension == "slot" else option)

    def _mean(self, name: tuple[str, str]) -> float:
        i = self.fit.index(*name)
        return self.fit.mean[i] if i is not None else self.prior.get(name, 0.0)

    def favourite(self, dimension: str, platform: str, options: Sequence[str]) -> str:
        return max(options, key=lambda o: (self._mean(self._key(dimension, platform, o)), o))

    def chance_better(self, dimension: str, platform: str, option: str, than: str) -> float:
        """The posterior probability that `option` beats `than` (an unseen option: its prior spread)."""
        a, b = self._key(dimension, platform, option), self._key(dimension, platform, than)
        if self.fit.index(*a) is not None and self.fit.index(*b) is not None:
            diff, sd = self.fit.difference(dimension, a[1], b[1])
        else:
            diff = self._mean(a) - self._mean(b)
            sd = math.sqrt(sum(self.fit.effect(*n)[1] or TAU.get(dimension, 0.5) ** 2 for n in (a, b)))
        return normal_cdf(diff / sd) if sd > 0 else float(diff > 0)

    def plan(self, posts: Sequence[PostOptions], explore: float = EXPLORE) -> list[Choice]:
        rng = random.Random(SEED)
        taken: dict[tuple[str, int], set[str]] = defaultdict(set)  # (platform, week) -> slots used
        picks: list[dict[str, str]] = []
        offered: list[PostOptions] = []  # what each post could still take (a week's slots are used once)
        for post in posts:
            draw = self.fit.draw(rng)
            chosen = {}
            left: dict[str, Sequence[str]] = {}
            for dimension, options in post.options.items():
                free = [
                    o for o in options if dimension != "slot" or o not in taken[(post.platform, post.week)]
                ]
                if not free:
                    continue
                left[dimension] = free

                def drawn(
                    option: str, dimension: str = dimension, platform: str = post.platform, draw: dict = draw
                ) -> float:
                    name = self._key(dimension, platform, option)
                    if name in draw:
                        return draw[name]
                    return self._mean(name) + rng.gauss(0.0, TAU.get(dimension, 0.5))

                scores = {o: drawn(o) for o in free}
                chosen[dimension] = max(free, key=lambda o: (scores[o], o))
            if "slot" in chosen:
                taken[(post.platform, post.week)].add(chosen["slot"])
            picks.append(chosen)
            offered.append(PostOptions(post.platform, post.week, left))
        reasons = [self._why(post, p) for post, p in zip(offered, picks, strict=True)]
        missing = math.ceil(explore * len(posts) - 1e-9) - sum(1 for r in reasons if r)
        if missing > 0:
            following = [i for i, r in enumerate(reasons) if not r]
            for n in exploring_positions(len(following), missing / max(len(following), 1)):
                i = following[n]
                challenger = self._challenger(posts[i], picks[i], taken)
                if challenger:
                    dimension, option, chance = challenger
                    if dimension == "slot":
                        taken[(posts[i].platform, posts[i].week)].add(option)
                    picks[i][dimension] = option
                    reasons[i] = (
                        f"explores {dimension} '{option}' ({chance:.0%} chance of beating the favourite)"
                    )
        return [Choice(p, r) for p, r in zip(picks, reasons, strict=True)]

    def _why(self, post: PostOptions, chosen: Mapping[str, str]) -> str:
        for dimension, option in chosen.items():
            favourite = self.favourite(dimension, post.platform, post.options[dimension])
            if option != favourite:
                chance = self.chance_better(dimension, post.platform, option, favourite)
                return f"tries {dimension} '{option}' ({chance:.0%} chance of beating '{favourite}')"
        return ""

    def _challenger(
        self, post: PostOptions, chosen: Mapping[str, str], taken: Mapping[tuple[str, int], set[str]]
    ) -> tuple[str, str, float] | None:
        """The most plausible alternative to one of this post's choices: (dimension, option, chance)."""
        best: tuple[str, str, float] | None = None
        for dimension, option in chosen.items():
            for other in post.options[dimension]:
                if other == option or (dimension == "slot" and other in taken[(post.platform, post.week)]):
                    continue
                chance = self.chance_better(dimension, post.platform, other, option)
                if best is None or chance > best[2]:
                    best = (dimension, other, chance)
        return best


# ---- what the next generation receives -------------------------------------------------------------
def insights_record(insights: Insights) -> dict[str, object]:
    """The insights as plain JSON (a generator's inputs are hashed and may go into a prompt)."""
    return {
        "seen": insights.observations,
        "prior_mean": insights.prior_mean,
        "prior_source": insights.prior_source,
        "estimates": {
            dimension: {
                option: [
                    e.posts,
                    e.impressions,
                    e.engagements,
                    round(e.mean, 6),
                    round(e.low, 6),
                    round(e.high, 6),
                    round(e.effect, 6),
                    round(e.effect_sd, 6),
                ]
                for option, e in options.items()
            }
            for dimension, options in insights.by_dimension.items()
        },
        "comparisons": {d: c.sentence() for d, c in insights.comparisons.items()},
        "fit": insights.fitted.record() if insights.fitted else None,
    }


@dataclass(frozen=True)
class LearnedMix:
    """The next calendar's choices from measured outcomes: each post's pillar, format and posting slot."""

    seen: int
    prior_mean: float
    estimates: Mapping[str, Mapping[str, Estimate]]
    comparisons: Mapping[str, str]
    fitted: Fit | None = None

    @classmethod
    def from_record(cls, record: object) -> LearnedMix | None:
        """None when there is nothing measured to learn from (the generator keeps its own rotation)."""
        if not isinstance(record, Mapping) or not record.get("seen"):
            return None
        prior = float(record.get("prior_mean") or DEFAULT_PRIOR)
        estimates: dict[str, dict[str, Estimate]] = {}
        for dimension, options in dict(record.get("estimates") or {}).items():
            estimates[dimension] = {
                option: Estimate(
                    dimension, option, int(v[0]), int(v[1]), int(v[2]), v[3], v[4], v[5], prior, v[6], v[7]
                )
                for option, v in dict(options).items()
            }
        comparisons = {str(k): str(v) for k, v in dict(record.get("comparisons") or {}).items()}
        fitted = Fit.from_record(record["fit"]) if isinstance(record.get("fit"), Mapping) else None
        return cls(int(record["seen"]), prior, estimates, comparisons, fitted)

    def plan(self, posts: Sequence[PostOptions]) -> list[Choice]:
        fitted = self.fitted or fit([], prior_rate=self.prior_mean)
        return Planner(fitted).plan(posts)

    def pick(self, dimension: str, options: Sequence[str], posts: int, platform: str = "") -> list[str]:
        """The option for each of `posts` posts of one dimension alone (a calendar uses `plan`)."""
        chosen = self.plan([PostOptions(platform, i, {dimension: options}) for i in range(posts)])
        return [c.picks[dimension] for c in chosen]

    def sentence(self, dimension: str, better: str, worse: str) -> str:
        """The comparison of two options, from the estimates and the posterior."""
        known = self.estimates.get(dimension, {})
        if self.fitted is None or better not in known or worse not in known:
            return self.comparisons.get(dimension, f"from {self.seen} measured posts")
        return compare(self.fitted, known[better], known[worse]).sentence()

    def explain(self, dimension: str, before: Mapping[str, int], after: Mapping[str, int]) -> list[str]:
        """One line per option whose share grew, citing its comparison with the option that lost most
        (or saying that it had no data yet)."""
        changes = {o: after.get(o, 0) - before.get(o, 0) for o in set(before) | set(after)}
        losers = sorted((o for o, c in changes.items() if c < 0), key=lambda o: (changes[o], o))
        lines = []
        for option in sorted(o for o, c in changes.items() if c > 0):
            known = self.estimates.get(dimension, {})
            if option not in known:
                why = f"'{option}' has no data yet: it is being tried"
            elif losers and losers[0] in known:
                why = self.sentence(dimension, option, losers[0])
            else:
                why = self.comparisons.get(dimension, f"from {self.seen} measured posts")
            lines.append(f"{changes[option]} more '{option}' posts ({dimension}): {why}.")
        return lines


# ---- learning events and the phrases people keep amending away -------------------------------------
EVENT_KINDS = ("generation", "approval", "rejection", "amendment", "publication", "outcome")
MAX_PHRASE_WORDS = 8  # a longer deletion is a rewrite, not a phrase someone objects to
AVOID_AFTER = 2  # a phrase amended away this many times (in different amendments) goes on the avoid list
_WORD = re.compile(r"[^\W_][\w'’-]*", re.UNICODE)


def text_leaves(content: object, path: str = "") -> dict[str, str]:
    """Every string in a content structure by its path ("posts.3.text")."""
    if isinstance(content, str):
        return {path: content}
    if isinstance(content, Mapping):
        items: Iterable[tuple[object, object]] = content.items()
    elif isinstance(content, list | tuple):
        items = enumerate(content)
    else:
        return {}
    out: dict[str, str] = {}
    for key, value in items:
        out |= text_leaves(value, f"{path}.{key}" if path else str(key))
    return out


def removed_phrases(before: str, after: str) -> list[str]:
    """Short runs of words present in `before` and deleted or replaced in `after` (lower-cased): what a
    person took out of the text. Whole rewrites (more than `MAX_PHRASE_WORDS` words) are not phrases."""
    old = [w.lower() for w in _WORD.findall(before)]
    new = [w.lower() for w in _WORD.findall(after)]
    phrases = []
    for op, i1, i2, _, _ in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op in ("delete", "replace") and 0 < i2 - i1 <= MAX_PHRASE_WORDS:
            words = old[i1:i2]
            if len(words) >= 2 or len(words[0]) >= 5:
                phrases.append(" ".join(words))
    return list(dict.fromkeys(phrases))


def amended_away(before: object, after: object) -> tuple[list[str], list[str]]:
    """(the changed paths, the phrases removed) between two versions of a content structure."""
    old, new = text_leaves(before), text_leaves(after)
    changed = sorted(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))
    phrases: list[str] = []
    for path in changed:
        if path in old:
            phrases += removed_phrases(old[path], new.get(path, ""))
    return changed, list(dict.fromkeys(phrases))


@dataclass(frozen=True)
class AvoidPhrase:
    """A phrase operators keep taking out, and the amendment events that show it."""

    phrase: str
    times: int
    events: tuple[int, ...]

    def sentence(self) -> str:
        return (
            f"'{self.phrase}' avoided: operators amended it away {self.times} times "
            f"(learning events {', '.join(f'#{e}' for e in self.events)})"
        )


def avoid_list(
    amendments: Iterable[tuple[int, Sequence[str]]], at_least: int = AVOID_AFTER
) -> list[AvoidPhrase]:
    """Phrases removed in at least `at_least` different amendments (event id, phrases removed), most
    often first."""
    seen: dict[str, list[int]] = defaultdict(list)
    for event, phrases in amendments:
        for phrase in dict.fromkeys(phrases):
            seen[phrase].append(event)
    found = [AvoidPhrase(p, len(e), tuple(sorted(e))) for p, e in seen.items() if len(e) >= at_least]
    return sorted(found, key=lambda a: (-a.times, a.phrase))
