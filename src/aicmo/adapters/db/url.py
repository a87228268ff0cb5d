"""Database URL diagnosis (SPEC §10): what is wrong with a URL before anything tries to connect.

Pure: it parses the text itself (no SQLAlchemy) and learns which driver modules exist from the
`installed` callable it is given. Every message is built from the parsed parts, never from the
password, and any URL it shows goes through `mask_url`.
"""

from __future__ import annotations

import importlib.util
import ipaddress
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import parse_qs, unquote

from pydantic import BaseModel, Field

from aicmo.domain.urls import mask_url

Severity = Literal["error", "warning", "info"]
Context = Literal["sync", "async"]

SUPPORTED_BACKENDS = ("postgresql", "sqlite")
URL_SHAPE = "dialect+driver://user:password@host:port/database (e.g. postgresql+psycopg://aicmo:…@db/aicmo)"


@dataclass(frozen=True)
class Driver:
    module: str  # what `import` needs
    package: str  # what `pip install` needs
    modes: frozenset[str]  # "sync", "async" or both


def _d(module: str, package: str, *modes: str) -> Driver:
    return Driver(module, package, frozenset(modes))


DRIVERS: dict[tuple[str, str], Driver] = {
    ("postgresql", "psycopg"): _d("psycopg", "psycopg[binary]", "sync", "async"),
    ("postgresql", "psycopg_async"): _d("psycopg", "psycopg[binary]", "async"),
    ("postgresql", "psycopg2"): _d("psycopg2", "psycopg2-binary", "sync"),
    ("postgresql", "psycopg2cffi"): _d("psycopg2cffi", "psycopg2cffi", "sync"),
    ("postgresql", "pg8000"): _d("pg8000", "pg8000", "sync"),
    ("postgresql", "asyncpg"): _d("asyncpg", "asyncpg", "async"),
    ("sqlite", "pysqlite"): _d("sqlite3", "(standard library)", "sync"),
    ("sqlite", "aiosqlite"): _d("aiosqlite", "aiosqlite", "async"),
    ("sqlite", "pysqlcipher"): _d("sqlcipher3", "sqlcipher3", "sync"),
    ("mysql", "mysqldb"): _d("MySQLdb", "mysqlclient", "sync"),
    ("mysql", "pymysql"): _d("pymysql", "PyMySQL", "sync"),
    ("mysql", "mysqlconnector"): _d("mysql.connector", "mysql-connector-python", "sync"),
    ("mysql", "asyncmy"): _d("asyncmy", "asyncmy", "async"),
    ("mysql", "aiomysql"): _d("aiomysql", "aiomysql", "async"),
    ("mariadb", "mysqldb"): _d("MySQLdb", "mysqlclient", "sync"),
    ("mariadb", "pymysql"): _d("pymysql", "PyMySQL", "sync"),
    ("mariadb", "mariadbconnector"): _d("mariadb", "mariadb", "sync"),
    ("mssql", "pyodbc"): _d("pyodbc", "pyodbc", "sync"),
    ("mssql", "pymssql"): _d("pymssql", "pymssql", "sync"),
    ("mssql", "aioodbc"): _d("aioodbc", "aioodbc", "async"),
    ("oracle", "oracledb"): _d("oracledb", "oracledb", "sync", "async"),
    ("oracle", "cx_oracle"): _d("cx_Oracle", "cx_Oracle", "sync"),
}
# What SQLAlchemy picks when the URL names no driver (`postgresql://` means psycopg2, not psycopg 3).
DEFAULT_DRIVERS = {
    "postgresql": "psycopg2",
    "sqlite": "pysqlite",
    "mysql": "mysqldb",
    "mariadb": "mysqldb",
    "mssql": "pyodbc",
    "oracle": "cx_oracle",
}
# The driver to recommend per backend and context; psycopg 3 ships with AICMO and does both.
RECOMMENDED = {
    ("postgresql", "sync"): "postgresql+psycopg",
    ("postgresql", "async"): "postgresql+psycopg",
    ("sqlite", "sync"): "sqlite",
    ("sqlite", "async"): "sqlite+aiosqlite",
}
SCHEME_ALIASES = {"postgres": "postgresql", "pgsql": "postgresql", "psql": "postgresql"}

