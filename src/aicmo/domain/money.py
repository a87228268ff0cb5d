"""Reading money and numbers out of a brief, one parser for every caller.

A brief says "€15.000 per month", "5.000 EUR", "$20k–$30k a month", "ROAS 3.5x" or "2026 intake: $199".
We find each money span with our own pattern (currency, number, k/m/bn multiplier, % or x), with word
boundaries on both sides so "Q4" or "2nd" is not a number, and let `price-parser` read the number
itself (it knows "15.000" from "15,000" from "1.234,56"). Periods ("per month", "quarterly") and
ranges ("A$22-A$34") are our own rules on top. Pure: no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from price_parser import Price

# Symbols and codes a brief writes; longest first so "A$" wins over "$".
_CURRENCIES = [
    "A$",
    "AU$",
    "NZ$",
    "C$",
    "CA$",
    "US$",
    "S$",
    "SG$",
    "HK$",
    "R$",
    "MX$",
    "$",
    "€",
    "£",
    "¥",
    "₹",
    "₩",
    "₪",
    "₺",
    "₽",
    "₱",
    "฿",
    "zł",
    "Kč",
    "Fr.",
    "EUR",
    "GBP",
    "USD",
    "AUD",
    "CAD",
    "NZD",
    "CHF",
    "JPY",
    "CNY",
    "RMB",
    "INR",
    "SEK",
    "NOK",
    "DKK",
    "PLN",
    "CZK",
    "BRL",
    "MXN",
    "ZAR",
    "SGD",
    "HKD",
    "AED",
]
_CUR = "|".join(re.escape(c) for c in sorted(_CURRENCIES, key=len, reverse=True))
# A number: Indian lakh grouping ("1,50,000"), grouped thousands ("15.000", "1,234,567", "1 200",
# "1'200") with an optional decimal part, or plain digits with an optional decimal part. Which
# separator is the decimal one is price-parser's call.
_NUM = (
    r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?"
    r"|\d{1,3}(?:(?:[.,'’\u00a0\u202f]|\s(?=\d{3}(?!\d)))\d{3})+(?:[.,]\d+)?"
    r"|\d+(?:[.,]\d+)?"
)
_MULT = r"k|thousand|tsd\.?|mn|m|million|mio\.?|bn|b|billion|mrd\.?"
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?:(?P<pre>{_CUR})\s?)?(?P<num>{_NUM})"
    rf"(?:\s?(?P<mult>{_MULT})(?![\w]))?"
    rf"(?:\s?(?P<post>{_CUR})(?![A-Za-z]))?"
    rf"(?:\s?(?P<pct>%)|(?P<times>x)(?!\w))?"
    rf"(?![\w])",
    re.IGNORECASE,
)
_MULTIPLIERS = {
    "k": 1e3,
    "thousand": 1e3,
    "tsd": 1e3,
    "m": 1e6,
    "mn": 1e6,
    "million": 1e6,
    "mio": 1e6,
    "b": 1e9,
    "bn": 1e9,
    "billion": 1e9,
    "mrd": 1e9,
}
# How we write a currency once read: the usual symbol where one is unambiguous.
_SYMBOLS = {
    "EUR": "€",
    "GBP": "£",
    "USD": "$",
    "US$": "$",
    "AUD": "A$",
    "AU$": "A$",
    "CAD": "C$",
    "CA$": "C$",
    "NZD": "NZ$",
    "SGD": "S$",
    "SG$": "S$",
    "HKD": "HK$",
    "JPY": "¥",
    "INR": "₹",
    "BRL": "R$",
    "RMB": "CNY",
    "FR.": "CHF",
}
# ISO 4217 code for a symbol, for formatting; "$" alone is resolved with the client's region.
_CODES = {
    "€": "EUR",
    "£": "GBP",
    "$": "USD",
    "A$": "AUD",
    "C$": "CAD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "MX$": "MXN",
    "¥": "JPY",
    "₹": "INR",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₽": "RUB",
    "₱": "PHP",
    "฿": "THB",
    "ZŁ": "PLN",
    "KČ": "CZK",
}
_RANGE = re.compile(r"(?i)^\s*(?:-|–|—|to|bis|à|a|till|until)\s*$")

_PERIOD = re.compile(
    r"(?i)\b(?:per|a|an|each|every|/|pro|im|par|por)\s?(day|week|month|mo|quarter|qtr|year|yr|"
    r"tag|woche|monat|quartal|jahr|jour|semaine|mois|an|trimestre|mes|año|ano)\b|"
    r"/\s?(m|mo|mth|yr|q)\b|\bp\.(m|a)\.|\b(pcm)\b|"
    r"\b(daily|weekly|monthly|quarterly|annually|yearly|monatlich|mensual)\b|"
    r"\b(by (?:the )?end of (?:the )?(?:quarter|month|year|campaign|engagement|q[1-4]))\b|"
    r"\b(in (?:the first )?\d+ (?:days|weeks|months))\b"
)
_PERIODS = {
    "per day": ("day", "daily", "tag", "jour"),
    "per week": ("week", "weekly", "woche", "semaine"),
    "per month": (
        "month",
        "mo",
        "m",
        "mth",
        "pcm",
        "monthly",
        "monat",
        "monatlich",
        "mois",
        "mes",
        "mensual",
    ),
    "per quarter": ("quarter", "qtr", "q", "quarterly", "quartal", "trimestre"),
    "per year": ("year", "yr", "a", "annually", "yearly", "jahr", "an", "año", "ano"),
}
_PERIOD_OF = {word: period for period, words in _PERIODS.items() for word in words}
PERIOD_WEEKS = {"per day": 1 / 7, "per week": 1.0, "per month": 4.345, "per quarter": 13.0, "per year": 52.0}


@dataclass(frozen=True)
class Amount:
    """One number read from text: its value, the currency written with it, and how it was marked."""

    value: float
    currency: str = ""
    percent: bool = False
    times: bool = False  # "3.5x": a multiple (ROAS), never money
    start: int = 0
    end: int = 0
    plain: bool = False  # digits only: no separator, multiplier, currency or mark

    @property
    def is_money(self) -> bool:
        return not (self.percent or self.times)

    @property
    def year_like(self) -> bool:
        """'2026' in '2026 intake' is a year, not a price."""
        return self.plain and self.value == int(self.value) and 1900 <= self.value <= 2100


def amounts(text: str | None) -> list[Amount]:
    """Every number in `text`, in order, with its currency, multiplier and % / x mark applied."""
    found = []
    for match in _AMOUNT.finditer(text or ""):
        currency = normalise_currency(match["pre"] or match["post"] or "")
        value = _read_number(match["num"])
        if value is None:
            continue
        mult = (match["mult"] or "").lower().rstrip(".")
        value *= _MULTIPLIERS.get(mult, 1)
        plain = match["num"].isdigit() and not (mult or currency or match["pct"] or match["times"])
        found.append(
            Amount(
                value=value,
                currency=currency,
                percent=bool(match["pct"]),
                times=bool(match["times"]),
                start=match.start(),
                end=match.end(),
                plain=plain,
            )
        )
    return found


def _read_number(num: str) -> float | None:
    digits = num.replace("\u00a0", " ").replace("\u202f", " ").replace("’", "'")
    if re.fullmatch(r"\d+[.,]\d{3}", digits) and digits.startswith("0"):
        return float(digits.replace(",", "."))  # "0.125" is a fraction, not thousands
    price = Price.fromstring(digits)
    amount: Decimal | None = price.amount
    return float(amount) if amount is not None else None


def normalise_currency(written: str) -> str:
    """'EUR' -> '€', 'AU$' -> 'A$', 'usd' -> '$'; an unknown code stays as written (upper case)."""
    if not written:
        return ""
    upper = written.upper()
    return _SYMBOLS.get(upper, upper if written.isascii() else written)


def currency_code(currency: str, region: str = "") -> str:
    """The ISO 4217 code for a written currency ('€' -> 'EUR'); '$' is the region's dollar if it has one."""
    if not currency:
        return ""
    if currency == "$" and region:
        local = _REGION_DOLLARS.get(region.upper())
        if local:
            return local
    upper = currency.upper()
    if re.fullmatch(r"[A-Z]{3}", upper):
        return upper
    return _CODES.get(upper, _CODES.get(currency, "USD"))


