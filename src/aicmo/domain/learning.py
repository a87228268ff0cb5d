"""The learning loop ("Kaizen", SPEC §7): what performs, how sure we are, and the next content mix. Pure.

Each published post with measured results is an observation (its pillar, format, platform and posting
slot, with impressions and engagements). One account's data is thin, so a rate is estimated with a
Beta posterior whose prior is the pooled rate one level up (account → client → every client of the
agency), worth `PRIOR_IMPRESSIONS` impressions: a choice with little data stays near what is known
elsewhere, and moves as its own evidence grows. Comparisons carry a 95 % interval from the posterior
(seeded Monte Carlo, so a report is reproducible), and the next mix keeps at least `EXPLORE` of the
posts spread over every option so a choice that started badly can still prove itself.
"""

from __future__ import annotations

import difflib
import math
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

EXPLORE = 0.10  # the share of posts kept spread evenly across every option
PRIOR_IMPRESSIONS = 2_000.0  # how much the pooled rate weighs against an option's own impressions
DRAWS = 4_000
# Posts differ far more than a binomial over their impressions says (hook, image, news of the day), so a
# post counts as at most this many impressions: a handful of big posts does not look like certainty.
POST_IMPRESSIONS = 400
MIN_POSTS = 3  # on each side, before a difference is called confident
SEED = 20261204
DIMENSIONS = ("pillar", "format", "platform", "slot")


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

    def value(self, dimension: str) -> str:
        return str(getattr(self, dimension))


def slot_of(when: datetime) -> str:
    return f"{when:%a %H}:00"


@dataclass(frozen=True)
class PostLink:
    """What an imported row's post was when it went out: the choices the loop learns about."""

    pillar: str
    format: str
    slot: str


@dataclass(frozen=True)
class Estimate:
    """An option's engagement rate: the posterior mean and its 95 % interval, and the data behind it."""

    dimension: str
    option: str
    posts: int
    impressions: int
    engagements: int
    mean: float
    low: float
    high: float
    prior_mean: float
    exposure: float = 0.0  # impressions weighed per post and by its platform (see `estimates`)
    evidence: float = 0.0  # engagements weighed the same way: what the posterior is built from

    @property
    def raw_rate(self) -> float | None:
        return self.engagements / self.impressions if self.impressions else None


@dataclass(frozen=True)
class Comparison:
    """The best option against the others in one dimension: their rate ratio with a 95 % interval."""

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
        sure = "" if self.confident else " (low confidence: the interval includes no difference)"
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


DEFAULT_PRIOR = 0.02  # an engagement rate to start from when nothing is measured anywhere


def pooled_prior(levels: Sequence[tuple[str, Sequence[Observation]]]) -> tuple[float, str]:
    """The pooled rate of the nearest level that has data (e.g. client, then agency) and its name,
    else (`DEFAULT_PRIOR`, "default")."""
    for name, level in levels:
        rate = pooled_rate(level)
        if rate is not None:
            return rate, name
    return DEFAULT_PRIOR, "default"


def _beta(successes: float, trials: float, prior_mean: float) -> tuple[float, float]:
    alpha = prior_mean * PRIOR_IMPRESSIONS + successes
    beta = (1.0 - prior_mean) * PRIOR_IMPRESSIONS + max(trials - successes, 0.0)
    return max(alpha, 1e-6), max(beta, 1e-6)


def _draws(alpha: float, beta: float, rng: random.Random) -> list[float]:
    return [rng.betavariate(alpha, beta) for _ in range(DRAWS)]


def _quantile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _weight(o: Observation) -> float:
    return min(1.0, POST_IMPRESSIONS / o.impressions) if o.impressions else 0.0


def platform_factors(observations: Sequence[Observation], prior_mean: float) -> dict[str, float]:
    """How much more (or less) engaged each platform's audience is than all of them together,
    shrunk towards 1 when a platform has little data."""
    overall = pooled_rate(observations) or prior_mean
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for o in observations:
        totals[o.platform][0] += o.engagements
        totals[o.platform][1] += o.impressions
    return {
        platform: ((eng + overall * PRIOR_IMPRESSIONS) / (imp + PRIOR_IMPRESSIONS)) / overall
        for platform, (eng, imp) in totals.items()
    }


