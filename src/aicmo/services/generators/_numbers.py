"""KPI targets in a brief ("200 MQLs per month; cost per lead under $90", "ROAS 3.5x").

Numbers, money, periods and budgets are read by the domain's one parser (`aicmo.domain.money`),
re-exported here for the generators.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
        ("roas", r"\broas\b|return on ad spend"),
        ("time_to_hire", r"time to (hire|fill)|days to hire"),
        ("conversion_rate", r"conversion rate|\bcvr\b"),
        ("ctr", r"\bctr\b|click[- ]through"),
        ("engagement_rate", r"engagement rate"),
        ("aov", r"\baov\b|average order"),
        ("retention_rate", r"retention|repeat (purchase|customers?|rate)|churn"),
        ("revenue", r"revenue|\bgmv\b|in sales\b|turnover"),
        ("hires", r"\bhires?\b|\bhired\b|placements?|\bstarters?\b"),
        ("applications", r"applications?|applicants?|candidates?"),
        ("subscribers", r"subscri"),
        (
            "leads",
            r"\bmqls?\b|\bsqls?\b|\bleads?\b|consultations?|\bdemos?\b|enquir|inquir|bookings?|"
            r"sign-?ups?|\btrials?\b|appointments?|calls?\b|quotes? requested|registrations?",
        ),
        ("partners", r"partner"),
        ("followers", r"followers?|audience growth"),
        ("reach", r"\breach\b|impressions?|\bviews?\b|awareness"),
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

    @property
    def text(self) -> str:
        if self.value is None:
            return self.raw
        if self.currency:
            shown = money(self.value, self.currency, self.locale)
        elif self.metric == "roas":
            shown = f"{number(self.value, self.locale)}x"
        elif self.percent:
            shown = format_percentage(
                self.value / 100, self.locale, digits=0 if self.value.is_integer() else 1
            )
        else:
            shown = number(self.value, self.locale)
        if self.metric == "time_to_hire" and not self.currency:
            shown += " days"
        parts = [self.comparator, shown, self.period]
        return " ".join(p for p in parts if p)

    def weekly(self) -> float | None:
        """The target as a weekly rate (for counts with a period), else None."""
        if self.value is None or self.period not in PERIOD_WEEKS:
            return None
        return self.value / PERIOD_WEEKS[self.period]


def parse_targets(text: str, locale: str = DEFAULT_LOCALE) -> list[Target]:
    """Every KPI target in the brief's free text, in the order written."""
    targets = []
    for part in re.split(r"\s*(?:;|\n|\u2022)\s*|,\s+|\s+and\s+(?=\d)", text or ""):
        part = part.strip(" .")
        if part:
            targets.append(parse_target(part, locale))
    return targets


def parse_target(part: str, locale: str = DEFAULT_LOCALE) -> Target:
    metric = next((key for key, pattern in METRICS if pattern.search(part)), "custom")
    found = amounts(part)
    amount = next((a for a in found if not a.year_like), None)  # "by 2026" is a date, not the target
    comparator = "≤" if _LESS.search(part) else ("≥" if _MORE.search(part) or metric == "roas" else "")
    label = RATIO_LABELS.get(metric) or _count_label(part) or cap(part)
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
    )


def _count_label(part: str) -> str:
    """The noun after the number: '45 nurse hires by end of quarter' -> 'Nurse hires'."""
    match = re.search(r"\d[\d,.]*\s?(?:k|m)?\s*%?\s+(?P<noun>[A-Za-z][A-Za-z\- ]*)", part)
    if not match:
        return ""
    noun = re.split(r"(?i)\s+(?:per|a|each|every|by|in|within|from|over|under|at|for|of)\b", match["noun"])[0]
    return cap(noun.strip())
