"""Writing one post for one platform: its shape, length, link handling, hashtags and disclaimers.

Every post ends with the brief's required disclaimers verbatim, and `fit` keeps the rendered
caption (text plus hashtags, see `domain.quality.render_caption`) inside the platform limit by
dropping supporting points first, then trimming the hook, never the CTA or the disclaimers.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from aicmo.domain.channels import CHANNELS
from aicmo.domain.names import clean_hashtag
from aicmo.domain.playbooks import BusinessModel, business_model
from aicmo.domain.quality import PLATFORM_LIMITS, find_banned, render_caption
from aicmo.domain.schemas.intake import Platform
from aicmo.services.generators._copy import LINKLESS, Draft
from aicmo.services.generators._facts import Facts
from aicmo.services.generators._phrases import DANGLING, choose, is_clause, price_phrase, whole_phrase
from aicmo.services.generators._text import hashtag, rotate, strip_end
from aicmo.services.generators._vocab import MODEL_TAGS, sector_for

HASHTAG_COUNTS: dict[Platform, int] = {p: c.hashtags for p, c in CHANNELS.items()}
# Comfortable lengths (not limits): shorter platforms stay well inside their hard limit.
TARGET_LENGTH: dict[Platform, int] = {p: c.target_length for p, c in CHANNELS.items()}
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "our",
        "that",
        "the",
        "their",
        "this",
        "to",
        "with",
        "who",
        "your",
        "you",
        "we",
        "us",
        "than",
        "per",
        "who's",
        "its",
        "first",
        "week",
        "one",
        "two",
        "three",
    ]
)


def disclaimer_block(facts: Facts) -> str:
    return "\n".join(facts.disclaimers)


_BOOKING_CTA = re.compile(r"(?i)^(book|check available|request|schedule|apply)")


def link_for(facts: Facts, cta: str) -> str:
    """Where a call to action points: the booking page for booking actions, else the website.

    A client without a website gets no link at all (never a made-up site)."""
    website = "" if facts.intake.no_website else facts.intake.website.strip()
    if facts.booking_link and (_BOOKING_CTA.match(cta) or not website):
        return facts.booking_link
    return website


def cta_line(facts: Facts, cta: str, platform: Platform) -> str:
    cta = strip_end(cta)
    link = link_for(facts, cta)
    if platform in LINKLESS or not link:
        suffix = " Link in bio." if platform in LINKLESS and link else ""
        return f"{cta}.{suffix}"
    return f"{cta}: {link}"


# Short sign-offs (five words at most, so none becomes boilerplate shared across clients); each brief
# gets its own rotation.
CLOSERS: dict[Platform, list[str]] = {
    Platform.LINKEDIN: [
        "What would you add?",
        "Agree, or not quite?",
        "Worth sharing with your team?",
        "How do you handle it?",
        "Your experience?",
        "",
        "",
    ],
    Platform.FACEBOOK: [
        "Sound like you?",
        "Questions? Ask below.",
        "Tag someone who needs this.",
        "Tell us below.",
        "",
        "",
    ],
    Platform.INSTAGRAM: [
        "Save this one.",
        "Send this to a friend.",
        "Thoughts? Comment below.",
        "Double-tap if that's you.",
        "",
        "",
    ],
    Platform.THREADS: ["Agree?", "What would you add?", ""],
}
LISTY = frozenset({"checklist", "poll", "steps", "faq", "reasons"})
SHORT_FORM = frozenset({Platform.X, Platform.TIKTOK, Platform.PINTEREST, Platform.THREADS})


def compose(
    facts: Facts,
    draft: Draft,
    platform: Platform,
    cta: str,
    hashtags: Sequence[str] = (),
    title: str = "",
    number: int = 0,
    when: datetime | None = None,
) -> str:
    """The post text (hashtags are rendered after it) in the platform's house style."""
    points = list(draft.points)
    closer = choose(CLOSERS.get(platform, [""]), f"{facts.brand}|{platform.value}", number)
    if closer and any("below" in p or p.endswith("?") for p in points[-1:]):
        closer = ""
    action = cta_line(facts, cta, platform)
    listy = draft.angle in LISTY
    if platform is Platform.LINKEDIN:
        body = "\n".join(f"→ {p}" for p in points) if listy else "\n\n".join(points)
        blocks = [draft.hook, body, closer, action]
    elif platform is Platform.X:
        blocks = [_compact(draft, listy, number), action]
    elif platform is Platform.INSTAGRAM:
        blocks = [draft.hook, "\n".join(points), closer, action]
    elif platform is Platform.FACEBOOK:
        blocks = [draft.hook, " ".join(points[:2]) if not listy else "\n".join(points), closer, action]
    elif platform is Platform.TIKTOK:
        blocks = [_compact(draft, listy, number), action]
    elif platform is Platform.YOUTUBE:
        chapters = "\n".join(f"• {p}" for p in points)
        blocks = [title or draft.title, draft.hook, f"In this video:\n{chapters}" if points else "", action]
    elif platform is Platform.GOOGLE_BUSINESS:
        blocks = [f"{draft.hook} {' '.join(points[:2])}", action]
    elif platform is Platform.EMAIL:
        blocks = [draft.hook, "\n\n".join(points), action, f"The {facts.brand} team"]
    elif platform is Platform.SMS:
        return sms_text(facts, draft, action, number, when)
    elif platform is Platform.JOB_BOARDS:
        blocks = job_listing(facts, draft, action, number, when)
    elif platform is Platform.SEARCH_ADS:
        return search_ad(facts, draft, cta, number)
    else:  # pinterest, threads, whatsapp
        blocks = [_compact(draft, listy, number), closer, action]
    return fit(platform, [b for b in blocks if b], facts.disclaimers, hashtags)