def estimates(observations: Sequence[Observation], dimension: str, prior_mean: float) -> dict[str, Estimate]:
    """Per option of `dimension`: posterior mean and 95 % interval of its engagement rate.

    Except for the platform itself, a post's impressions are weighed by its platform's factor (indirect
    standardisation), so a format that runs mostly on an eager platform is not credited with the
    platform's audience."""
    factors = {} if dimension == "platform" else platform_factors(observations, prior_mean)
    groups: dict[str, list[Observation]] = defaultdict(list)
    for o in observations:
        groups[o.value(dimension)].append(o)
    rng = random.Random(SEED)
    out = {}
    for option, group in sorted(groups.items()):
        impressions = sum(o.impressions for o in group)
        exposure = sum(_weight(o) * o.impressions * factors.get(o.platform, 1.0) for o in group)
        evidence = sum(_weight(o) * o.engagements for o in group)
        engagements = sum(o.engagements for o in group)
        alpha, beta = _beta(evidence, exposure, prior_mean)
        draws = _draws(alpha, beta, rng)
        out[option] = Estimate(
            dimension=dimension,
            option=option,
            posts=len(group),
            impressions=impressions,
            engagements=engagements,
            mean=alpha / (alpha + beta),
            low=_quantile(draws, 0.025),
            high=_quantile(draws, 0.975),
            prior_mean=prior_mean,
            exposure=exposure,
            evidence=evidence,
        )
    return out


def compare(best: Estimate, other: Estimate) -> Comparison:
    """best ÷ other engagement rate, with the 95 % interval of the ratio from posterior draws."""
    rng = random.Random(f"{SEED}:{best.dimension}:{best.option}:{other.option}")
    a = _draws(*_beta(best.evidence, best.exposure, best.prior_mean), rng)
    b = _draws(*_beta(other.evidence, other.exposure, other.prior_mean), rng)
    ratios = [x / y for x, y in zip(a, b, strict=True) if y > 0]
    return Comparison(
        dimension=best.dimension,
        best=best,
        other=other,
        ratio=best.mean / other.mean if other.mean else float("inf"),
        low=_quantile(ratios, 0.025),
        high=_quantile(ratios, 0.975),
    )


@dataclass(frozen=True)
class Insights:
    """What the data says, per dimension: every option's estimate, and the best against the worst."""

    observations: int
    prior_mean: float
    by_dimension: Mapping[str, Mapping[str, Estimate]]
    comparisons: Mapping[str, Comparison] = field(default_factory=dict)


def learn(observations: Sequence[Observation], prior_mean: float) -> Insights:
    by_dimension = {d: estimates(observations, d, prior_mean) for d in DIMENSIONS}
    comparisons = {}
    for dimension, options in by_dimension.items():
        if len(options) < 2:
            continue
        ranked = sorted(options.values(), key=lambda e: (-e.mean, e.option))
        comparisons[dimension] = compare(ranked[0], ranked[-1])
    return Insights(len(observations), prior_mean, by_dimension, comparisons)


def exploring_positions(posts: int, explore: float = EXPLORE) -> list[int]:
    """Which of `posts` (in time order) explore: at least `explore` of them, evenly spaced, so every
    week of a calendar keeps trying something while the rest follow the evidence."""
    count = min(posts, math.ceil(explore * posts - 1e-9))
    return [int((i + 0.5) * posts / count) for i in range(count)] if count else []


def choices(
    options: Sequence[str],
    known: Mapping[str, Estimate],
    posts: int,
    *,
    explore: float = EXPLORE,
    lane: int = 0,
    lanes: int = 1,
) -> list[str]:
    """The option for each of `posts` posts, in time order.

    The exploring posts (`exploring_positions`) are shared out between `lanes` dimensions (this one is
    `lane`): at its own exploring posts a dimension tries the options other than its favourite, least
    measured first; at another dimension's it keeps its favourite, so each exploring post changes one
    thing and its result is not confounded with the others. Every other post follows the evidence:
    each option gets a share equal to its chance of being the best (from the posteriors), laid out
    evenly, so a clear winner takes most and a close race stays shared."""
    if not options or posts <= 0:
        return []
    exploring = exploring_positions(posts, explore) if len(options) > 1 else []
    mine = set(exploring[lane::lanes])
    held = set(exploring) - mine
    win = win_chances(options, known)
    favourite = max(options, key=lambda o: (win[o], o))
    exploit = posts - len(exploring)
    counts = {o: int(win[o] * exploit) for o in options}
    short = exploit - sum(counts.values())
    for option in sorted(options, key=lambda o: (-((win[o] * exploit) % 1), -win[o], o))[:short]:
        counts[option] += 1
    others = sorted(
        (o for o in options if o != favourite), key=lambda o: (known[o].posts if o in known else 0, o)
    )
    followed = iter(spread({o: n for o, n in counts.items() if n}))
    tried = iter(others[i % len(others)] for i in range(len(mine)))
    return [next(tried) if i in mine else favourite if i in held else next(followed) for i in range(posts)]


