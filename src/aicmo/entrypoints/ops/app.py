"""AICMO ops shell (`aicmo ops-ui`, or `streamlit run …/ops/app.py`): home, sentinels, diagnostics
and how to launch the console.

Start-up imports only Streamlit and the standard library. Everything from AICMO (settings,
sentinels, the URL validator) is imported inside the page that needs it, and an import that fails
is shown with its remedy instead of taking the shell down: this is the page an operator opens when
the console itself will not start.
"""

from __future__ import annotations

import importlib.util
import os
import platform
import sys
import traceback
from collections.abc import Callable
from importlib import metadata
from typing import Any

import streamlit as st

PAGES = ("Home", "Sentinels", "Diagnostics", "Launch the console")
SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD")
ENV_PREFIXES = ("AICMO_", "DATABASE_URL", "BACKEND_URL", "DBOS_", "STREAMLIT_SERVER_PORT")
REINSTALL = "reinstall AICMO in this environment (pip install -e . in the repository, or pip install aicmo)"
ICON = {"pass": ":green[**pass**]", "fail": ":red[**fail**]", "unknown": ":orange[**unknown**]"}


def _version() -> str:
    try:
        return metadata.version("aicmo")
    except metadata.PackageNotFoundError:
        return "not installed"


def _redact(text: str) -> str:
    """Mask with AICMO's redaction when it imports; else hide the whole value (fail closed)."""
    try:
        from aicmo.observability.redaction import redact_text
    except Exception:
        return "(hidden: redaction unavailable)"
    secrets = [v for k, v in os.environ.items() if any(w in k.upper() for w in SECRET_WORDS) and v]
    return redact_text(text, secrets=secrets, extra_urls=[v for v in os.environ.values() if "://" in v])


def _show_failure(what: str, exc: BaseException, remedy: str) -> None:
    st.error(f"{what} failed: {type(exc).__name__}: {_redact(str(exc))}")
    st.info(f"Remedy: {remedy}")
    with st.expander("Traceback"):
        st.code(_redact("".join(traceback.format_exception(exc))), language="text")


def _guarded(what: str, remedy: str, body: Callable[[], Any]) -> Any:
    """Run one piece of a page; a failure is shown with its remedy and the rest of the page goes on."""
    try:
        return body()
    except Exception as exc:
        _show_failure(what, exc, remedy)
        return None


def _settings() -> Any:
    from aicmo.config import Settings

    return Settings()  # fresh each run: the shell reflects the environment as it is now


# ---- pages -------------------------------------------------------------------------------------
def page_home() -> None:
    st.title("AICMO ops shell")
    st.write(
        "A small, separate app for checking an installation: it starts even when the console or "
        "parts of AICMO are broken. Use **Sentinels** for the health checks, **Diagnostics** for the "
        "environment and configuration (secrets masked), and **Launch the console** for the commands."
    )
    api = os.environ.get("AICMO_BACKEND_URL") or os.environ.get("BACKEND_URL") or "http://127.0.0.1:8000"
    st.markdown(
        f"- AICMO **{_version()}** on Python **{platform.python_version()}** ({sys.executable})\n"
        f"- API expected at `{_redact(api)}`\n"
        "- Command line: `aicmo doctor` prints the same sentinels; `aicmo selftest` runs the rules end to end"
    )


def page_sentinels() -> None:
    st.title("Sentinels")
    probe = st.checkbox("Probe the LLM endpoint and the API (network calls)", value=False, key="probe")

    def run() -> Any:
        from aicmo.services.sentinels import SentinelOptions, run_sentinels

        settings = _settings()
        options = SentinelOptions(probe_provider=probe, api_url=settings.backend_url if probe else None)
        return run_sentinels(settings, options)

    report = _guarded(
        "Loading the sentinels",
        f"{REINSTALL}; then run `aicmo doctor` (or `python -m aicmo.entrypoints.cli.main doctor`) "
        "for the same checks on the command line",
        run,
    )
    if report is None:
        return
    counts = report.counts
    summary = f"{counts['pass']} pass · {counts['fail']} fail · {counts['unknown']} unknown"
    (st.success if report.ok else st.error)(("All sentinels pass: " if report.ok else "Failing: ") + summary)
    for sentinel in report.sentinels:
        st.markdown(
            f"{ICON[sentinel.status.value]} &nbsp; **{sentinel.name}** · {sentinel.elapsed_ms:.0f} ms"
        )
        st.text(sentinel.evidence)
        if sentinel.remedy and sentinel.status.value != "pass":
            st.info(f"Remedy: {sentinel.remedy}")