OPT_OUT = "Reply STOP to opt out."
# Lines that only make sense beside the rest of a post (a list head, a question, a prompt to comment).
_NOT_FOR_SMS = re.compile(
    r"[:?]\s*$|^(\d+\.|[A-Z]\))|\?|\bbelow\b|^(before|from|after)\b|answered|this one is for", re.I
)
_SENTENCE_SPLIT = re.compile(r"(?<=[.!?])\s+")


def sms_text(facts: Facts, draft: Draft, action: str, number: int = 0, when: datetime | None = None) -> str:
    """One SMS segment: the brand first, one whole line from the post if it fits, the call to action,
    the opt-out and the required disclaimers; nothing is cut mid-sentence."""
    action = re.sub(r"https?://(www\.)?", "", action)  # a bare domain: every character counts
    fixed = [action, OPT_OUT, *facts.disclaimers]
    limit = PLATFORM_LIMITS[Platform.SMS]
    # the send date makes each message of a long SMS programme its own ("Calder & Finch, 12 Jun: ...")
    sender = f"{facts.short_brand}, {when.day} {when:%b}" if when else facts.short_brand
    room = limit - len(" ".join(fixed)) - len(sender) - 3
    facts_lines = [*facts.evp, *facts.diffs, *facts.outcomes]
    candidates = [
        *_SENTENCE_SPLIT.split(draft.hook),
        whole_phrase(draft.title, 5),
        *draft.points,
        *rotate(facts_lines, number),
    ]
    fitting = [
        strip_end(c) for c in candidates if c and not _NOT_FOR_SMS.search(c) and facts.short_brand not in c
    ]
    # a text says something: a whole line of five words or more ("Proof." or a worry quoted with no
    # answer is a post's heading, not a message), and a second one when the segment has room
    full = list(dict.fromkeys(c for c in fitting if _says_something(c)))
    shorter = [whole_phrase(c, 3) for c in fitting]
    line = next((c for c in [*full, *fitting, *shorter] if c and len(c) + 1 <= room), "")
    more = next((c for c in full if c.lower() not in line.lower() and len(line) + len(c) + 3 <= room), "")
    body = f"{line}. {more}" if line and more else line
    head = f"{sender}: {body}." if body else f"{sender}:"
    return " ".join([head, *fixed])


