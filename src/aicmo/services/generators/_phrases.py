"""Grammar-safe realisation: brief items as typed slots instead of pasted strings.

A brief answer is either a noun phrase ("Burnout", "Fixed fees agreed upfront") or a clause
("Supermarket beans are stale", "Managers forget steps"). Templates ask for the type they need, so
a clause is never forced into a noun slot ("the cost of supermarket beans are stale"). Phrases are
shortened only at whole-phrase boundaries, never leaving a dangling "and" or "with". An objection
is answered only by a brief item that answers it (matched by meaning through a small concept
lexicon); when none does, the objection is not answered with something unrelated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from aicmo.services.generators._text import cap, stable_index, strip_end

# Words a phrase must not end on (a cut there leaves "families and." or "robo-advisor with").
DANGLING = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "but",
        "nor",
        "the",
        "of",
        "for",
        "to",
        "with",
        "without",
        "in",
        "on",
        "at",
        "by",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "within",
        "across",
        "about",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whose",
        "whom",
        "where",
        "when",
        "while",
        "who's",
        "its",
        "their",
        "our",
        "your",
        "my",
        "his",
        "her",
        "this",
        "these",
        "those",
        "very",
        "more",
        "most",
        "less",
        "least",
        "per",
        "via",
        "plus",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "can",
        "could",
        "will",
        "would",
        "should",
        "may",
        "might",
        "must",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "get",
        "actually",
        "also",
        "just",
    ]
)
_AUX = frozenset(
    [
        "is",
        "are",
        "was",
        "were",
        "am",
        "be",
        "been",
        "being",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "don't",
        "doesn't",
        "didn't",
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "will",
        "won't",
        "would",
        "wouldn't",
        "should",
        "shouldn't",
        "may",
        "might",
        "must",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "hasn't",
        "haven't",
        "feel",
        "feels",
        "felt",
        "seem",
        "seems",
        "keep",
        "keeps",
        "get",
        "gets",
        "got",
        "take",
        "takes",
        "make",
        "makes",
        "end",
        "ends",
        "wait",
        "waits",
        "forget",
        "forgets",
        "fade",
        "fades",
        "eat",
        "eats",
        "break",
        "breaks",
        "arrive",
        "arrives",
        "cost",
        "costs",
        "need",
        "needs",
        "know",
        "knows",
        "want",
        "wants",
        "ask",
        "asks",
        "lose",
        "loses",
        "run",
        "runs",
        "go",
        "goes",
        "come",
        "comes",
        "leave",
        "leaves",
        "miss",
        "misses",
        "stay",
        "stays",
        "work",
        "works",
        "pile",
        "piles",
        "sit",
        "sits",
        "hurt",
        "hurts",
        "drop",
        "drops",
        "tunnel",
        "tunnels",
        "say",
        "says",
        "think",
        "thinks",
        "look",
        "looks",
    ]
)
_WORD = re.compile(r"[\w'’-]+")


def is_clause(text: str) -> bool:
    """True when `text` reads as a clause (has a finite verb after its first word)."""
    tokens = [t.lower().replace("’", "'") for t in _WORD.findall(text)]
    return any(t in _AUX for t in tokens[1:]) or (bool(tokens) and tokens[0] in {"i", "we", "they", "you"})


# A differentiator that opens with one of these says how things are ("Live in one day", "Ready in
# ten minutes"), not what something is: "it starts with live in one day" does not read.
_PREDICATE_START = frozenset(["live", "ready", "open", "up", "available", "done", "set", "free", "fully"])


def is_noun_phrase(text: str) -> bool:
    """True when `text` can follow "starts with" / "comes with": neither a clause nor a predicate."""
    words = text.split()
    return bool(words) and not is_clause(text) and words[0].lower() not in _PREDICATE_START


@dataclass(frozen=True)
class Phrase:
    """One brief item, typed: a noun phrase or a clause."""

    text: str
    clause: bool

    @classmethod
    def of(cls, text: str) -> Phrase:
        text = strip_end(text)
        return cls(text, is_clause(text))

    @property
    def sentence(self) -> str:
        """The phrase as a sentence of its own (a noun phrase reads as a fragment, which is fine)."""
        return f"{cap(self.text)}."

    def words(self) -> int:
        return len(self.text.split())


# What may follow "who want": a thing ("a clear plan"), or an action once "to" is put before it
# ("start investing" -> "to start investing"); a place or state reached needs "to get" ("back to
# training" -> "to get back to training"). Verbs a brief's outcomes begin with; not ones that are
# as often nouns ("work", "love", "help").
_OUTCOME_VERBS = frozenset(
    [
        "get",
        "be",
        "feel",
        "start",
        "stop",
        "find",
        "keep",
        "grow",
        "save",
        "make",
        "earn",
        "build",
        "learn",
        "have",
        "see",
        "hire",
        "fill",
        "open",
        "book",
        "buy",
        "run",
        "walk",
        "train",
        "sleep",
        "play",
        "return",
        "recover",
        "move",
        "lose",
        "reach",
        "cut",
        "spend",
        "pay",
        "win",
        "land",
        "fix",
        "avoid",
        "enjoy",
        "invest",
        "understand",
        "know",
        "stay",
        "go",
        "come",
        "become",
        "do",
        "take",
        "try",
        "reduce",
        "increase",
        "improve",
        "protect",
        "retire",
        "own",
        "live",
        "eat",
        "drink",
        "meet",
        "sell",
        "switch",
        "join",
        "apply",
    ]
)
_REACHED = frozenset(["back", "out", "off", "up", "rid", "over", "through", "away", "into"])


def wanted(text: str) -> str:
    """`text` (a brief's outcome, as it reads mid-sentence) as what can follow "want"."""
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    if first in _REACHED:
        return f"to get {text}"
    if first in _OUTCOME_VERBS:
        return f"to {text}"
    return text


_THIRD_TO_SECOND = {
    "they": "you",
    "them": "you",
    "their": "your",
    "theirs": "yours",
    "themselves": "yourselves",
    "they're": "you're",
    "they've": "you've",
    "they'll": "you'll",
    "they'd": "you'd",
}
_PLURAL_PRONOUN = re.compile(r"\b(" + "|".join(map(re.escape, _THIRD_TO_SECOND)) + r")\b", re.IGNORECASE)


def second_person(text: str) -> str:
    """A brief's phrase about its audience ("a routine they keep") as said to them ("a routine you
    keep"), for a sentence that addresses the reader. They and you take the same verb forms."""

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        said = _THIRD_TO_SECOND[word.lower()]
        return said.capitalize() if word[:1].isupper() else said

    return _PLURAL_PRONOUN.sub(swap, text)


_RELATIVE = frozenset(["who", "that", "which", "whose"])
_DETERMINERS = frozenset(["a", "an", "the", "more", "fewer", "less", "their", "your", "our", "no"])


def outcome_parts(outcome: str) -> list[str]:
    """The things a brief's outcome lists ("A clear plan and an appointment this week" -> "A clear
    plan", "an appointment this week"; "Steady hours, better pay and a path up" -> three), so copy
    can name one at a time instead of repeating the whole line in every post. [] when it is not a
    plain list of things: one item, a verb first ("Start investing with a plan and fees ..."), an
    item of one word, or an item after a relative clause that is not a new thing ("people who
    stay and grow")."""
    text = strip_end(" ".join(outcome.split()))
    head, sep, last = text.rpartition(" and ")
    if not sep or " and " in head:
        return []
    items = [*(part.strip() for part in head.split(",")), last.strip()]
    if any(len(item.split()) < 2 for item in items):
        return []
    if any(len(item.split()) == 2 and item.split()[0].lower() in ("a", "an", "the") for item in items[:-2]):
        return []  # "A fresh, filling lunch and ...": adjectives, not things
    if items[0].split()[0].lower() in _OUTCOME_VERBS | _REACHED:
        return []
    for before, item in pairwise(items):
        first = item.split()[0].lower()
        if first in _OUTCOME_VERBS:
            return []
        if _RELATIVE & set(before.lower().split()) and first not in _DETERMINERS:
            return []
    return items


_GERUND = {"be": "being", "see": "seeing", "lie": "lying", "die": "dying"}
_DOUBLED = frozenset(["get", "stop", "run", "cut", "win", "shop", "plan", "set", "sit", "put", "swim"])


def gerund(verb: str) -> str:
    """ "start" -> "starting", "save" -> "saving", "get" -> "getting"."""
    word = verb.lower()
    if word in _GERUND:
        return _GERUND[word]
    if word in _DOUBLED:
        return word + word[-1] + "ing"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")):
        return word[:-1] + "ing"
    return word + "ing"


def noun_phrase(outcome: str) -> str:
    """A brief's outcome as it reads after "the result:", "that means", "from X to": a verb first
    becomes its -ing form ("Start investing with a plan" -> "investing with a plan"; "Save an hour a
    day" -> "saving an hour a day"); anything else is left as written."""
    words = outcome.split()
    if not words or words[0].lower() not in _OUTCOME_VERBS:
        return outcome
    if words[0].lower() in ("start", "begin", "keep") and len(words) > 1 and words[1].endswith("ing"):
        rest = words[1:]  # "start investing" is "investing"
    else:
        rest = [gerund(words[0]), *words[1:]]
    return " ".join(rest)


def is_gerund_phrase(text: str) -> bool:
    first = text.split(maxsplit=1)[0].lower() if text.strip() else ""
    return first.endswith("ing") and first not in (
        "thing",
        "nothing",
        "something",
        "everything",
        "morning",
        "evening",
    )


def whole_phrase(text: str, max_words: int) -> str:
    """At most `max_words` words, cut only where no function word is left dangling at the end.

    A cut prefers a natural break (a comma, dash, "with", "that", "who" ...) and the result never
    ends on "and", "with", "of" and similar; when nothing sensible fits, the first word group is kept.
    """
    text = strip_end(" ".join(text.split()))
    tokens = text.split()
    if len(tokens) <= max_words:
        return text
    for marker in (" — ", " - ", ": ", "; ", ", ", " who ", " that ", " which ", " with ", " because "):
        head = text.split(marker, 1)[0]
        shortest = 3 if marker == ", " else 1  # "A fast, filling lunch" is one phrase, not "A fast"
        if marker in text and shortest <= len(head.split()) <= max_words:
            return _trim_dangling(head)
    head = tokens[:max_words]
    # cut before the last function word inside the limit ("advice | for small businesses"), so the
    # phrase never ends on the adjective of a noun it lost
    cut = max((i for i, t in enumerate(head) if i >= 2 and t.lower() in DANGLING), default=0)
    return _trim_dangling(" ".join(head[:cut] if cut else head))


def _trim_dangling(text: str) -> str:
    tokens = strip_end(text).split()
    if len(tokens) > 2 and tokens[-1].isdigit() and tokens[-2].lower() in DANGLING:
        tokens = tokens[:-2]  # "order ahead for pickup in 10" -> "order ahead for pickup"
    while len(tokens) > 1 and (
        tokens[-1].lower().strip(",;:") in DANGLING or tokens[-1].endswith(("'s", "’s"))
    ):
        tokens.pop()
    return strip_end(" ".join(tokens))


# Words no sentence can end on (a narrower set than DANGLING: "Tag someone who needs this." is fine).
NEVER_LAST = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "but",
        "nor",
        "the",
        "of",
        "with",
        "without",
        "into",
        "onto",
        "their",
        "our",
        "your",
        "my",
        "whose",
    ]
)