PLACEHOLDER_PASSWORDS = {
    "pass",
    "password",
    "passwd",
    "changeme",
    "change-me",
    "change_me",
    "secret",
    "xxx",
    "xxxx",
    "xxxxxx",
    "***",
    "...",
    "…",
    "<password>",
    "<pass>",
    "{password}",
    "${password}",
    "your-password",
    "your_password",
    "yourpassword",
    "mypassword",
    "pw",
}
PLACEHOLDER_USERS = {"user", "username", "<user>", "<username>", "your-user", "your_user", "{user}"}
PLACEHOLDER_HOSTS = {
    "host",
    "hostname",
    "your-host",
    "your_host",
    "yourhost",
    "server",
    "db-host",
    "dbhost",
    "<host>",
    "{host}",
    "...",
    "…",
}
PLACEHOLDER_DATABASES = {"dbname", "database", "<db>", "<database>", "<dbname>", "your-db", "your_db", "mydb"}
_EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net", "example")
_BRACKETS = re.compile(r"[<>{}]|\.\.\.|…|\$\{")

_URL = re.compile(
    r"""^(?P<scheme>[A-Za-z][A-Za-z0-9_+.\-]*)://
        (?:(?P<user>[^:/@]*)(?::(?P<pw>[^@]*))?@)?
        (?P<hostport>[^/?]*)
        (?:/(?P<database>[^?]*))?
        (?:\?(?P<query>.*))?$""",
    re.X | re.S,
)


class Finding(BaseModel):
    severity: Severity
    code: str
    message: str
    remedy: str = ""


class DatabaseUrlReport(BaseModel):
    """What the validator found. `ok` means no error (warnings do not block)."""

    url: str = Field(description="The URL with every credential masked.")
    context: Context = "sync"
    backend: str = ""
    driver: str = ""
    host: str = ""
    database: str = ""
    sqlite_path: str | None = Field(default=None, description="Absolute path of a SQLite file.")
    findings: list[Finding] = Field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]


@dataclass(frozen=True)
class _Parts:
    scheme: str
    backend: str
    driver: str  # empty when the URL names none
    user: str
    password: str | None
    host: str
    port: str
    database: str
    query: dict[str, list[str]]
    extra_at: bool  # an unencoded '@' in the password pushed part of it into the host