def _says_something(line: str) -> bool:
    return len(re.findall(r"[\w'’%-]+", line)) >= 5 and not line.lstrip().startswith(("“", '"', "‘"))


def search_ad(facts: Facts, draft: Draft, cta: str, number: int) -> str:
    """A responsive search ad's description: one fact from the brief, the brand, the call to action,
    within the 90 characters a description allows (the landing page is the ad's final URL)."""
    tail = "\n\n".join(facts.disclaimers)
    limit = min(PLATFORM_LIMITS[Platform.SEARCH_ADS], TARGET_LENGTH[Platform.SEARCH_ADS])
    room = limit - (len(tail) + 2 if tail else 0)
    facts_lines = [*facts.diffs, *facts.evp, *facts.outcomes, draft.title]
    text = f"{strip_end(cta)} with {facts.short_brand} today."
    for fact in rotate([strip_end(f) for f in facts_lines if f], number):
        candidate = f"{fact}, from {facts.short_brand}. {strip_end(cta)} today."
        if len(candidate) <= room:
            text = candidate
            break
    return "\n\n".join([text, tail]) if tail else text


def job_listing(
    facts: Facts, draft: Draft, action: str, number: int, when: datetime | None = None
) -> list[str]:
    """A job-board listing: the role as people search it, place and pay up front, what you get,
    who it suits, one way to apply."""
    role = facts.roles[number % len(facts.roles)] if facts.roles else whole_phrase(facts.offer, 6)
    place = facts.locations[0] if facts.locations else facts.area
    pay = price_phrase(facts.pricing)
    lines = [f"{role} — {facts.brand}, {place}" + (f" (posted {when.day} {when:%B})" if when else "")]
    if pay:
        lines.append(f"Pay: {pay}")
    if facts.evp and number % 2 == 0:  # alternate the standing lines so each listing reads fresh
        lines.append("What you get: " + "; ".join(facts.lc(e) for e in facts.evp) + ".")
    talky = draft.angle in {"poll", "question", "checklist"}
    lead = "" if talky else "\n".join([draft.hook, *draft.points])
    audience = strip_end(facts.audience)
    suits = facts.lc(audience if len(audience.split()) <= 16 else whole_phrase(audience, 12))
    who = f"Who it suits: {suits}." if number % 2 else ""
    return ["\n".join(lines), lead, who, f"How to apply: {action}"]


def _compact(draft: Draft, listy: bool, number: int = 0) -> str:
    """Hook plus one point (rotating), or the whole list on one line, for short-form platforms."""
    if listy:
        items = [re.sub(r"^(\d+\.|[A-Z]\))\s*", "", p) for p in draft.points]
        return f"{draft.hook.rstrip(':. ')}: {' '.join(items)}"
    point = draft.points[number % len(draft.points)] if draft.points else ""
    return f"{draft.hook} {point}".strip()


def fit(
    platform: Platform, blocks: Sequence[str], disclaimers: Sequence[str], hashtags: Sequence[str]
) -> str:
    """Join blocks + disclaimers within the platform's limit: drop middle blocks, then trim the first."""
    limit = min(PLATFORM_LIMITS[platform], TARGET_LENGTH[platform])
    blocks = list(blocks)
    tail = "\n\n".join(disclaimers)

    def build(parts: Sequence[str]) -> str:
        return "\n\n".join([*parts, tail] if tail else parts)

    text = build(blocks)
    while len(render_caption(text, hashtags)) > limit and len(blocks) > 2:
        blocks.pop(len(blocks) - 2 if len(blocks) > 2 else 0)
        text = build(blocks)
    if len(render_caption(text, hashtags)) > limit and blocks:
        rest = build(blocks[1:])
        room = limit - len(render_caption(rest, hashtags)) - 2
        blocks[0] = whole_sentences(blocks[0], room)
        text = build([b for b in blocks if b])
    return text


