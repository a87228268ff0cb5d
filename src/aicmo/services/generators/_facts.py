"""What the offline planner knows about a brief, read once: split lists, tone, numbers, links.

Every generator starts from `facts_for(intake)`, so the brief is interpreted the same way in the
strategy, the creatives and the posts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from aicmo.domain.hashing import canonical_json
from aicmo.domain.intake_rules import industry_kind, normalise_intake
from aicmo.domain.locale import DEFAULT_LOCALE, client_locale, format_money, format_number
from aicmo.domain.playbooks import BusinessModel, business_model, playbook
from aicmo.domain.quality import brand_names
from aicmo.domain.schemas.intake import Intake, Objective, Platform
from aicmo.services.generators._numbers import Budget, Target, currency_of, parse_budget, parse_targets
from aicmo.services.generators._phrases import DANGLING, whole_phrase
from aicmo.services.generators._text import (
    cap,
    clean,
    clean_items,
    lc_first,
    split_items,
)

_AUDIENCE_CUT = re.compile(
    r"(?i)\s+(?:who|aged|at|with|in|that|looking|across|based|working|running)\s+|\s*[,;(]\s*"
)


@dataclass(frozen=True)
class Tone:
    playful: bool
    formal: bool
    warm: bool
    bold: bool

    @property
    def exclaim(self) -> bool:
        return (self.playful or self.bold) and not self.formal


@dataclass(frozen=True)
class Facts:
    intake: Intake
    brand: str
    short_brand: str
    objective: Objective
    kind: str
    industry: str
    geography: str
    offer: str
    pricing: str
    aov: str
    audience: str
    audience_short: str
    segments: tuple[str, ...]
    pains: tuple[str, ...]
    outcomes: tuple[str, ...]
    diffs: tuple[str, ...]
    objections: tuple[str, ...]
    proofs: tuple[str, ...]
    competitors: tuple[str, ...]
    skus: tuple[str, ...]
    roles: tuple[str, ...]
    locations: tuple[str, ...]
    evp: tuple[str, ...]
    employer_notes: str
    voice_lines: tuple[str, ...]
    constraints: tuple[str, ...]
    disclaimers: tuple[str, ...]
    banned: tuple[str, ...]
    platforms: tuple[Platform, ...]
    link: str
    booking_link: str
    currency: str
    targets: tuple[Target, ...]
    budget: Budget | None
    tone: Tone
    timezone: str
    weeks: int
    locale: str = DEFAULT_LOCALE  # the client's, for money, numbers and dates (domain.locale)

    def money(self, value: float, currency: str = "") -> str:
        """An amount in the client's locale, in the brief's currency unless another is given."""
        return format_money(value, currency or self.currency, self.locale)

    def number(self, value: float) -> str:
        return format_number(value, self.locale)

    @property
    def proper_nouns(self) -> tuple[str, ...]:
        """Words never to lower-case mid-sentence (names, places, products)."""
        source = [self.brand, self.geography, *self.competitors, *self.skus, *self.locations]
        return tuple(dict.fromkeys(w for text in source for w in text.split()))

    def lc(self, text: str) -> str:
        return lc_first(text, self.proper_nouns)

    @property
    def audience_lc(self) -> str:
        return self.lc(self.audience_short)

    @property
    def is_subscription(self) -> bool:
        return bool(
            re.search(
                r"(?i)subscri|membership|per month|/month|monthly plan", self.offer + " " + self.pricing
            )
        )

    def target(self, *metrics: str) -> Target | None:
        return next((t for t in self.targets if t.metric in metrics), None)

    @property
    def area(self) -> str:
        return self.locations[0] if self.locations else self.geography.split(",")[0].strip()


_BOOKED = (
    (re.compile(r"(?i)consult"), "consultation"),
    (re.compile(r"(?i)valuation"), "valuation"),
    (
        re.compile(r"(?i)\b(legal|law\b|solicitor|attorney|lawyer|accountan|tax advi|financial advi)"),
        "consultation",
    ),
)


def booked(f: Facts) -> str:
    """What an appointment-based client's clients book when it is not "an appointment": a law firm
    that counts consultations asks for "a consultation", an estate agent for "a valuation"; ''
    when the brief says nothing of the kind (a clinic books appointments)."""
    if business_model(f.intake) is not BusinessModel.APPOINTMENT_SERVICE:
        return ""
    said = " ".join([f.offer, f.pricing, f.intake.kpi_targets, f.industry])
    return next((noun for pattern, noun in _BOOKED if pattern.search(said)), "")


def conversion_action(f: Facts) -> str:
    """The playbook's conversion action in this brief's words ("a booked consultation or a call")."""
    action = playbook(business_model(f.intake)).conversion_action
    noun = booked(f)
    return action.replace("appointment", noun) if noun else action


def facts_for(intake: Intake) -> Facts:
    return _facts_cached(canonical_json(intake.model_dump(mode="json")))


@lru_cache(maxsize=64)
def _facts_cached(brief_json: str) -> Facts:
    intake = normalise_intake(Intake.model_validate_json(brief_json))
    context = intake.context
    hiring = context.hiring
    services = context.services
    ecommerce = context.ecommerce
    audience = clean(intake.target_audience)
    segments = _segments(audience)
    locations = clean_items(
        [*(hiring.hiring_locations if hiring else []), *(services.service_areas if services else [])]
    )
    booking = clean(services.booking_url) if services else ""
    locale = client_locale(intake.languages, intake.geography, intake.timezone)
    return Facts(
        intake=intake,
        brand=intake.client_name,
        short_brand=_short_brand(brand_names(intake.client_name)[-1]),
        objective=intake.objective,
        kind=industry_kind(intake.industry),
        industry=clean(intake.industry),
        geography=clean(intake.geography),
        offer=clean(intake.primary_offer),
        pricing=clean(intake.pricing),
        aov=clean(intake.aov_ltv),
        audience=audience,
        audience_short=_audience_short(audience),
        segments=tuple(segments),
        pains=tuple(split_items(intake.pain_points)),
        outcomes=tuple(split_items(intake.desired_outcomes)),
        diffs=tuple(split_items(intake.differentiators)),
        objections=tuple(split_items(intake.objections)),
        proofs=tuple(clean_items(intake.proof_assets)),
        competitors=tuple(clean_items(intake.competitors)),
        skus=tuple(clean_items(ecommerce.top_skus if ecommerce else [])),
        roles=tuple(clean_items(hiring.role_types if hiring else [])),
        locations=tuple(locations),
        evp=tuple(split_items(hiring.evp if hiring else "")),
        employer_notes=clean(hiring.employer_brand_notes if hiring else ""),
        voice_lines=tuple(_voice_lines(intake.voice_examples)),
        constraints=tuple(split_items(intake.constraints)),
        disclaimers=tuple(intake.required_disclaimers),
        banned=tuple(intake.banned_words),
        platforms=tuple(dict.fromkeys(intake.platforms)),
        link=booking or clean(intake.website),
        booking_link=booking,
        currency=currency_of(intake.budget_range, intake.pricing, intake.aov_ltv, intake.kpi_targets) or "$",
        targets=tuple(t for t in parse_targets(clean(intake.kpi_targets), locale)),
        budget=parse_budget(clean(intake.budget_range), intake.duration_weeks),
        tone=_tone(intake.tone_voice),
        timezone=intake.timezone or "UTC",
        weeks=intake.duration_weeks,
        locale=locale,
    )


_GENERIC_TAIL = frozenset(
    [
        "hospital",
        "community",
        "clinic",
        "solicitors",
        "lawyers",
        "law",
        "firm",
        "roasters",
        "coffee",
        "company",
        "co",
        "group",
        "agency",
        "studio",
        "partners",
        "consulting",
        "services",
        "limited",
        "holdings",
        "foundation",
        "trust",
        "centre",
        "center",
    ]
)


def _short_brand(name: str) -> str:
    """'St. Brigid Community Hospital' -> 'St. Brigid'; names without a generic tail stay whole."""
    parts = name.split()
    while len(parts) > 1 and parts[-1].lower().strip(".,") in _GENERIC_TAIL:
        parts.pop()
    short = " ".join(parts)
    return short if len(short.replace(".", "")) >= 4 and short.lower() not in {"the", "and"} else name


def _segments(audience: str) -> list[str]:
    parts = re.split(r"(?i)\s*(?:;|\band\b|\bor\b|&)\s*(?=[A-Za-z])", audience)
    parts = [p.strip(" ,.") for p in parts if p.strip(" ,.")]
    if len(parts) < 2 or any(len(p.split()) < 2 for p in parts):
        return [audience]
    return list(dict.fromkeys(cap(p) for p in parts))


def _audience_short(audience: str) -> str:
    """The audience's head noun phrase: cut before a qualifier ("who ...", "aged ...", "in ..."),
    but never where the cut would leave a dangling word ("Families and working professionals" stays
    whole instead of becoming "Families and")."""
    head = audience
    for match in _AUDIENCE_CUT.finditer(audience):
        candidate = audience[: match.start()].strip()
        if candidate and candidate.split()[-1].lower() not in DANGLING:
            head = candidate
            break
    head = _role_first(head)
    if len(head.split()) > 7 and " and " in head:
        head = head.split(" and ", 1)[0]
    return whole_phrase(head or audience, 7)


_ROLES = frozenset(
    [
        "owners",
        "managers",
        "founders",
        "directors",
        "leaders",
        "buyers",
        "operators",
        "partners",
        "principals",
        "administrators",
    ]
)
# words that describe the things' state, not their kind: before "owners" they would describe the owners
_STATES = frozenset(
    ["anxious", "elderly", "nervous", "older", "young", "sick", "senior", "disabled", "reactive"]
)
_ROLE_OF = re.compile(r"^(?P<roles>[A-Za-z-]+(?: and [A-Za-z-]+)?) of (?P<things>[A-Za-z -]+?s)$")


def _role_first(head: str) -> str:
    """ "Owners of businesses" as people say it: "Business owners" ("Owners and partners of
    bookkeeping and accounting firms" -> "Bookkeeping and accounting firm owners and partners")."""
    match = _ROLE_OF.match(head)
    if not match or not set(match["roles"].lower().split()) - {"and"} <= _ROLES:
        return head
    if " or " in match["things"] or _STATES & set(match["things"].lower().split()):
        return head  # "anxious or elderly dog owners" would make the owners anxious
    *rest, last = match["things"].split()
    return cap(" ".join([*rest, _singular(last), match["roles"].lower()]))


def _singular(noun: str) -> str:
    for plural, single in (("sses", "ss"), ("ies", "y"), ("ches", "ch"), ("shes", "sh"), ("xes", "x")):
        if noun.endswith(plural):
            return noun[: -len(plural)] + single
    return noun[:-1] if noun.endswith("s") and not noun.endswith("ss") else noun


def _voice_lines(text: str) -> list[str]:
    lines = re.split(r"(?<=[.!?])\s+|\n+", clean(text))
    return [line.strip(" \"'“”") for line in lines if 3 <= len(line.split()) <= 25][:4]


def _tone(text: str) -> Tone:
    lowered = text.lower()

    def has(*keys: str) -> bool:
        return any(re.search(rf"\b{k}", lowered) for k in keys)

    return Tone(
        playful=has("playful", "fun", "witty", "cheeky", "light", "irreverent", "quirky"),
        formal=has("precise", "formal", "calm", "authoritative", "measured", "professional", "clinical"),
        warm=has("warm", "caring", "friendly", "approachable", "kind", "honest", "empath", "helpful"),
        bold=has("bold", "confident", "proud", "direct", "punchy", "energetic"),
    )