def ends_dangling(text: str) -> bool:
    """True when a sentence of `text` ends on a conjunction, article or the like ("... families and.")."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        last = sentence.strip().rstrip(".!?…").split()
        if sentence.strip().endswith((".", "!", "?")) and last and last[-1].lower() in NEVER_LAST:
            return True
    return False


# ---- answering objections -------------------------------------------------------------------------
# A concept is named by the words an objection uses and the words an answer to it would use.
CONCEPTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "price": (
        frozenset(
            [
                "cost",
                "costs",
                "price",
                "pricing",
                "expensive",
                "afford",
                "worth",
                "fee",
                "fees",
                "budget",
                "cheap",
                "pay",
                "bill",
                "bills",
            ]
        ),
        frozenset(
            [
                "price",
                "prices",
                "fee",
                "fees",
                "fixed",
                "upfront",
                "estimate",
                "estimates",
                "insurance",
                "free",
                "half",
                "discount",
                "share",
                "save",
                "saves",
                "$",
                "£",
                "€",
                "a$",
                "per",
                "included",
                "no-fee",
            ]
        ),
    ),
    "time": (
        frozenset(
            [
                "line",
                "queue",
                "wait",
                "waiting",
                "time",
                "busy",
                "long",
                "slow",
                "quick",
                "fast",
                "hours",
                "noon",
                "minutes",
                "appointment",
                "appointments",
                "book",
                "booking",
                "availability",
                "short",
                "schedule",
                "schedules",
                "rosters",
                "rigid",
            ]
        ),
        frozenset(
            [
                "minutes",
                "minute",
                "hour",
                "hours",
                "ahead",
                "pickup",
                "quick",
                "fast",
                "saturdays",
                "saturday",
                "weekends",
                "open",
                "same-day",
                "same-week",
                "day",
                "days",
                "week",
                "weekly",
                "express",
                "replies",
                "reply",
                "within",
            ]
        ),
    ),
    "switching": (
        frozenset(
            [
                "already",
                "have",
                "hris",
                "existing",
                "switch",
                "switching",
                "current",
                "replace",
                "setup",
                "migrate",
                "tool",
            ]
        ),
        frozenset(
            [
                "native",
                "integrates",
                "integration",
                "alongside",
                "plugs",
                "live",
                "setup",
                "templates",
                "import",
                "onboarding",
                "slack",
                "works",
                "connects",
            ]
        ),
    ),
    "risk": (
        frozenset(
            [
                "crash",
                "crashes",
                "lose",
                "losing",
                "risk",
                "risky",
                "safe",
                "safety",
                "scam",
                "trust",
                "regulated",
                "protect",
            ]
        ),
        frozenset(
            [
                "authorised",
                "authorized",
                "regulated",
                "fca",
                "sec",
                "protected",
                "diversified",
                "rebalanced",
                "rebalancing",
                "licensed",
                "insured",
                "audited",
            ]
        ),
    ),
    "diet": (
        frozenset(["vegetarian", "vegan", "gluten", "allergy", "allergies", "halal", "kosher", "dairy"]),
        frozenset(["vegetarian", "vegan", "gluten-free", "plant-based", "halal", "kosher", "dairy-free"]),
    ),
    "comfort": (
        frozenset(["hurt", "hurts", "painful", "pain", "scared", "anxious", "anxiety", "nervous", "fear"]),
        frozenset(
            ["gentle", "calm", "explain", "explained", "sedation", "numbing", "comfort", "anxious", "nervous"]
        ),
    ),
    "flexibility": (
        frozenset(
            [
                "commit",
                "commitment",
                "contract",
                "locked",
                "cancel",
                "inflexible",
                "pause",
                "skip",
                "flexible",
            ]
        ),
        frozenset(["pause", "skip", "cancel", "anytime", "flexible", "rolling", "no-contract", "swap"]),
    ),
    "quality": (
        frozenset(["quality", "stale", "fresh", "good", "better", "taste", "last"]),
        frozenset(
            [
                "fresh",
                "roasted",
                "hand-tested",
                "award",
                "medal",
                "tested",
                "blended",
                "made",
                "pressed",
                "hours",
            ]
        ),
    ),
    "confidence": (  # "Classes look intimidating": answered by guidance, not by how many classes
        frozenset(
            [
                "intimidating",
                "intimidated",
                "daunting",
                "awkward",
                "embarrassed",
                "embarrassing",
                "judged",
                "beginner",
                "beginners",
                "unfit",
                "overwhelmed",
                "overwhelming",
                "confident",
                "confidence",
                "clueless",
                "shy",
            ]
        ),
        frozenset(
            [
                "coach",
                "coaches",
                "coached",
                "coaching",
                "beginner",
                "beginners",
                "guided",
                "induction",
                "intro",
                "introductory",
                "friendly",
                "welcoming",
                "supportive",
                "goal-setting",
                "one-to-one",
                "levels",
            ]
        ),
    ),
    "support": (
        frozenset(["support", "help", "alone", "new", "graduate", "training", "learn", "experience"]),
        frozenset(
            ["mentored", "mentor", "training", "paid", "coach", "coaching", "support", "onboarding", "buddy"]
        ),
    ),
}


def _tokens(text: str) -> set[str]:
    lowered = text.lower().replace("’", "'")
    found = set(_WORD.findall(lowered))
    found |= {part for token in list(found) if "-" in token for part in token.split("-") if part}
    found |= {c for c in "$£€" if c in lowered}
    return found


def concepts_of(text: str, side: int) -> set[str]:
    """The concepts `text` touches, as a question (side 0) or as an answer (side 1)."""
    tokens = _tokens(text)
    return {name for name, words in CONCEPTS.items() if tokens & words[side]}


_AMOUNT = re.compile(r"[$£€¥₹]\s?\d|\d\s?(?:[$£€%]|usd|eur|gbp)\b", re.IGNORECASE)


def _stem(word: str) -> str:
    """A word's forms as one ("appointments" / "appointment", "handled" / "handling")."""
    for ending in ("ing", "ed"):
        if len(word) > len(ending) + 3 and word.endswith(ending):
            return word[: -len(ending)].rstrip("e")
    word = word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word
    return word.rstrip("e") if len(word) > 4 else word