_REGION_DOLLARS = {
    "US": "USD",
    "AU": "AUD",
    "CA": "CAD",
    "NZ": "NZD",
    "SG": "SGD",
    "HK": "HKD",
    "MX": "MXN",
}


def currency_of(*texts: str | None) -> str:
    """The first currency written in any of `texts` (as a symbol where one is unambiguous)."""
    for text in texts:
        for amount in amounts(text):
            if amount.currency:
                return amount.currency
    return ""


def period_of(text: str | None) -> str:
    """'per month', 'per week', ... for the first period written in `text`; a deadline phrase as is."""
    match = _PERIOD.search(text or "")
    if not match:
        return ""
    unit = next(g for g in match.groups() if g)
    return _PERIOD_OF.get(unit.lower(), unit.lower())


def money_amount(text: str | None) -> Amount | None:
    """The amount of money `text` is about: the first priced amount (a range reads as its midpoint).

    Percentages, multiples ('3.5x') and years ('2026 intake') are not money; amounts with a currency
    win over bare numbers ('€5k per month for 12 weeks' is €5k).
    """
    found = [a for a in amounts(text) if a.is_money]
    priced = [a for a in found if a.currency] or [a for a in found if not a.year_like]
    if not priced:
        return None
    first = priced[0]
    after = [a for a in found if a.start >= first.end]
    if after and _RANGE.match((text or "")[first.end : after[0].start]):
        second = after[0]
        if not second.currency or second.currency == first.currency:
            return Amount((first.value + second.value) / 2, first.currency, start=first.start, end=second.end)
    return first


def money_values(text: str | None) -> list[float]:
    """Every money value in `text` (no percentages, multiples or years), priced ones when any are."""
    found = [a for a in amounts(text) if a.is_money]
    priced = [a for a in found if a.currency] or [a for a in found if not a.year_like]
    return [a.value for a in priced]


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


def parse_budget(text: str | None, weeks: int) -> Budget | None:
    """'€15.000 per month' over 12 weeks -> monthly 15000, total ≈ 41,430; no period = a total."""
    amount = money_amount(text)
    if amount is None:
        return None
    rest = (text or "")[amount.end :]
    period = period_of(rest) or period_of(text)
    if period in PERIOD_WEEKS:
        monthly = amount.value / PERIOD_WEEKS[period] * 4.345
        return Budget(
            monthly=monthly, total=monthly * weeks / 4.345, currency=amount.currency, raw=text or ""
        )
    return Budget(
        monthly=amount.value / max(weeks, 1) * 4.345,
        total=amount.value,
        currency=amount.currency,
        raw=text or "",
    )
