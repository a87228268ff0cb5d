"""One formatter in the client's locale, one slug rule, one hashtag rule (issue 22)."""

from __future__ import annotations

from datetime import date

import pytest

from aicmo.domain.locale import (
    client_locale,
    format_compact,
    format_day,
    format_money,
    format_number,
    format_percentage,
    language_code,
    region_of,
)
from aicmo.domain.names import clean_hashtag, hashtag, slug


@pytest.mark.parametrize(
    ("languages", "geography", "timezone", "locale"),
    [
        (["English"], "Manchester, UK", "Europe/London", "en_GB"),
        (["English"], "United States", "America/New_York", "en_US"),
        (["English"], "Australia", "Australia/Sydney", "en_AU"),
        (["English"], "Cork, Ireland", "Europe/Dublin", "en_IE"),
        (["German"], "Berlin, Germany", "", "de_DE"),
        (["Deutsch"], "Zürich", "Europe/Zurich", "de_CH"),
        (["French", "English"], "Lyon, France", "", "fr_FR"),
        (["pt-BR"], "São Paulo", "", "pt_BR"),
        (["Japanese"], "Japan", "", "ja_JP"),
        (["English"], "London and the South East", "Europe/London", "en_GB"),
        ([], "", "", "en_US"),
        (["Klingon-ish"], "Nowhere", "", "en_US"),
    ],
)
def test_the_locale_comes_from_the_briefs_language_and_geography(
    languages: list[str], geography: str, timezone: str, locale: str
) -> None:
    assert client_locale(languages, geography, timezone) == locale


@pytest.mark.parametrize(
    ("name", "tag"), [("German", "de"), ("Deutsch", "de"), ("español", "es"), ("pt_BR", "pt-BR")]
)
def test_a_language_is_found_by_its_name_in_any_language(name: str, tag: str) -> None:
    assert language_code(name) == tag


@pytest.mark.parametrize(
    ("geography", "region"), [("Manchester, UK", "GB"), ("Texas, USA", "US"), ("Paris", "")]
)
def test_the_country_is_read_from_the_geography(geography: str, region: str) -> None:
    assert region_of(geography) == region


@pytest.mark.parametrize(
    ("value", "currency", "locale", "shown"),
    [
        (2_500_000, "£", "en_GB", "£2.5m"),
        (2_500_000, "£", "en_US", "£2.5M"),
        (1_200_000_000, "$", "en_US", "$1.2B"),
        (20_000, "$", "en_US", "$20K"),
        (199, "$", "en_US", "$199"),
        (12.5, "€", "en_IE", "€12.50"),
        (1234, "€", "de_DE", "1.234\xa0€"),
        (20_000, "€", "de_DE", "20.000\xa0€"),
        (2_500_000, "€", "de_DE", "2,5\xa0Mio.\xa0€"),
        (6000, "A$", "en_AU", "$6,000"),
        (6000, "A$", "en_US", "A$6,000"),
        (15_000, "€", "fr_FR", "15\xa0k\xa0€"),
        (90, "", "en_US", "90"),
        (12.5, "", "en_US", "12.50"),
    ],
)
def test_money_is_written_the_clients_way(value: float, currency: str, locale: str, shown: str) -> None:
    assert format_money(value, currency, locale) == shown


def test_a_million_is_never_written_in_thousands() -> None:
    for locale in ("en_US", "en_GB", "de_DE", "fr_FR"):
        assert "2,500k" not in format_money(2_500_000, "£", locale)
        assert "000k" not in format_money(1_200_000_000, "$", locale)


@pytest.mark.parametrize(
    ("value", "locale", "number", "compact", "percent"),
    [
        (12345, "en_US", "12,345", "12.3K", "1,234,500.0%"),
        (12345, "de_DE", "12.345", "12.345", "1.234.500,0\xa0%"),
        (3.5, "en_GB", "3.5", "3.5", "350.0%"),
        (0.125, "fr_FR", "0,1", "0,1", "12,5\xa0%"),
    ],
)
def test_numbers_follow_the_locale(
    value: float, locale: str, number: str, compact: str, percent: str
) -> None:
    assert format_number(value, locale) == number
    assert format_compact(value, locale) == compact
    assert format_percentage(value, locale) == percent


def test_dates_follow_the_locale() -> None:
    day = date(2026, 1, 6)
    assert format_day(day, "en_GB") == "6 January 2026"
    assert format_day(day, "en_US") == "January 6, 2026"
    assert format_day(day, "de_DE") == "6. Januar 2026"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Müller", "muller"),
        ("Müller & Söhne GmbH", "muller-sohne-gmbh"),
        ("Café Crème", "cafe-creme"),
        ("Zürich Dental", "zurich-dental"),
        ("Joe's Coffee", "joes-coffee"),
        ("Ærø Øl", "aero-ol"),
        ("Łódź Studio", "lodz-studio"),
        ("Москва Кофе", "moskva-kofe"),
        ("Ελληνικός Καφές", "ellenikos-kaphes"),
        ("東京カフェ", "dong-jing-kahue"),
        ("  --  ", "item"),
    ],
)
def test_one_slug_rule_for_utm_campaigns_and_file_names(name: str, expected: str) -> None:
    assert slug(name) == expected


def test_a_slug_is_cut_at_a_word_boundary() -> None:
    cut = slug("The Very Long Name of a Client That Goes On and On and On Forever Ltd", max_length=30)
    assert len(cut) <= 30
    assert not cut.endswith("-")
    assert cut == "the-very-long-name-of-a-client"


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("Café Crème", "#CaféCrème"),
        ("Zürich Dental", "#ZürichDental"),
        ("on-site childcare", "#OnSiteChildcare"),
        ("iPhone repairs", "#iPhoneRepairs"),
        ("NHS nurses", "#NHSNurses"),
        ("Joe's Coffee", "#JoesCoffee"),
        ("Москва кофе", "#МоскваКофе"),
        ("東京 カフェ", "#東京カフェ"),
        ("नमस्ते दुनिया", "#नमस्तेदुनिया"),
        ("Ελληνικός καφές", "#ΕλληνικόςΚαφές"),
        ("Cafe\u0301 Cre\u0300me", "#CaféCrème"),  # decomposed accents are composed
        ("!!!", ""),
    ],
)
def test_hashtags_keep_the_letters_of_every_alphabet(text: str, tag: str) -> None:
    assert hashtag(text) == tag


@pytest.mark.parametrize(
    ("tag", "cleaned"), [("#Café-Crème!", "#CaféCrème"), ("#ok_tag", "#ok_tag"), ("#!!", "")]
)
def test_a_written_hashtag_loses_only_what_platforms_cut_at(tag: str, cleaned: str) -> None:
    assert clean_hashtag(tag) == cleaned
