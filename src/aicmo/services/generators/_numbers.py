"""KPI targets in a brief ("200 MQLs per month; cost per lead under $90", "ROAS 3.5x").

Numbers, money, periods and budgets are read by the domain's one parser (`aicmo.domain.money`),
re-exported here for the generators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from aicmo.domain.locale import DEFAULT_LOCALE, format_percentage
from aicmo.domain.money import PERIOD_WEEKS, Amount, Budget, amounts, currency_of, parse_budget, period_of
from aicmo.services.generators._text import cap, money, number

__all__ = [
    "PERIOD_WEEKS",
    "Amount",
    "Budget",
    "Target",
    "amounts",
    "currency_of",
    "parse_budget",
    "parse_target",
    "parse_targets",
    "period_of",
]

_LESS = re.compile(r"(?i)\b(under|below|less than|at most|max(?:imum)?|no more than|lower than)\b|<|≤")
_MORE = re.compile(r"(?i)\b(over|above|at least|min(?:imum)?|more than|higher than|\+)\b|>|≥")

# metric key, pattern; first match wins, so specific ratios come before the counts they mention.
METRICS: list[tuple[str, re.Pattern[str]]] = [
    (key, re.compile(pattern, re.IGNORECASE))
    for key, pattern in [
        ("cost_per_lead", r"cost per (lead|mql|sql|enquiry|inquiry|consultation|booking)|\bcpl\b"),
        ("cost_per_hire", r"cost per hire"),
        ("cost_per_application", r"cost per (application|applicant)"),
        ("cpa", r"cost per (acquisition|sale|order|customer|conversion|subscriber)|\bcpa\b|\bcac\b"),
        ("cost_per_result", r"\bcost per\b"),
        ("roas", r"\broas\b|return on ad spend"),
        ("time_to_hire", r"time to (hire|fill)|days to hire"),
        ("conversion_rate", r"conversion rate|\bcvr\b"),
        ("ctr", r"\bctr\b|click[- ]through"),
        ("engagement_rate", r"engagement rate"),
        ("aov", r"\baov\b|average order"),
        ("churn", r"churn"),
        ("retention_rate", r"retention|repeat (purchase|customers?|rate)"),
        ("visits_per_member", r"visits? per member|classes per member|check-?ins per member"),
        ("revenue", r"revenue|\bgmv\b|in sales\b|turnover"),
        ("partner_applications", r"partner applications?|applications? (?:to|for) (?:the|our) partner"),
        ("partners", r"partner"),
        ("hires", r"\bhires?\b|\bhired\b|placements?|\bstarters?\b"),
        ("applications", r"applications?|applicants?|candidates?"),
        ("volunteers", r"volunteer"),
        ("accounts", r"accounts?\b|\bdownloads?\b|\binstalls?\b"),
        ("subscribers", r"subscri"),
        ("visits", r"\bcovers\b|\bvisits?\b|footfall|walk-?ins|redemptions?"),
        ("orders", r"\borders?\b|\bpurchases\b"),
        ("tickets", r"\btickets?\b"),
        (
            "leads",
            r"\bmqls?\b|\bsqls?\b|\bleads?\b|consultations?|\bdemos?\b|enquir|inquir|bookings?|booked|"
            r"assessments?|sign-?ups?|\btrials?\b|appointments?|calls?\b|quotes? requested|registrations?",
        ),
        ("followers", r"followers?|audience growth"),
        ("impressions", r"impressions?|\bviews?\b"),
        ("reach", r"\breach\b|awareness"),
        ("reviews", r"reviews?|ratings?|stars?\b"),
        ("nps", r"\bnps\b|net promoter"),
    ]
]
RATIO_LABELS = {
    "cost_per_lead": "Cost per lead",
    "cost_per_hire": "Cost per hire",
    "cost_per_application": "Cost per application",
    "cpa": "Cost per acquisition",
    "roas": "ROAS",
    "time_to_hire": "Time to hire",
    "conversion_rate": "Conversion rate",
    "ctr": "Click-through rate",
    "engagement_rate": "Engagement rate",
    "aov": "Average order value",
    "retention_rate": "Retention rate",
    "churn": "Monthly churn",
    "visits_per_member": "Visits per member",
    "nps": "NPS",
    "reach": "Reach",
    "revenue": "Revenue",
}


@dataclass(frozen=True)
class Target:
    """One KPI target from the brief, e.g. '200 MQLs per month' -> leads, 200, per month."""

    raw: str
    metric: str
    label: str
    value: float | None
    currency: str = ""
    percent: bool = False
    comparator: str = ""
    period: str = ""
    locale: str = DEFAULT_LOCALE
    baseline: float | None = None  # "from 60 to 110 per day": 60
    splits: tuple[tuple[str, float], ...] = ()  # "120 bookings: 70 Sacramento, 50 Fresno"

    def shown(self, value: float) -> str:
        if self.currency:
            return money(value, self.currency, self.locale)
        if self.metric == "roas":
            return f"{number(value, self.locale)}x"
        if self.percent:
            return format_percentage(value / 100, self.locale, digits=0 if value.is_integer() else 1)
        return number(value, self.locale)

    @property
    def text(self) -> str:
        if self.value is None:
            return self.raw
        shown = self.shown(self.value)
        if self.metric == "time_to_hire" and not self.currency:
            shown += " days"
        if self.baseline is not None:
            shown = f"from {self.shown(self.baseline)} to {shown}"
        parts = [self.comparator, shown, self.period]
        if self.splits:
            split = ", ".join(f"{number(v, self.locale)} {where}" for where, v in self.splits)
            parts.append(f"({split})")
        return " ".join(p for p in parts if p)

    @property
    def is_count(self) -> bool:
        """A number of results (bookings, orders, hires), not a cost, a rate or a ratio."""
        plain = not (self.currency or self.percent)
        return self.value is not None and plain and self.metric not in RATIO_LABELS

    def weekly(self) -> float | None:
        """The target as a weekly rate (for counts with a period), else None."""
        if self.value is None or self.period not in PERIOD_WEEKS:
            return None
        return self.value / PERIOD_WEEKS[self.period]


_SPLIT = re.compile(r"^(?P<head>.*?\d.*?)\s*(?::|\(|\s[—–-]\s)\s*(?P<rest>\d.*?)\)?$")
_SPLIT_ITEM = re.compile(
    r"^(?:(?P<n1>\d[\d,.]*)\s+(?:in\s+|at\s+|from\s+)?(?P<w1>[A-Z][\w' .-]*)|"
    r"(?P<w2>[A-Z][\w' .-]*?)\s*:?\s+(?P<n2>\d[\d,.]*))$"
)
_FROM_TO = re.compile(r"(?i)\bfrom\s+(?P<a>\S+)\s+to\s+(?P<b>\S+)")
_DOWN = re.compile(r"(?i)\b(cut|reduce|lower|bring down|decrease)\b")


def parse_targets(text: str, locale: str = DEFAULT_LOCALE) -> list[Target]:
    """Every KPI target in the brief's free text, in the order written. A list of places or tiers
    after a target ("120 bookings: 70 Sacramento, 50 Fresno") is that target's split, not a target."""
    targets: list[Target] = []
    for segment in re.split(r"\s*(?:;|\n|\u2022)\s*", text or ""):
        segment = segment.strip(" .")
        if not segment:
            continue
        head, splits = _split_of(segment)
        if splits:
            targets.append(replace(parse_target(head, locale), splits=splits))
            continue
        for part in re.split(r",\s+|\s+and\s+(?=\d)", segment):
            part = part.strip(" .")
            if not part:
                continue
            item = _split_item(part)
            if item and targets and targets[-1].is_count:  # "..., 50 Fresno": a split of the last one
                targets[-1] = replace(targets[-1], splits=(*targets[-1].splits, item))
                continue
            targets.append(parse_target(part, locale))
    return targets


