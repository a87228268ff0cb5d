"""Sentinels (SPEC §10): one check per thing that must hold for AICMO to work, each pass/fail/unknown
with the evidence it saw and, when it is not a pass, the remedy.

`run_sentinels(settings)` never raises and never opens the application's own engine: it builds short-
lived engines with a connect timeout, and it does not create a missing SQLite file. `aicmo doctor`,
`GET /api/v1/system/sentinels`, the System tab and the ops shell all show this one report.
"""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from functools import cached_property
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from aicmo.adapters.db.url import DatabaseUrlReport, module_installed, validate_database_url
from aicmo.config import Settings
from aicmo.domain.urls import mask_url
from aicmo.observability.redaction import redact_text

MIN_PYTHON = (3, 11)
CORE_MODULES = (
    "pydantic",
    "pydantic_settings",
    "sqlalchemy",
    "alembic",
    "fastapi",
    "uvicorn",
    "httpx",
    "typer",
)
AICMO_MODULES = (
    "aicmo.config",
    "aicmo.adapters.db.tables",
    "aicmo.services.artifacts",
    "aicmo.entrypoints.api.main",
)
# Optional features: a failure here breaks one feature, and the remedy names it.
FEATURE_MODULES = {
    "streamlit": "the console (pip install streamlit)",
    "weasyprint": "PDF export (WeasyPrint needs Pango: apt-get install libpango-1.0-0 libpangoft2-1.0-0)",
    "pptx": "PPTX export (pip install python-pptx)",
    "pydantic_ai": "LLM providers (pip install 'pydantic-ai-slim[openai,anthropic]')",
    "dbos": "the task engine (pip install dbos)",
}
CONSOLE_MODULE = "aicmo.entrypoints.console.app"
UPGRADE = "run `aicmo db upgrade` (or the System tab's bootstrap button)"


