"""The client's locale, and one way to write money, numbers and dates in it.

The locale comes from the brief: its first language ("German", "Deutsch", "pt-BR" -> `langcodes`) and
its geography ("Cork, Ireland", "UK" -> `pycountry`; else the time zone's territory). Formatting is
Babel's (CLDR), so £2.5M is "£2.5M" in English and "2,5 Mio. £" in German, never "£2,500k".
Pure: Babel, langcodes and pycountry read data shipped in their packages.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import langcodes
import pycountry
from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import format_date as _babel_date
from babel.numbers import (
    format_compact_currency,
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
)

from aicmo.domain.money import currency_code

DEFAULT_LOCALE = "en_US"
COMPACT_FROM = 10_000  # money at or above this is written short: "$20K", "£2.5M"
# Names people write that ISO does not list as a country name.
_COUNTRY_ALIASES = {
    "uk": "GB",
    "u.k.": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "britain": "GB",
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "uae": "AE",
    "deutschland": "DE",
    "österreich": "AT",
    "schweiz": "CH",
    "suisse": "CH",
    "españa": "ES",
    "italia": "IT",
    "nederland": "NL",
    "holland": "NL",
    "brasil": "BR",
    "méxico": "MX",
}


@lru_cache(maxsize=256)
def language_code(name: str) -> str:
    """'German', 'Deutsch', 'de', 'pt-BR' -> a BCP 47 tag ('de', 'pt-BR'); '' when unknown."""
    name = name.strip()
    if re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", name):
        tag = name.replace("_", "-")
        return langcodes.standardize_tag(tag) if langcodes.tag_is_valid(tag) else ""
    try:
        return langcodes.find(name).to_tag() if name else ""
    except (LookupError, ValueError):
        return ""


@lru_cache(maxsize=256)
def region_of(geography: str, timezone: str = "") -> str:
    """The ISO 3166 alpha-2 code of the country a geography names ('Manchester, UK' -> 'GB')."""
    parts = [
        p.strip(" .()") for p in re.split(r"[,;/|()]|\s+-\s+|\band\b", geography or "") if p.strip(" .()")
    ]
    for part in reversed(parts):  # "Cork, Ireland": the country is usually last
        code = _country(part)
        if code:
            return code
    for word in re.findall(r"[^\W\d_][\w.'’-]*(?:\s[^\W\d_][\w.'’-]*)?", geography or ""):
        code = _country(word)
        if code:
            return code
    return str(get_global("zone_territories").get(timezone.strip(), "")) if timezone else ""


def _country(text: str) -> str:
    key = text.strip().lower()
    if not key:
        return ""
    if key in _COUNTRY_ALIASES:
        return _COUNTRY_ALIASES[key]
    if len(key) <= 3 and not text.isupper():
        return ""  # "in", "the", "des" are words, not codes
    try:
        return str(pycountry.countries.lookup(text.strip()).alpha_2)
    except LookupError:
        return ""


def client_locale(languages: Sequence[str] = (), geography: str = "", timezone: str = "") -> str:
    """The Babel locale for a brief: its first language in its country ('English' + 'UK' -> 'en_GB')."""
    tag = next((code for code in (language_code(name) for name in languages) if code), "")
    lang = langcodes.Language.get(tag).language if tag else ""
    region = region_of(geography, timezone) or (langcodes.Language.get(tag).territory or "" if tag else "")
    for candidate in (f"{lang}_{region}", lang, _first_language_of(region)):
        if candidate and not candidate.startswith("_") and _known(candidate):
            return candidate
    return DEFAULT_LOCALE if not lang else (lang if _known(lang) else DEFAULT_LOCALE)


def _first_language_of(region: str) -> str:
    if not region:
        return ""
    spoken = langcodes.Language.get(f"und-{region}").maximize().language or ""
    return f"{spoken}_{region}"


@lru_cache(maxsize=128)
def _known(locale: str) -> bool:
    try:
        Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def region_in(locale: str) -> str:
    try:
        return Locale.parse(locale).territory or ""
    except (UnknownLocaleError, ValueError):
        return ""


# ---- one formatter for money, numbers, percentages and dates -----------------------------------
def format_money(value: float, currency: str = "", locale: str = DEFAULT_LOCALE) -> str:
    """£2.5M, $1.2B, €20K, €199, €12.50 — written the way the client's locale writes them.

    Below 10,000 the full amount (cents only when there are any); from 10,000 on, the short form
    (CLDR's: "$20K" in English, "20.000 €" in German, which has no short thousands).
    """
    code = currency_code(currency, region_in(locale))
    if not code:
        if float(value).is_integer() or abs(value) >= 100:
            return format_number(value, locale)
        return format_decimal(value, format="#,##0.00", locale=locale)
    if abs(value) >= COMPACT_FROM:
        short = format_compact_currency(value, code, locale=locale, fraction_digits=1)
        if any(ch.isalpha() or "\u4e00" <= ch <= "\u9fff" for ch in _strip_currency(short, code, locale)):
            return short
        return _full_money(round(value), code, locale)
    return _full_money(value, code, locale)


def _strip_currency(text: str, code: str, locale: str) -> str:
    symbol = Locale.parse(locale).currency_symbols.get(code, code)
    return text.replace(symbol, "").replace(code, "")


def _full_money(value: float, code: str, locale: str) -> str:
    pattern = Locale.parse(locale).currency_formats["standard"].pattern.split(";")[0]
    if float(value).is_integer() or abs(value) >= 100:
        pattern = re.sub(r"0\.0+", "0", pattern)
        value = round(value)
    return format_currency(value, code, format=pattern, locale=locale, currency_digits=False)


def format_number(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """12,345 / 12.345 / 12 345 by locale; one decimal below 100 when the value has one."""
    if float(value).is_integer() or abs(value) >= 100:
        return format_decimal(round(value), locale=locale)
    return format_decimal(round(value, 1), format="#,##0.#", locale=locale)


def format_compact(value: float, locale: str = DEFAULT_LOCALE) -> str:
    """1.2M, 45K, 950 — for tiles and tables where space is short."""
    if abs(value) < 1000:
        return format_number(value, locale)
    short = format_compact_decimal(value, locale=locale, fraction_digits=1)
    return short if not short.replace(".", "").replace(",", "").isdigit() else format_number(value, locale)


def format_percentage(ratio: float, locale: str = DEFAULT_LOCALE, digits: int = 1) -> str:
    """0.125 -> '12.5%' ('12,5 %' in German)."""
    pattern = Locale.parse(locale).percent_formats[None].pattern.split(";")[0]
    if digits:
        last = pattern.rindex("0")
        pattern = f"{pattern[: last + 1]}.{'0' * digits}{pattern[last + 1 :]}"
    return format_percent(ratio, format=pattern, locale=locale)


def format_day(value: date, locale: str = DEFAULT_LOCALE, form: str = "long") -> str:
    """'6 January 2026' / 'January 6, 2026' / '6. Januar 2026' by locale."""
    return _babel_date(value, format=form, locale=locale)