def answer_for(objection: str, candidates: Iterable[str]) -> str | None:
    """The candidate that best answers `objection` (sharing a concept with it), or None.

    A candidate scores two points per answer word of a concept the objection raises, one per
    content word it shares with the objection ("We already have an HRIS" / "Works with your HRIS"),
    and two for an amount of money when the objection is about price ("Surprise bills?" / "$95");
    the best score wins, the earlier candidate on a tie, and a score of 0 is no answer. A concept
    outweighs a shared word: "Classes look intimidating" is answered by "Coaches on the floor",
    not by "40 classes a week".
    """
    asked = concepts_of(objection, 0)
    asked_words = {t for t in _tokens(objection) if len(t) > 3 and t not in DANGLING}
    best, best_score = None, 0
    for candidate in candidates:
        if not candidate:
            continue
        tokens = _tokens(candidate)
        # a word of a name ("Great Place to Work") shares no meaning with "Is the work too physical?"
        named = {w.lower() for w in candidate.split()[1:] if w[:1].isupper()}
        shared = {_stem(w) for w in asked_words} & {_stem(w) for w in tokens - named}
        score = 2 * sum(len(tokens & CONCEPTS[c][1]) for c in asked) + len(shared)
        if "price" in asked and _AMOUNT.search(candidate):  # "$95 self-pay", "from £350": a price
            score += 2
        if score > best_score:
            best, best_score = strip_end(candidate), score
    return best


def pricing_parts(pricing: str) -> list[str]:
    """A pricing field's statements ("Most insurance accepted; $95 self-pay assessment")."""
    return [strip_end(part) for part in re.split(r"\s*[;\n]\s*", pricing) if part.strip()]


def price_phrase(pricing: str) -> str:
    """The part of a pricing field that states a price ("$99 new-patient special"), else ''."""
    for part in pricing_parts(pricing):
        if re.search(r"\d", part) and (re.search(r"[$£€¥₹]|\b(?:usd|eur|gbp|aud)\b|%", part, re.I)):
            return part
    return ""


def choose(options: Sequence[str], seed: str, v: int) -> str:
    """A variant chosen from the brief (seed) and the post's variant number, so each brief gets its
    own rotation of the same bank."""
    options = [o for o in options if o]
    if not options:
        return ""
    return options[(stable_index(seed, len(options)) + v) % len(options)]