def mix(chosen: Sequence[str]) -> dict[str, int]:
    """How many posts each option got."""
    counts: dict[str, int] = defaultdict(int)
    for option in chosen:
        counts[option] += 1
    return dict(counts)


def win_chances(options: Sequence[str], known: Mapping[str, Estimate]) -> dict[str, float]:
    """The posterior probability that each option has the highest rate (Thompson sampling's split)."""
    rng = random.Random(f"{SEED}:win:{'|'.join(options)}")
    default_prior = next(iter(known.values())).prior_mean if known else 0.02
    params = {}
    for option in options:
        e = known.get(option)
        params[option] = _beta(e.evidence, e.exposure, e.prior_mean) if e else _beta(0, 0, default_prior)
    wins = dict.fromkeys(options, 0)
    for _ in range(DRAWS):
        draws = {o: rng.betavariate(*params[o]) for o in options}
        wins[max(options, key=lambda o: (draws[o], o))] += 1
    return {o: wins[o] / DRAWS for o in options}


def spread(counts: Mapping[str, int], key: Callable[[str], str] = str) -> list[str]:
    """The options laid out over the posts in order, evenly interleaved (smooth weighted round robin),
    so a pillar with four posts of twelve is every third post, not the first four."""
    total = sum(counts.values())
    current = dict.fromkeys(counts, 0)
    out: list[str] = []
    for _ in range(total):
        for option, weight in counts.items():
            current[option] += weight
        pick = max(current, key=lambda o: (current[o], key(o)))
        current[pick] -= total
        out.append(pick)
    return out


# ---- what the next generation receives -------------------------------------------------------------
def insights_record(insights: Insights) -> dict[str, object]:
    """The insights as plain JSON (a generator's inputs are hashed and may go into a prompt)."""
    return {
        "seen": insights.observations,
        "prior_mean": insights.prior_mean,
        "estimates": {
            dimension: {
                option: [
                    e.posts,
                    e.impressions,
                    e.engagements,
                    round(e.mean, 6),
                    round(e.low, 6),
                    round(e.high, 6),
                    round(e.exposure, 1),
                    round(e.evidence, 2),
                ]
                for option, e in options.items()
            }
            for dimension, options in insights.by_dimension.items()
        },
        "comparisons": {d: c.sentence() for d, c in insights.comparisons.items()},
    }


@dataclass(frozen=True)
class LearnedMix:
    """The next calendar's choices from measured outcomes: which pillar and format each post takes."""

    seen: int
    prior_mean: float
    estimates: Mapping[str, Mapping[str, Estimate]]
    comparisons: Mapping[str, str]

    @classmethod
    def from_record(cls, record: object) -> LearnedMix | None:
        """None when there is nothing measured to learn from (the generator keeps its own rotation)."""
        if not isinstance(record, Mapping) or not record.get("seen"):
            return None
        prior = float(record.get("prior_mean") or 0.02)
        estimates: dict[str, dict[str, Estimate]] = {}
        for dimension, options in dict(record.get("estimates") or {}).items():
            estimates[dimension] = {
                option: Estimate(
                    dimension, option, int(v[0]), int(v[1]), int(v[2]), v[3], v[4], v[5], prior, v[6], v[7]
                )
                for option, v in dict(options).items()
            }
        comparisons = {str(k): str(v) for k, v in dict(record.get("comparisons") or {}).items()}
        return cls(int(record["seen"]), prior, estimates, comparisons)

    def pick(
        self, dimension: str, options: Sequence[str], posts: int, *, lane: int = 0, lanes: int = 1
    ) -> list[str]:
        return choices(options, self.estimates.get(dimension, {}), posts, lane=lane, lanes=lanes)

    def explain(self, dimension: str, before: Mapping[str, int], after: Mapping[str, int]) -> list[str]:
        """One line per option whose share changed, citing the comparison behind it."""
        why = self.comparisons.get(dimension, f"from {self.seen} measured posts")
        lines = []
        for option in sorted(set(before) | set(after)):
            change = after.get(option, 0) - before.get(option, 0)
            if change:
                more = "more" if change > 0 else "fewer"
                lines.append(f"{abs(change)} {more} '{option}' posts ({dimension}): {why}.")
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
