"""Database URL diagnosis: each finding on a real example, and two properties over generated URLs
(the validator never raises; no message ever carries the password)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from aicmo.adapters.db.url import PLACEHOLDER_PASSWORDS, module_installed, validate_database_url
from aicmo.domain.urls import mask_url

CWD = Path("/srv/aicmo")


def only(*modules: str):
    """An `installed` answer for a machine with exactly these driver modules."""
    return lambda module: module in modules


def codes(url: str, **kwargs) -> set[str]:
    return {f.code for f in validate_database_url(url, cwd=CWD, **kwargs).findings}


def test_the_default_sqlite_and_psycopg_urls_are_clean() -> None:
    assert codes("sqlite:////srv/aicmo/var/aicmo.db") == set()
    report = validate_database_url("postgresql+psycopg://aicmo:Str0ng-pw@127.0.0.1:5432/aicmo")
    assert report.ok and report.findings == []
    assert (report.backend, report.driver, report.host, report.database) == (
        "postgresql",
        "psycopg",
        "127.0.0.1",
        "aicmo",
    )


def test_an_async_driver_in_the_sync_app_fails_and_says_what_to_use_instead() -> None:
    report = validate_database_url(
        "postgresql+asyncpg://user:secretpw@127.0.0.1/test", installed=only("psycopg", "sqlite3")
    )
    assert not report.ok
    by_code = {f.code: f for f in report.findings}
    assert set(by_code) == {"async_driver_in_sync_context", "driver_not_installed"}
    assert "postgresql+psycopg://" in by_code["async_driver_in_sync_context"].remedy
    assert "asyncpg driver is not installed" in by_code["driver_not_installed"].message
    assert report.url == "postgresql+asyncpg://user:***@127.0.0.1/test"


def test_a_sync_driver_in_an_async_context_fails_but_psycopg3_serves_both() -> None:
    assert "sync_driver_in_async_context" in codes("sqlite:////tmp/a.db", context="async")
    assert "sync_driver_in_async_context" in codes(
        "postgresql+psycopg2://a:bcdefgh@127.0.0.1/db", context="async", installed=only("psycopg2")
    )
    assert codes("postgresql+psycopg://a:bcdefgh@127.0.0.1/db", context="async") == set()
    assert "async_driver_in_sync_context" in codes(
        "sqlite+aiosqlite:////tmp/a.db", installed=only("aiosqlite")
    )


def test_a_missing_driver_is_named_including_the_one_a_bare_scheme_implies() -> None:
    report = validate_database_url("postgresql://aicmo:pw-123456@127.0.0.1/aicmo", installed=only("psycopg"))
    finding = next(f for f in report.findings if f.code == "driver_not_installed")
    assert "'postgresql://' with no driver means psycopg2" in finding.message
    assert "pip install psycopg2-binary" in finding.remedy and "postgresql+psycopg" in finding.remedy
    assert "driver_not_installed" in codes("mysql+pymysql://a:bcdefgh@10.0.0.5/app", installed=only())
    # the real machine: psycopg is installed, asyncpg is not
    assert module_installed("psycopg") and module_installed("sqlite3")
    assert not module_installed("no_such_driver_module") and not module_installed("mysql.connector")


def test_a_relative_sqlite_path_is_resolved_and_shown() -> None:
    report = validate_database_url("sqlite:///var/aicmo.db", cwd=CWD)
    assert report.ok  # a warning, not an error
    [finding] = report.findings
    assert finding.code == "relative_sqlite_path"
    assert "/srv/aicmo/var/aicmo.db" in finding.message
    assert finding.remedy == "use an absolute path: sqlite:////srv/aicmo/var/aicmo.db"
    assert report.sqlite_path == "/srv/aicmo/var/aicmo.db"
    assert codes("sqlite://") == {"sqlite_memory"}
    assert codes("sqlite:///:memory:") == {"sqlite_memory"}


@pytest.mark.parametrize(
    ("url", "what"),
    [
        ("postgresql+psycopg://user:pass@db.internal:5432/aicmo", "the password"),
        ("postgresql+psycopg://aicmo:changeme@127.0.0.1/aicmo", "the password"),
        ("postgresql+psycopg://aicmo:<password>@127.0.0.1/aicmo", "the password"),
        ("postgresql+psycopg://aicmo:s3cr3t-Value@db.example.com/aicmo?sslmode=require", "the host"),
        ("postgresql+psycopg://aicmo:s3cr3t-Value@.../aicmo", "the host"),
        ("postgresql+psycopg://aicmo:s3cr3t-Value@127.0.0.1/dbname", "the database name"),
    ],
)
def test_placeholder_values_from_examples_are_errors(url: str, what: str) -> None:
    report = validate_database_url(url)
    finding = next(f for f in report.findings if f.code == "placeholder")
    assert finding.severity == "error" and what in finding.message


def test_hosted_postgresql_without_sslmode_gets_a_hint_local_ones_do_not() -> None:
    hosted = "postgresql+psycopg://aicmo:Str0ng-pw@aicmo.cluster-x1.eu-west-1.rds.amazonaws.com/aicmo"
    assert "ssl_not_configured" in codes(hosted)
    assert "ssl_not_configured" not in codes(hosted + "?sslmode=require")
    assert "ssl_weak" in codes(hosted + "?sslmode=disable")
    for local in ("127.0.0.1", "localhost", "10.2.3.4", "postgres", "db.internal"):
        assert "ssl_not_configured" not in codes(f"postgresql+psycopg://a:Str0ng-pw@{local}/aicmo")


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("", "empty"),
        ("just-a-secret-value", "parse_error"),
        ("postgres://a:Str0ng-pw@127.0.0.1/aicmo", "scheme_alias"),
        ("oracle+nope://a:Str0ng-pw@127.0.0.1/aicmo", "unknown_driver"),
        ("cockroach://a:Str0ng-pw@127.0.0.1/aicmo", "unknown_backend"),
        ("postgresql+psycopg://a:Str0ng-pw@127.0.0.1:99999/aicmo", "bad_port"),
        ("postgresql+psycopg://a:p@ss-w0rd@127.0.0.1/aicmo", "unencoded_at_in_password"),
        (" sqlite:////tmp/a.db", "whitespace"),
    ],
)
def test_unparseable_or_unknown_urls_are_errors_with_a_remedy(url: str, code: str) -> None:
    report = validate_database_url(url)
    finding = next(f for f in report.findings if f.code == code)
    assert finding.severity == "error" and finding.remedy
    assert "just-a-secret-value" not in report.model_dump_json()  # text that is not a URL is not echoed
    assert "ss-w0rd" not in report.model_dump_json()  # nor the tail of a password with a raw '@'


def test_mask_url_hides_a_password_with_a_raw_at_sign() -> None:
    assert mask_url("postgresql://u:p@ss@host/db") == "postgresql://u:***@host/db"
    assert mask_url("postgresql://u:a/b@c@host:5/db?x=1") == "postgresql://u:***@host:5/db?x=1"
    assert mask_url("postgresql://u:pw@host/db?email=a@b") == "postgresql://u:***@host/db?email=a@b"
    assert mask_url("sqlite:////tmp/a@b.db") == "sqlite:////tmp/a@b.db"


SCHEMES = st.sampled_from(
    [
        "postgresql",
        "postgresql+psycopg",
        "postgresql+asyncpg",
        "postgresql+psycopg2",
        "postgres",
        "sqlite",
        "sqlite+aiosqlite",
        "mysql+pymysql",
        "mssql+pyodbc",
        "nope+what",
    ]
)
HOSTS = st.sampled_from(
    ["127.0.0.1", "db.example.com", "aicmo.abc.rds.amazonaws.com", "[::1]", "", "postgres"]
)
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=0, max_size=12)
PASSWORDS = st.text(min_size=4, max_size=24).filter(lambda pw: "\n" not in pw)


def _messages(url: str, context: str) -> str:
    report = validate_database_url(url, context=context, cwd=CWD, installed=only("psycopg", "sqlite3"))
    return report.model_dump_json() + " ".join(f"{f.message} {f.remedy}" for f in report.findings)


@settings(max_examples=300, deadline=None)
@given(
    scheme=SCHEMES,
    user=NAMES,
    password=PASSWORDS,
    host=HOSTS,
    port=st.one_of(st.just(""), st.integers(min_value=0, max_value=70000).map(lambda p: f":{p}")),
    database=NAMES,
    query=st.sampled_from(["", "?sslmode=require", "?sslmode=disable&application_name=x", "?password=zz"]),
    context=st.sampled_from(["sync", "async"]),
)
def test_no_message_ever_contains_the_password(
    scheme: str, user: str, password: str, host: str, port: str, database: str, query: str, context: str
) -> None:
    url = f"{scheme}://{user}:{password}@{host}{port}/{database}{query}"
    # The password must be findable: not elsewhere in the URL, not a word the validator's own text
    # uses anyway (the same URL with a neutral password shows that text), not a known placeholder.
    baseline = _messages(url.replace(f":{password}@", ":Neutral0PW@", 1), context)
    rest = url.replace(f":{password}@", ":@", 1)
    assume(
        password not in rest and password not in baseline and password.lower() not in PLACEHOLDER_PASSWORDS
    )
    assert password not in _messages(url, context)


@settings(max_examples=300, deadline=None)
@given(url=st.one_of(st.text(max_size=80), st.from_regex(r"[a-z+]{1,12}://[^\n]{0,60}", fullmatch=True)))
def test_the_validator_never_raises_on_any_text(url: str) -> None:
    report = validate_database_url(url, installed=only())
    assert report.url == "" or report.url == "(not a URL)" or "://" in report.url
    assert all(f.severity in ("error", "warning", "info") for f in report.findings)