def whole_sentences(text: str, room: int) -> str:
    """The leading whole sentences of `text` that fit in `room` characters ('' when none does)."""
    kept = ""
    for sentence in _SENTENCE_SPLIT.split(text.strip()):
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > room:
            break
        kept = candidate
    return kept


def hashtag_pool(facts: Facts) -> list[str]:
    """The brand tag, then names from the brief, curated sector tags and place tags.

    Nothing is cut out of a sentence: names (products, roles, places) are used whole, the offer
    gives at most its leading noun phrase when that is short, and the rest comes from the sector's
    curated vocabulary (`_vocab`), so no tag is a fragment like #FamiliesAnd.
    """
    sector = sector_for(facts.industry, facts.offer)
    model = business_model(facts.intake).value
    city = facts.geography.split(",")[0].strip() if "," in facts.geography else ""
    places = [p for p in dict.fromkeys([*facts.locations, city]) if p and len(p.split()) <= 2]
    raw: list[str] = [facts.short_brand]
    raw += list(facts.skus[:3])
    if model == BusinessModel.EMPLOYER:
        raw += [f"{r} jobs" for r in facts.roles[:2]]
    raw += [offer_term(facts.offer)]
    curated = list(sector.hashtags) if sector else []
    raw += curated[:3]
    if sector and sector.place_suffix:
        raw += [f"{p}{sector.place_suffix}" for p in places[:1]]
    raw += places[:2]
    raw += curated[3:]
    raw += MODEL_TAGS.get(model, ())
    return clean_hashtags([hashtag(r) for r in raw if r], facts.banned)


_LEAD_NP = re.compile(
    r"(?i)^(?:an?\s+|the\s+)?([A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*){0,2}?)(?=\s*(?:[:,;(]|$|\s(?:with|for|from|in|on|at|to|that|who|and|by|of)\b))"
)


def offer_term(offer: str) -> str:
    """The offer's leading noun phrase when it is one to three whole words ("Weekday lunch",
    "robo-advisor"), else ''."""
    match = _LEAD_NP.match(offer.strip())
    if not match:
        return ""
    term = match.group(1)
    return term if not any(w.lower() in DANGLING for w in term.split()) else ""


def pillar_tags(items: Sequence[str], facts: Facts) -> list[str]:
    """Tags for a pillar's items: only whole names (products, roles, places) and short benefit
    phrases of the employer offer; never a fragment of a sentence."""
    names = {n.lower() for n in [*facts.skus, *facts.roles, *facts.locations]}
    names |= {e.lower() for e in facts.evp if not is_clause(e)}
    chosen = [i for i in items if i.lower() in names and len(i.split()) <= 3]
    return clean_hashtags([hashtag(i) for i in chosen], facts.banned)


def clean_hashtags(tags: Sequence[str], banned: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for tag in tags:
        tag = clean_hashtag(tag)
        if 2 < len(tag) <= 40 and not find_banned(tag, banned) and not tag[1:].isdigit():
            seen.setdefault(tag.lower(), tag)
    return list(seen.values())


def hashtags_for(platform: Platform, pool: Sequence[str], extra: Sequence[str], number: int) -> list[str]:
    """This post's hashtags: the brand tag, then a rotation through pillar and market tags."""
    count = HASHTAG_COUNTS[platform]
    if count == 0 or not pool:
        return []
    rest = list(dict.fromkeys([*extra, *pool[1:]]))
    if rest:
        start = number % len(rest)
        rest = rest[start:] + rest[:start]
    return [pool[0], *rest][:count]


def _keywords(text: str, count: int) -> list[str]:
    """Plain words of five letters or more (no parts of hyphenated or numbered tokens)."""
    found = [t.strip(".,;:!?()\"'") for t in text.split()]
    return [w for w in found if w.isalpha() and len(w) >= 5 and w.lower() not in _STOP][:count]
