"""Structured JSON logs: one object per line, the trace id on every line, secrets never.

`configure_logging(settings)` installs, once per process:
- a LogRecord factory that stamps each record with the current trace id (from
  `aicmo.services.context`) and redacts its message, arguments, exception text and stack before
  any handler sees it (so pytest's caplog, uvicorn's and our handlers all get clean records);
- a stderr handler with `JsonFormatter`, which redacts the finished line once more, `extra=`
  fields included (the logging module attaches those after the factory has run).

Stdlib only (no python-json-logger): the format is the same on every install.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from aicmo.observability.redaction import redact_text, redact_value, register_secrets, settings_secrets
from aicmo.services.context import current_trace_id

HANDLER_NAME = "aicmo-json"
# Attributes every LogRecord has; anything else on a record is an `extra=` field worth keeping.
_STANDARD = set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None))) | {
    "message",
    "asctime",
    "trace_id",
    "color_message",  # uvicorn's ANSI-coloured copy of the message
}

_base_factory = logging.getLogRecordFactory()
_installed = False


def _record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.trace_id = current_trace_id()
    try:
        message = record.getMessage()
    except Exception:  # a bad format string stays the logging module's problem, unredacted args dropped
        message = str(record.msg)
    record.msg, record.args = redact_text(message), None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
    if record.stack_info:
        record.stack_info = redact_text(record.stack_info)
    return record


def install_record_factory() -> None:
    """Redact and stamp every record created from now on, whichever logger or handler it goes to."""
    global _installed
    if not _installed:
        logging.setLogRecordFactory(_record_factory)
        _installed = True


class JsonFormatter(logging.Formatter):
    """`{"ts", "level", "logger", "message", "trace_id", ...extra, "exc"}` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "trace_id": getattr(record, "trace_id", "") or current_trace_id(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = redact_value(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return redact_text(json.dumps(entry, default=str, ensure_ascii=False))


class _CurrentStderr(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at emit time (test runners swap it and close the old one)."""

    @property  # type: ignore[override]
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _value: IO[str]) -> None:
        pass


def configure_logging(
    settings: Any = None, *, stream: IO[str] | None = None, level: str | None = None
) -> None:
    """Send every log record as JSON to `stream` (stderr), redacted; safe to call more than once."""
    if settings is not None:
        register_secrets(settings_secrets(settings))
    install_record_factory()
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = logging.StreamHandler(stream) if stream is not None else _CurrentStderr()
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel((level or getattr(settings, "log_level", None) or "INFO").upper())
    for noisy in ("httpx", "httpcore", "httpx2", "httpcore2", "weasyprint", "fontTools"):  # chatty at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)
