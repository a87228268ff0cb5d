"""Reading numbers out of a brief: KPI targets ("200 MQLs per month; cost per lead under $90"),
budgets ("$20k per month"), prices ("A$22-A$34 per bag") and baselines ("AOV A$58")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aicmo.services.generators._text import cap, money, number

_CURRENCY = r"(?:A\$|AU\$|NZ\$|C\$|CA\$|US\$|S\$|HK\$|R\$|\$|€|£|¥|₹|EUR|GBP|USD|AUD|CAD)"
_AMOUNT = re.compile(
    rf"(?P<cur>{_CURRENCY})?\s?(?P<num>\d[\d,]*(?:\.\d+)?)\s?(?P<mult>k|m|bn|thousand|million)?\b\s?(?P<pct>%)?",
    re.IGNORECASE,
)
_PERIOD = re.compile(
    r"(?i)\b(?:per|a|each|every|/)\s?(day|week|month|mo|quarter|qtr|year|yr)\b|"
    r"\b(daily|weekly|monthly|quarterly|annually|yearly)\b|"
    r"\b(by (?:the )?end of (?:the )?(?:quarter|month|year|campaign|engagement|q[1-4]))\b|"
    r"\b(in (?:the first )?\d+ (?:days|weeks|months))\b"
)
_LESS = re.compile(r"(?i)\b(under|below|less than|at most|max(?:imum)?|no more than|lower than)\b|<|≤")
_MORE = re.compile(r"(?i)\b(over|above|at least|min(?:imum)?|more than|higher than|\+)\b|>|≥")
_PERIODS = {
    "day": "per day",
    "daily": "per day",
    "week": "per week",
    "weekly": "per week",
    "month": "per month",
    "mo": "per month",
    "monthly": "per month",
    "quarter": "per quarter",
    "qtr": "per quarter",
    "quarterly": "per quarter",
    "year": "per year",
    "yr": "per year",
    "annually": "per year",
    "yearly": "per year",
}
PERIOD_WEEKS = {"per day": 1 / 7, "per week": 1.0, "per month": 4.345, "per quarter": 13.0, "per year": 52.0}

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
class Amount:
    value: float
    currency: str = ""
    percent: bool = False


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

    @property
    def text(self) -> str:
        if self.value is None:
            return self.raw
        if self.currency:
            shown = money(self.value, self.currency)
        elif self.metric == "roas":
            shown = f"{self.value:g}x"
        elif self.percent:
            shown = f"{self.value:g}%"
        else:
            shown = number(self.value)
        if self.metric == "time_to_hire" and not self.currency:
            shown += " days"
        parts = [self.comparator, shown, self.period]
        return " ".join(p for p in parts if p)

    def weekly(self) -> float | None:
        """The target as a weekly rate (for counts with a period), else None."""
        if self.value is None or self.period not in PERIOD_WEEKS:
            return None
        return self.value / PERIOD_WEEKS[self.period]


def amounts(text: str) -> list[Amount]:
    found = []
    for match in _AMOUNT.finditer(text or ""):
        try:
            value = float(match.group("num").replace(",", ""))
        except ValueError:
            continue
        mult = (match.group("mult") or "").lower()
        value *= {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9}.get(mult, 1)
        found.append(Amount(value, _norm_currency(match.group("cur") or ""), bool(match.group("pct"))))
    return found


def _norm_currency(cur: str) -> str:
    return {"EUR": "€", "GBP": "£", "USD": "$", "AUD": "A$", "CAD": "C$", "AU$": "A$", "CA$": "C$"}.get(
        cur.upper(), cur
    )


def currency_of(*texts: str) -> str:
    for text in texts:
        for amount in amounts(text):
            if amount.currency:
                return amount.currency
    return ""


def period_of(text: str) -> str:
    match = _PERIOD.search(text or "")
    if not match:
        return ""
    unit = next(g for g in match.groups() if g)
    return _PERIODS.get(unit.lower(), unit.lower())


def parse_targets(text: str) -> list[Target]:
    """Every KPI target in the brief's free text, in the order written."""
    targets = []
    for part in re.split(r"\s*(?:;|\n|\u2022)\s*|,\s+|\s+and\s+(?=\d)", text or ""):
        part = part.strip(" .")
        if part:
            targets.append(parse_target(part))
    return targets


def parse_target(part: str) -> Target:
    metric = next((key for key, pattern in METRICS if pattern.search(part)), "custom")
    found = amounts(part)
    amount = found[0] if found else None
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
    )


def _count_label(part: str) -> str:
    """The noun after the number: '45 nurse hires by end of quarter' -> 'Nurse hires'."""
    match = re.search(r"\d[\d,.]*\s?(?:k|m)?\s*%?\s+(?P<noun>[A-Za-z][A-Za-z\- ]*)", part)
    if not match:
        return ""
    noun = re.split(r"(?i)\s+(?:per|a|each|every|by|in|within|from|over|under|at|for|of)\b", match["noun"])[0]
    return cap(noun.strip())


@dataclass(frozen=True)
class Budget:
    monthly: float | None
    total: float | None
    currency: str
    raw: str

    def for_weeks(self, weeks: int) -> float | None:
        if self.total:
            return self.total
        return self.monthly * weeks / 4.345 if self.monthly else None


def parse_budget(text: str, weeks: int) -> Budget | None:
    found = [a for a in amounts(text) if not a.percent]
    if not found:
        return None
    value = sum(a.value for a in found[:2]) / min(len(found), 2)  # a range reads as its midpoint
    period = period_of(text)
    currency = next((a.currency for a in found if a.currency), "")
    if period in PERIOD_WEEKS:
        monthly = value / PERIOD_WEEKS[period] * 4.345
        return Budget(monthly=monthly, total=monthly * weeks / 4.345, currency=currency, raw=text)
    return Budget(monthly=value / max(weeks, 1) * 4.345, total=value, currency=currency, raw=text)