def module_installed(module: str) -> bool:
    """True when `module` can be imported (without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a missing parent package, or a bad name
        return False


def validate_database_url(
    url: str,
    *,
    context: Context = "sync",
    cwd: Path | None = None,
    installed: Callable[[str], bool] | None = None,
) -> DatabaseUrlReport:
    """Diagnose `url` for a `context` ("sync": AICMO's engine; "async": an async engine). Never raises."""
    report = DatabaseUrlReport(url=_safe_mask(url), context=context)
    try:
        _validate(report, url or "", context, cwd or Path.cwd(), installed or module_installed)
    except Exception as exc:  # a diagnosis must never crash the thing diagnosing
        report.findings.append(
            Finding(
                severity="error",
                code="parse_error",
                message=f"the database URL could not be analysed ({type(exc).__name__})",
                remedy=f"write it as {URL_SHAPE}",
            )
        )
    return report


def _safe_mask(url: str) -> str:
    """A URL is shown masked; text that is not a URL at all is not shown (it may be a bare password)."""
    if not url:
        return ""
    return mask_url(url) if "://" in url else "(not a URL)"


def _validate(
    report: DatabaseUrlReport, url: str, context: Context, cwd: Path, installed: Callable[[str], bool]
) -> None:
    parts = _parse(report, url)
    if parts is None:
        return
    report.backend, report.driver, report.host = parts.backend, parts.driver, parts.host
    if parts.backend != "sqlite":
        report.database = parts.database
    if parts.extra_at:
        report.findings.append(
            Finding(
                severity="error",
                code="unencoded_at_in_password",
                message="the password contains an '@' that is not percent-encoded, so the host is misread",
                remedy="write '@' inside the password as %40 (and ':' as %3A, '/' as %2F)",
            )
        )
    if not _check_backend(report, parts):
        return
    _check_driver(report, parts, context, installed)
    if parts.backend == "sqlite":
        _check_sqlite(report, parts, cwd)
    else:
        _check_server(report, parts)
    _check_placeholders(report, parts)


def _parse(report: DatabaseUrlReport, url: str) -> _Parts | None:
    def fail(code: str, message: str, remedy: str = f"write it as {URL_SHAPE}") -> None:
        report.findings.append(Finding(severity="error", code=code, message=message, remedy=remedy))

    if not url.strip():
        fail("empty", "no database URL is set", "set AICMO_DATABASE_URL, or leave it unset for SQLite")
        return None
    if url != url.strip():
        fail("whitespace", "the database URL has leading or trailing whitespace", "remove the spaces")
        return None
    match = _URL.match(url)
    if match is None:
        fail("parse_error", "the database URL is not of the form dialect+driver://…")
        return None
    scheme = match["scheme"].lower()
    backend, _, driver = scheme.partition("+")
    hostport = match["hostport"] or ""
    extra_at = "@" in hostport
    if extra_at:
        hostport = hostport.rsplit("@", 1)[1]
    host, port = _split_hostport(hostport)
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        fail("bad_port", "the port is not a number between 1 and 65535")
        return None
    query = parse_qs(match["query"] or "", keep_blank_values=True)
    return _Parts(
        scheme=scheme,
        backend=backend,
        driver=driver,
        user=unquote(match["user"] or ""),
        password=None if match["pw"] is None else unquote(match["pw"]),
        host=host,
        port=port,
        database=unquote(match["database"] or ""),
        query=query,
        extra_at=extra_at,
    )


def _split_hostport(hostport: str) -> tuple[str, str]:
    if hostport.startswith("["):  # [::1]:5432
        host, _, rest = hostport[1:].partition("]")
        return host, rest[1:] if rest.startswith(":") else ""
    if hostport.count(":") == 1:
        host, port = hostport.split(":")
        return host, port
    return hostport, ""


def _check_backend(report: DatabaseUrlReport, parts: _Parts) -> bool:
    """False when nothing more can be said (an unknown dialect)."""
    alias = SCHEME_ALIASES.get(parts.backend)
    if alias:
        fixed = RECOMMENDED[(alias, report.context)]
        report.findings.append(
            Finding(
                severity="error",
                code="scheme_alias",
                message=f"'{parts.backend}://' is not a SQLAlchemy dialect name (it means {alias})",
                remedy=f"start the URL with {fixed}://",
            )
        )
        return False
    known = {backend for backend, _ in DRIVERS}
    if parts.backend not in known:
        report.findings.append(
            Finding(
                severity="error",
                code="unknown_backend",
                message=f"unknown database dialect '{parts.backend}'",
                remedy="use postgresql+psycopg://… for a server, or sqlite:////absolute/path.db",
            )
        )
        return False
    if parts.backend not in SUPPORTED_BACKENDS:
        report.findings.append(
            Finding(
                severity="warning",
                code="untested_backend",
                message=f"{parts.backend} is not a tested AICMO backend (tested: PostgreSQL and SQLite)",
                remedy="use PostgreSQL for a team, SQLite for one machine",
            )
        )
    return True


def _check_driver(report: DatabaseUrlReport, parts: _Parts, context: Context, installed) -> None:
    driver_name = parts.driver or DEFAULT_DRIVERS.get(parts.backend, "")
    report.driver = driver_name
    driver = DRIVERS.get((parts.backend, driver_name))
    recommended = RECOMMENDED.get((parts.backend, context))
    if recommended == "sqlite":
        better = "use sqlite:////absolute/path/aicmo.db (Python's built-in driver)"
    elif recommended == "postgresql+psycopg":
        better = "use postgresql+psycopg://user:password@host:5432/database (psycopg 3 ships with AICMO)"
    elif recommended:
        better = f"use {recommended}://…"
    else:
        better = "pick a driver from the SQLAlchemy dialect page"
    if driver is None:
        report.findings.append(
            Finding(
                severity="error",
                code="unknown_driver",
                message=f"unknown driver '{driver_name}' for {parts.backend}",
                remedy=better,
            )
        )
        return
    mismatch = context not in driver.modes
    if mismatch:
        kind = "an async" if "async" in driver.modes else "a synchronous"
        report.findings.append(
            Finding(
                severity="error",
                code=f"{'async' if 'async' in driver.modes else 'sync'}_driver_in_{context}_context",
                message=(
                    f"{parts.backend}+{driver_name} is {kind} driver, but this is used by a {context} "
                    f"engine{' (AICMO uses synchronous SQLAlchemy)' if context == 'sync' else ''}"
                ),
                remedy=better,
            )
        )
    if not installed(driver.module):
        implicit = "" if parts.driver else f" ('{parts.backend}://' with no driver means {driver_name})"
        if mismatch:  # installing it would not help
            remedy = better
        elif recommended and recommended != f"{parts.backend}+{driver_name}":
            remedy = f"pip install {driver.package}, or {better}"
        else:
            remedy = f"pip install {driver.package}"
        report.findings.append(
            Finding(
                severity="error",
                code="driver_not_installed",
                message=f"the {driver_name} driver is not installed{implicit}",
                remedy=remedy,
            )
        )


def _check_sqlite(report: DatabaseUrlReport, parts: _Parts, cwd: Path) -> None:
    if parts.host:
        report.findings.append(
            Finding(
                severity="error",
                code="sqlite_host",
                message="a SQLite URL has no host: the path follows three slashes",
                remedy="write sqlite:////absolute/path/aicmo.db (four slashes for an absolute path)",
            )
        )
        return
    database = parts.database
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        report.findings.append(
            Finding(
                severity="warning",
                code="sqlite_memory",
                message="an in-memory SQLite database: every connection starts empty and nothing is kept",
                remedy="use a file: sqlite:////absolute/path/aicmo.db",
            )
        )
        return
    path = Path(database.removeprefix("file:").split("?", 1)[0]).expanduser()
    resolved = path if path.is_absolute() else (cwd / path)
    report.sqlite_path = str(resolved.resolve(strict=False))
    if not path.is_absolute():
        report.findings.append(
            Finding(
                severity="warning",
                code="relative_sqlite_path",
                message=(
                    f"relative SQLite path '{database}' resolves against the working folder to "
                    f"{report.sqlite_path}; a process started elsewhere opens a different file"
                ),
                remedy=f"use an absolute path: sqlite:///{report.sqlite_path}",
            )
        )


def _is_local(host: str) -> bool:
    """Loopback, a socket, a private address or a single-label name (a compose service, a LAN box)."""
    if not host or host.startswith("/") or host in ("localhost", "localhost.localdomain"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." not in host or host.endswith((".local", ".internal", ".lan", ".localdomain"))
    return address.is_loopback or address.is_private or address.is_link_local


def _check_server(report: DatabaseUrlReport, parts: _Parts) -> None:
    socket_dir = parts.query.get("host", [""])[0]
    if not parts.host and not socket_dir:
        report.findings.append(
            Finding(
                severity="info",
                code="local_socket",
                message=f"no host: {parts.backend} is reached through the local Unix socket",
                remedy="name the host (e.g. @127.0.0.1:5432) if the server is elsewhere",
            )
        )
    if not parts.database:
        report.findings.append(
            Finding(
                severity="warning",
                code="no_database",
                message="the URL names no database: the server's default (often the user's name) is used",
                remedy="end the URL with /aicmo (or the database you created)",
            )
        )
    if parts.backend == "postgresql" and not _is_local(parts.host):
        sslmode = parts.query.get("sslmode", [""])[0].lower()
        if not sslmode:
            report.findings.append(
                Finding(
                    severity="warning",
                    code="ssl_not_configured",
                    message=(
                        f"{parts.host} looks like a hosted PostgreSQL server and the URL sets no sslmode: "
                        "most hosted servers refuse or should refuse unencrypted connections"
                    ),
                    remedy="add ?sslmode=require (or verify-full with sslrootcert=… for certificate checks)",
                )
            )
        elif sslmode in ("disable", "allow", "prefer"):
            report.findings.append(
                Finding(
                    severity="warning",
                    code="ssl_weak",
                    message=f"sslmode={sslmode} sends credentials to {parts.host} without enforced TLS",
                    remedy="use sslmode=require or verify-full",
                )
            )


def _check_placeholders(report: DatabaseUrlReport, parts: _Parts) -> None:
    found: list[str] = []
    password = (parts.password or "").strip().lower()
    if parts.password is not None and (password in PLACEHOLDER_PASSWORDS or _BRACKETS.search(password)):
        found.append("the password")
    if parts.user.lower() in PLACEHOLDER_USERS and (not password or password in PLACEHOLDER_PASSWORDS):
        found.append(f"the user name '{parts.user}'")
    host = parts.host.lower()
    if host in PLACEHOLDER_HOSTS or _BRACKETS.search(host) or host.endswith(_EXAMPLE_DOMAINS):
        found.append(f"the host '{parts.host}'")
    database = parts.database.lower()
    if parts.backend != "sqlite" and (database in PLACEHOLDER_DATABASES or _BRACKETS.search(database)):
        found.append(f"the database name '{parts.database}'")
    if found:
        report.findings.append(
            Finding(
                severity="error",
                code="placeholder",
                message=f"{', '.join(found)} still look{'s' if len(found) == 1 else ''} like a placeholder "
                "from an example",
                remedy="put in the real values of your database (the example URL is not a default)",
            )
        )