def _split_item(part: str) -> tuple[str, float] | None:
    match = _SPLIT_ITEM.match(part.strip(" .()"))
    if not match:
        return None
    where = (match["w1"] or match["w2"] or "").strip()
    found = amounts(match["n1"] or match["n2"] or "")
    if not found or not where or any(pattern.search(where) for _, pattern in METRICS):
        return None
    return where, found[0].value


def _split_of(segment: str) -> tuple[str, tuple[tuple[str, float], ...]]:
    match = _SPLIT.match(segment)
    if not match:
        return segment, ()
    items = [_split_item(p) for p in re.split(r",\s*|\s+and\s+|\s*/\s*", match["rest"]) if p.strip()]
    if len(items) < 2 or not all(items):
        return segment, ()
    return match["head"].strip(), tuple(i for i in items if i)


def parse_target(part: str, locale: str = DEFAULT_LOCALE) -> Target:
    metric = next((key for key, pattern in METRICS if pattern.search(part)), "custom")
    found = [a for a in amounts(part) if not a.year_like]  # "by 2026" is a date, not the target
    amount = found[0] if found else None
    baseline = None
    span = _FROM_TO.search(part)
    if span and len(found) >= 2:
        before, after = amounts(span["a"]), amounts(span["b"])
        if before and after:
            baseline, amount = before[0].value, next(a for a in found if a.value == after[0].value)
    comparator = "≤" if _LESS.search(part) else ("≥" if _MORE.search(part) or metric == "roas" else "")
    if baseline is not None:
        comparator = ""
    elif _DOWN.search(part):
        comparator = "≤"
    label = RATIO_LABELS.get(metric) or _cost_label(part) or _count_label(part) or cap(part)
    return Target(
        raw=part,
        metric=metric,
        label=label,
        value=amount.value if amount else None,
        currency=amount.currency if amount else "",
        percent=amount.percent if amount else False,
        comparator=comparator,
        period=period_of(part),
        locale=locale,
        baseline=baseline,
    )


def _cost_label(part: str) -> str:
    """'cost per funded account under £90' -> 'Cost per funded account'."""
    match = re.search(
        r"(?i)\bcost per [A-Za-z][\w\- ]*?(?=\s+(?:under|below|less|at most|of|no more)\b|\s*[<≤(]|$)", part
    )
    return cap(match.group(0).strip()) if match else ""


def _count_label(part: str) -> str:
    """What is counted: '45 nurse hires by end of quarter' -> 'Nurse hires'; 'Weekday lunch covers
    from 60 to 110 per day' -> 'Weekday lunch covers'."""
    stop = r"(?i)\s+(?:per|a|each|every|by|in|within|from|over|under|at|for|of|across|on|to)\b"
    lead = re.match(r"^(?P<noun>[A-Za-z][A-Za-z\- ]*?)\s+(?:from\s+)?\d", part)
    if lead and not re.match(r"(?i)^(cut|reduce|lower|grow|increase|reach|get|hit|achieve)\b", lead["noun"]):
        return cap(re.split(stop, lead["noun"])[0].strip())
    match = re.search(r"\d[\d,.]*\s?(?:k|m)?\s*%?\s+(?P<noun>[A-Za-z][\w\- ]*)", part)
    if not match:
        return ""
    noun = re.split(stop, match["noun"])[0]
    return cap(noun.strip())