def _environment_lines() -> list[str]:
    lines = []
    for key in sorted(os.environ):
        if not key.upper().startswith(ENV_PREFIXES):
            continue
        value = os.environ[key]
        shown = "set (hidden)" if any(w in key.upper() for w in SECRET_WORDS) else _redact(value)
        lines.append(f"{key}={shown}")
    return lines or ["(no AICMO_* variables set: defaults apply)"]


def _masked_config() -> list[str]:
    settings = _settings()
    lines = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if hasattr(value, "get_secret_value"):
            shown = "set (hidden)"
        elif value is None:
            shown = "unset"
        else:
            shown = _redact(str(value))
        lines.append(f"{name} = {shown}")
    lines.append(f"resolved database = {settings.masked_database_url}")
    return lines


def page_diagnostics() -> None:
    st.title("Diagnostics")
    st.subheader("Environment")
    st.code("\n".join(_environment_lines()), language="text")
    st.subheader("Configuration (secrets masked)")
    lines = _guarded(
        "Reading the configuration", f"fix the variable named in the error, or {REINSTALL}", _masked_config
    )
    if lines:
        st.code("\n".join(lines), language="text")
    st.subheader("Database URL")
    _guarded("Checking the database URL", REINSTALL, _database_url_report)


def _database_url_report() -> None:
    from aicmo.adapters.db.url import validate_database_url

    settings = _settings()
    report = validate_database_url(settings.resolved_database_url)
    (st.success if report.ok else st.error)(
        f"{report.url} · {report.backend or '?'}+{report.driver or '?'}"
        + (f" · file {report.sqlite_path}" if report.sqlite_path else "")
    )
    if not report.findings:
        st.write("No findings.")
    for finding in report.findings:
        box = {"error": st.error, "warning": st.warning, "info": st.info}[finding.severity]
        box(
            f"{finding.severity}: {finding.message}"
            + (f" — remedy: {finding.remedy}" if finding.remedy else "")
        )


def page_launch() -> None:
    st.title("Launch the console")
    spec = _guarded(
        "Looking for the console",
        REINSTALL,
        lambda: importlib.util.find_spec("aicmo.entrypoints.console.app"),
    )
    if spec is not None and spec.origin:
        st.success(f"Console entrypoint present: {spec.origin}")
    else:
        st.error(f"The console entrypoint is missing. Remedy: {REINSTALL}")
    st.markdown("Everything on one machine (migrates, then starts the API and the console):")
    st.code("aicmo serve                     # API :8000 + console :8501", language="bash")
    st.markdown("Or each part on its own:")
    st.code(
        "aicmo db upgrade                # apply migrations\n"
        "aicmo api --host 0.0.0.0 --port 8000\n"
        "AICMO_BACKEND_URL=http://127.0.0.1:8000 AICMO_API_TOKEN=… aicmo ui --port 8501\n"
        + (f"# or directly: streamlit run {spec.origin}\n" if spec is not None and spec.origin else ""),
        language="bash",
    )
    st.markdown("When something is off: `aicmo doctor` (add `--probe` to call the API and the LLM).")


RENDER: dict[str, Callable[[], None]] = dict(
    zip(PAGES, (page_home, page_sentinels, page_diagnostics, page_launch), strict=True)
)


def main() -> None:
    st.set_page_config(page_title="AICMO ops", page_icon="🩺", layout="wide")
    page = st.sidebar.radio("Page", PAGES, key="page")
    st.sidebar.caption(f"AICMO {_version()} · ops shell")
    RENDER[page]()


main()
