"""The calendar is real: public holidays (the `holidays` library) and a short curated list of
observances inside the engagement window, for the brief's country and region, chosen to fit the
business model (Earth Day for a nonprofit, Black Friday for an online store, Mother's Day for a
venue). The calendar notes name each date and what to do with it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

from aicmo.domain.playbooks import BusinessModel

_COUNTRIES = [
    ("US", r"\b(usa|u\.s\.a?\.?|united states|america)\b", "America/"),
    ("GB", r"\b(uk|u\.k\.|united kingdom|england|scotland|wales|britain)\b", "Europe/London"),
    ("AU", r"\baustralia\b", "Australia/"),
    ("CA", r"\bcanada\b", "America/Toronto"),
    ("IE", r"\bireland\b", "Europe/Dublin"),
    ("NZ", r"\bnew zealand\b", "Pacific/Auckland"),
    ("DE", r"\bgermany|deutschland\b", "Europe/Berlin"),
    ("FR", r"\bfrance\b", "Europe/Paris"),
]
_US_STATES = {
    "california": "CA", "new york": "NY", "texas": "TX", "florida": "FL", "illinois": "IL",
    "washington": "WA", "massachusetts": "MA", "colorado": "CO", "oregon": "OR", "georgia": "GA",
}  # fmt: skip
_GB_NATIONS = {"scotland": "SCT", "wales": "WLS", "northern ireland": "NIR"}


@dataclass(frozen=True)
class Observance:
    day: date
    name: str
    public_holiday: bool


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _curated(year: int, country: str, model: BusinessModel) -> list[tuple[date, str]]:
    thanksgiving = _nth_weekday(year, 11, 3, 4)
    found = [(date(year, 12, 31), "New Year's Eve")]
    if model in {BusinessModel.NONPROFIT, BusinessModel.RETENTION, BusinessModel.LOCAL_VENUE}:
        found.append((date(year, 4, 22), "Earth Day"))
    if model in {BusinessModel.ONLINE_STORE, BusinessModel.LOCAL_VENUE, BusinessModel.HOSPITALITY}:
        found += [
            (date(year, 2, 14), "Valentine's Day"),
            (thanksgiving + timedelta(days=1), "Black Friday"),
            (date(year, 12, 24), "Christmas Eve"),
        ]
        if country == "US":
            found.append((_nth_weekday(year, 5, 6, 2), "Mother's Day"))
    if model is BusinessModel.ONLINE_STORE:
        found.append((thanksgiving + timedelta(days=4), "Cyber Monday"))
    if model is BusinessModel.NONPROFIT:
        found.append((date(year, 12, 5), "International Volunteer Day"))
    if model is BusinessModel.RETENTION:
        found.append((date(year, 1, 2), "New Year resolutions week"))
    return found


def region_of(geography: str, timezone: str) -> tuple[str, str | None]:
    """(ISO country, subdivision or None) from the brief's geography, else its time zone."""
    text = geography.lower()
    country = next((c for c, pattern, _ in _COUNTRIES if re.search(pattern, text)), "")
    if not country:
        country = next((c for c, _, tz in _COUNTRIES if timezone.startswith(tz)), "")
    subdiv = None
    if country == "US":
        subdiv = next((code for name, code in _US_STATES.items() if name in text), None)
    elif country == "GB":
        subdiv = next((code for name, code in _GB_NATIONS.items() if name in text), "ENG")
    return country, subdiv


@lru_cache(maxsize=64)
def observances(
    geography: str, timezone: str, start: date, end: date, model: BusinessModel
) -> tuple[Observance, ...]:
    """Public holidays and fitting observances between `start` and `end`, in date order."""
    country, subdiv = region_of(geography, timezone)
    years = list(range(start.year, end.year + 1))
    found: dict[tuple[date, str], Observance] = {}
    if country:
        try:
            public = holidays.country_holidays(country, subdiv=subdiv, years=years)
        except NotImplementedError:
            public = holidays.country_holidays(country, years=years)
        for day, name in public.items():
            if start <= day <= end:
                found[(day, name)] = Observance(day, name, True)
    for year in years:
        for day, name in _curated(year, country, model):
            if start <= day <= end and not any(o.day == day for o in found.values()):
                found[(day, name)] = Observance(day, name, False)
    return tuple(sorted(found.values(), key=lambda o: (o.day, o.name)))


def observance_notes(observances_in_window: tuple[Observance, ...], start: date) -> list[str]:
    notes = []
    for o in observances_in_window[:8]:
        week = (o.day - start).days // 7 + 1
        when = f"{o.name} ({o.day.strftime('%a %d %b').replace(' 0', ' ')}, week {week})"
        if o.public_holiday:
            notes.append(f"{when}: public holiday; confirm opening hours and say them in that week's posts.")
        else:
            notes.append(f"{when}: a seasonal hook for the posts that week, where it fits the brand.")
    return notes