class Status(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"


class Sentinel(BaseModel):
    id: str
    name: str
    status: Status
    evidence: str
    remedy: str = ""
    elapsed_ms: float = 0.0


class SentinelReport(BaseModel):
    ok: bool = Field(description="True when no sentinel failed (unknown does not fail).")
    counts: dict[str, int]
    checked_at: str
    sentinels: list[Sentinel]

    def get(self, sentinel_id: str) -> Sentinel:
        return next(s for s in self.sentinels if s.id == sentinel_id)


@dataclass
class SentinelOptions:
    """What to check beyond configuration: probing reaches out to other services."""

    probe_provider: bool = False
    api_url: str | None = None  # GET {api_url}/healthz; None leaves the sentinel "unknown"
    served_by_api: bool = False  # the report is being served by the API itself
    timeout_s: float = 3.0
    installed: Callable[[str], bool] = field(default=module_installed)


def _verdict(sid: str, name: str, status: Status, evidence: str, remedy: str = "") -> Sentinel:
    return Sentinel(id=sid, name=name, status=status, evidence=evidence, remedy=remedy)


class _Checks:
    """The checks share what they learn (the URL report, one engine) so each runs once."""

    def __init__(self, settings: Settings, options: SentinelOptions) -> None:
        self.settings = settings
        self.options = options
        self._engine: Any = None

    # ---- shared state --------------------------------------------------------------------
    @cached_property
    def url(self) -> str:
        return self.settings.resolved_database_url

    @cached_property
    def masked(self) -> str:
        return mask_url(self.url)

    @cached_property
    def url_report(self) -> DatabaseUrlReport:
        return validate_database_url(self.url, context="sync", installed=self.options.installed)

    @contextmanager
    def connection(self) -> Iterator[Any]:
        from sqlalchemy import create_engine

        if self._engine is None:
            self._engine = create_engine(self.url, **_connect_args(self.url_report, self.options.timeout_s))
        with self._engine.connect() as conn:
            yield conn

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    def database_blocker(self) -> Sentinel | None:
        """Why the database cannot be asked at all, as the verdict for a dependent sentinel."""
        if not self.url_report.ok:
            return None  # the caller reports "unknown" with a pointer to database_url
        path = self.url_report.sqlite_path
        if path and not Path(path).exists():
            return _verdict("", "", Status.FAIL, f"no SQLite database file at {path}", UPGRADE)
        return None

    # ---- the sentinels -------------------------------------------------------------------
    def python_runtime(self) -> Sentinel:
        version = ".".join(map(str, sys.version_info[:3]))
        evidence = f"Python {version} ({sys.implementation.name}) at {sys.executable}"
        if sys.version_info[:2] >= MIN_PYTHON:
            return _verdict("python_runtime", "Python runtime", Status.PASS, evidence)
        return _verdict(
            "python_runtime",
            "Python runtime",
            Status.FAIL,
            evidence,
            f"install Python {'.'.join(map(str, MIN_PYTHON))} or newer and recreate the virtualenv",
        )

    def package_import(self) -> Sentinel:
        from aicmo import __version__

        failures: list[str] = []
        remedies: list[str] = []
        for name in (*CORE_MODULES, *AICMO_MODULES):
            error = _import_error(name)
            if error:
                failures.append(f"{name}: {error}")
        if failures:
            remedies.append("reinstall the package: pip install -e . (or pip install aicmo)")
        for name, feature in FEATURE_MODULES.items():
            error = _import_error(name)
            if error:
                failures.append(f"{name}: {error}")
                remedies.append(f"{feature}")
        checked = len(CORE_MODULES) + len(AICMO_MODULES) + len(FEATURE_MODULES)
        if failures:
            return _verdict(
                "package_import",
                "Package import",
                Status.FAIL,
                f"{len(failures)} of {checked} imports failed: " + "; ".join(failures),
                "; ".join(remedies),
            )
        return _verdict(
            "package_import",
            "Package import",
            Status.PASS,
            f"aicmo {__version__} and {checked - len(AICMO_MODULES)} dependencies import "
            f"({', '.join((*CORE_MODULES, *FEATURE_MODULES))})",
        )

    def database_url(self) -> Sentinel:
        report = self.url_report
        notes = "; ".join(f"{f.severity}: {f.message}" for f in report.findings)
        where = f"{report.url} ({report.backend or '?'}+{report.driver or '?'})"
        if report.sqlite_path:
            where += f", file {report.sqlite_path}"
        if report.ok:
            evidence = where + (f"; {notes}" if notes else "")
            return _verdict("database_url", "Database URL valid", Status.PASS, evidence)
        remedies = [f.remedy for f in report.errors if f.remedy]
        return _verdict(
            "database_url",
            "Database URL valid",
            Status.FAIL,
            f"{where}: {notes}",
            "; ".join(dict.fromkeys(remedies)) + " (set AICMO_DATABASE_URL)",
        )

    def database_connectivity(self) -> Sentinel:
        sid, name = "database_connectivity", "Database connectivity"
        if not self.url_report.ok:
            return _unknown_for_url(sid, name)
        blocker = self.database_blocker()
        if blocker:
            return blocker.model_copy(update={"id": sid, "name": name})
        try:
            from sqlalchemy import text

            with self.connection() as conn:
                one = conn.execute(text("SELECT 1")).scalar()
                dialect = conn.dialect
                version = ".".join(map(str, dialect.server_version_info or ())) or "?"
            return _verdict(
                sid,
                name,
                Status.PASS,
                f"SELECT 1 -> {one} on {self.masked}: {dialect.name} {version} via {dialect.driver}",
            )
        except Exception as exc:
            return _verdict(
                sid,
                name,
                Status.FAIL,
                f"cannot connect to {self.masked}: {_describe(exc, self.url)}",
                "check that the server runs and accepts this user, host and database "
                "(pg_isready -h HOST; psql with the same URL)",
            )

    def _schema(self) -> tuple[set[str], str | None] | Sentinel:
        """The tables and the Alembic revision, or the reason they cannot be read."""
        if not self.url_report.ok:
            return _unknown_for_url("", "")
        blocker = self.database_blocker()
        if blocker:
            return blocker
        try:
            from sqlalchemy import inspect

            with self.connection() as conn:
                tables = set(inspect(conn).get_table_names())
                revision = None
                if "alembic_version" in tables:
                    from alembic.runtime.migration import MigrationContext

                    revision = MigrationContext.configure(conn).get_current_revision()
            return tables, revision
        except Exception as exc:
            return _verdict(
                "",
                "",
                Status.UNKNOWN,
                f"cannot read the schema: {_describe(exc, self.url)}",
                "fix database connectivity first",
            )

    @cached_property
    def schema(self) -> tuple[set[str], str | None] | Sentinel:
        return self._schema()

    def tables_present(self) -> Sentinel:
        sid, name = "tables_present", "Application tables present"
        if isinstance(self.schema, Sentinel):
            return self.schema.model_copy(update={"id": sid, "name": name})
        from aicmo.adapters.db.migrate import expected_tables

        tables, _ = self.schema
        expected = expected_tables()
        missing = sorted(expected - tables)
        if missing:
            return _verdict(
                sid,
                name,
                Status.FAIL,
                f"{len(expected) - len(missing)} of {len(expected)} tables; missing: {', '.join(missing)}",
                UPGRADE,
            )
        return _verdict(sid, name, Status.PASS, f"all {len(expected)} tables: {', '.join(sorted(expected))}")

    def migrations_at_head(self) -> Sentinel:
        sid, name = "migrations_at_head", "Migrations at head"
        if isinstance(self.schema, Sentinel):
            return self.schema.model_copy(update={"id": sid, "name": name})
        from alembic.script import ScriptDirectory

        from aicmo.adapters.db.migrate import alembic_config

        script = ScriptDirectory.from_config(alembic_config(self.url))
        heads = set(script.get_heads())
        _, revision = self.schema
        if revision in heads:
            return _verdict(sid, name, Status.PASS, f"database at {revision} = head")
        if revision is None:
            return _verdict(
                sid, name, Status.FAIL, f"no migration applied (head is {', '.join(heads)})", UPGRADE
            )
        known = {rev.revision for rev in script.walk_revisions()}
        if revision not in known:
            return _verdict(
                sid,
                name,
                Status.FAIL,
                f"database at {revision}, which this code does not know (head {', '.join(heads)}): "
                "a newer AICMO migrated it",
                "upgrade this installation to the version the other replicas run",
            )
        return _verdict(
            sid, name, Status.FAIL, f"database at {revision}, head is {', '.join(heads)}", UPGRADE
        )

    def provider_status(self) -> Sentinel:
        sid, name = "provider_status", "LLM provider"
        try:
            from aicmo.adapters.llm.registry import llm_status

            status = llm_status(self.settings, probe=self.options.probe_provider)
        except Exception as exc:
            return _verdict(
                sid,
                name,
                Status.FAIL,
                f"provider {self.settings.llm_provider}: {_describe(exc, self.url)}",
                "check AICMO_LLM_PROVIDER and the package import sentinel",
            )
        where = " ".join(x for x in (status.model, status.base_url) if x)
        evidence = f"{status.provider}: {status.state}" + (f" ({where})" if where else "")
        if status.detail:
            evidence += f"; {status.detail}"
        if status.state == "offline":
            return _verdict(sid, name, Status.PASS, evidence + "; the offline generator needs no key")
        if status.state == "reachable":
            return _verdict(sid, name, Status.PASS, evidence)
        if status.state == "configured":
            note = "" if self.options.probe_provider else "; not probed (aicmo doctor --probe)"
            return _verdict(sid, name, Status.PASS, evidence + note)
        remedy = (
            status.detail
            if status.state == "disabled"
            else ("check AICMO_LLM_BASE_URL, the network path and AICMO_LLM_API_KEY")
        )
        return _verdict(sid, name, Status.FAIL, evidence, remedy)

    def api_reachable(self) -> Sentinel:
        sid, name = "api_reachable", "API reachable"
        if self.options.served_by_api:
            return _verdict(sid, name, Status.PASS, "this report was served by the API")
        if not self.options.api_url:
            return _verdict(
                sid,
                name,
                Status.UNKNOWN,
                f"not checked (aicmo doctor --probe asks {self.settings.backend_url})",
            )
        url = self.options.api_url.rstrip("/") + "/healthz"
        try:
            import httpx

            response = httpx.get(url, timeout=self.options.timeout_s)
        except Exception as exc:
            return _verdict(
                sid,
                name,
                Status.FAIL,
                f"GET {mask_url(url)}: {type(exc).__name__}",
                "start it with `aicmo api` (or `aicmo serve`), or set AICMO_BACKEND_URL to where it runs",
            )
        seconds = response.elapsed.total_seconds() if response.elapsed else 0.0
        if response.status_code == 200:
            body = _json_or_empty(response)
            return _verdict(
                sid,
                name,
                Status.PASS,
                f"GET {mask_url(url)} -> 200 in {seconds * 1000:.0f} ms (version {body.get('version', '?')})",
            )
        return _verdict(
            sid,
            name,
            Status.FAIL,
            f"GET {mask_url(url)} -> HTTP {response.status_code}",
            "AICMO_BACKEND_URL may point at something that is not the AICMO API",
        )

    def console_entrypoint(self) -> Sentinel:
        sid, name = "console_entrypoint", "Console entrypoint present"
        try:
            spec = find_spec(CONSOLE_MODULE)
        except (ImportError, ValueError) as exc:
            spec, problem = None, f"{type(exc).__name__}: {exc}"
        else:
            problem = "" if spec else f"module {CONSOLE_MODULE} not found"
        if spec is None or not spec.origin:
            return _verdict(sid, name, Status.FAIL, problem, "reinstall the package: pip install -e .")
        if not self.options.installed("streamlit"):
            return _verdict(
                sid,
                name,
                Status.FAIL,
                f"{spec.origin} present but streamlit is not installed",
                "pip install streamlit",
            )
        return _verdict(sid, name, Status.PASS, f"{spec.origin}; start it with `aicmo serve` (or `aicmo ui`)")

    def disk_space(self) -> Sentinel:
        from aicmo.services.disk import disk_space

        places = disk_space(self.settings)
        evidence = "; ".join(p.describe() for p in places)
        if all(p.ok for p in places):
            return _verdict("disk_space", "Disk space", Status.PASS, evidence)
        return _verdict(
            "disk_space",
            "Disk space",
            Status.FAIL,
            evidence,
            "free space on that disk (old exports, logs, backups) or move AICMO_DATA_DIR to a bigger one; "
            "writes fail with 503 when the disk is full",
        )

    def task_engine(self) -> Sentinel:
        sid, name = "task_engine", "Task engine reachable"
        mode, system_url = engine_settings(self.settings)
        if mode != "external":
            return _verdict(
                sid,
                name,
                Status.UNKNOWN,
                f"embedded runner (AICMO_RUNNER_MODE={mode}): jobs run inside the API process; "
                "team mode (AICMO_RUNNER_MODE=external, `aicmo worker`) is checked here",
            )
        if not system_url:
            return _verdict(
                sid,
                name,
                Status.FAIL,
                "AICMO_RUNNER_MODE=external but no engine database URL is configured",
                "set AICMO_ENGINE_DATABASE_URL (or use PostgreSQL for AICMO_DATABASE_URL: schema dbos)",
            )
        return _dbos_system_database(system_url, self.options)


def engine_settings(settings: Settings) -> tuple[str, str]:
    """(runner mode, DBOS system database URL). Settings without the runner's fields (older builds)
    read as the embedded runner."""
    mode = str(getattr(settings, "runner_mode", "") or "embedded").strip().lower()
    try:
        url = str(getattr(settings, "resolved_engine_url", "") or "")
    except Exception:  # a half-configured engine still gets a verdict
        url = ""
    return mode, url.strip()


def _dbos_system_database(url: str, options: SentinelOptions) -> Sentinel:
    sid, name = "task_engine", "Task engine reachable"
    masked = mask_url(url)
    report = validate_database_url(url, installed=options.installed)
    if not report.ok:
        return _verdict(
            sid,
            name,
            Status.FAIL,
            f"system database {report.url}: " + "; ".join(f.message for f in report.errors),
            "; ".join(f.remedy for f in report.errors),
        )
    if report.sqlite_path and not Path(report.sqlite_path).exists():  # do not create it by looking
        return _verdict(
            sid,
            name,
            Status.FAIL,
            f"no engine database file at {report.sqlite_path}",
            "start one worker (`aicmo worker`): it creates the DBOS schema on launch",
        )
    try:
        from sqlalchemy import create_engine, inspect, text

        engine = create_engine(url, **_connect_args(report, options.timeout_s))
        try:
            with engine.connect() as conn:
                schema = "dbos" if conn.dialect.name == "postgresql" else None
                tables = set(inspect(conn).get_table_names(schema=schema))
                if "workflow_status" not in tables:
                    return _verdict(
                        sid,
                        name,
                        Status.FAIL,
                        f"system database {masked} answers but has no DBOS tables yet",
                        "start one worker (`aicmo worker`): it creates the DBOS schema on launch",
                    )
                table = f"{schema}.workflow_status" if schema else "workflow_status"
                counts = dict(
                    conn.execute(text(f"SELECT status, COUNT(*) FROM {table} GROUP BY status")).all()
                )
        finally:
            engine.dispose()
    except Exception as exc:
        return _verdict(
            sid,
            name,
            Status.FAIL,
            f"system database {masked}: {_describe(exc, url)}",
            "check AICMO_ENGINE_DATABASE_URL (or AICMO_DATABASE_URL) and that the server accepts it",
        )
    summary = ", ".join(f"{k.lower()} {v}" for k, v in sorted(counts.items())) or "no workflows yet"
    return _verdict(sid, name, Status.PASS, f"DBOS system database {masked}: {summary}")


def _connect_args(report: DatabaseUrlReport, timeout_s: float) -> dict[str, Any]:
    """A short connect timeout so a dead host is a quick "fail", not a hung doctor."""
    if report.backend == "postgresql" and report.driver in ("psycopg", "psycopg2"):
        return {"connect_args": {"connect_timeout": max(1, round(timeout_s))}}
    if report.backend == "sqlite":
        return {"connect_args": {"timeout": timeout_s}}
    return {}


def _unknown_for_url(sid: str, name: str) -> Sentinel:
    return _verdict(
        sid, name, Status.UNKNOWN, "not checked: the database URL is invalid", "see 'Database URL valid'"
    )


def _import_error(module: str) -> str:
    try:
        importlib.import_module(module)
    except Exception as exc:  # ImportError, or anything a broken module raises at import
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"[:300]
    return ""


def _describe(exc: BaseException, url: str) -> str:
    """One line about an error, with the URL's password masked wherever the driver echoed it."""
    reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    line = f"{type(exc).__name__}: {reason[0] if reason else ''}"[:400]
    return redact_text(line, extra_urls=(url,))


def _json_or_empty(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


SENTINEL_ORDER = (
    "python_runtime",
    "package_import",
    "database_url",
    "database_connectivity",
    "tables_present",
    "migrations_at_head",
    "provider_status",
    "api_reachable",
    "console_entrypoint",
    "disk_space",
    "task_engine",
)


def run_sentinels(settings: Settings, options: SentinelOptions | None = None) -> SentinelReport:
    """Every sentinel, in a fixed order; a check that crashes is reported as a failure, not raised."""
    options = options or SentinelOptions()
    checks = _Checks(settings, options)
    results: list[Sentinel] = []
    try:
        for sid in SENTINEL_ORDER:
            started = time.perf_counter()
            try:
                sentinel = getattr(checks, sid)()
            except Exception as exc:
                sentinel = _verdict(
                    sid,
                    sid.replace("_", " ").capitalize(),
                    Status.FAIL,
                    f"the check itself failed: {_describe(exc, checks.url)}",
                    "report this as a bug",
                )
            sentinel.elapsed_ms = round((time.perf_counter() - started) * 1000, 1)
            results.append(sentinel)
    finally:
        checks.close()
    counts = {s.value: sum(1 for r in results if r.status is s) for s in Status}
    return SentinelReport(
        ok=counts["fail"] == 0,
        counts=counts,
        checked_at=datetime.now(UTC).isoformat(),
        sentinels=results,
    )
