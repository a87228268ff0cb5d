"""Structured logs: JSON lines carrying the trace id, and secrets redacted from every record."""

from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from pydantic import SecretStr

from aicmo.config import Settings
from aicmo.observability.logging import HANDLER_NAME, configure_logging
from aicmo.observability.redaction import redact_text, register_secrets, settings_secrets
from aicmo.services.context import set_trace_id

KEY = "sk-live-LOGTEST-9f8e7d6c5b4a"
PASSWORD = "pg-Pa55-logtest"
ADMIN = "adm-token-logtest-123456"


@pytest.fixture
def json_log(tmp_path: Path) -> io.StringIO:
    stream = io.StringIO()
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url=f"postgresql+psycopg://aicmo:{PASSWORD}@127.0.0.1:5432/aicmo",
        llm_api_key=KEY,
        admin_token=ADMIN,
    )
    configure_logging(settings, stream=stream, level="DEBUG")
    yield stream
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    root.setLevel(logging.WARNING)


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_every_line_is_json_with_the_current_trace_id(json_log: io.StringIO) -> None:
    set_trace_id("trace-abc-12345678")
    logging.getLogger("aicmo.test").info("generated %s in %d ms", "strategy", 42, extra={"step": "strategy"})
    set_trace_id("trace-def-87654321")
    logging.getLogger("some.library").warning("a third-party logger")
    first, second = lines(json_log)
    assert first["message"] == "generated strategy in 42 ms"
    assert first["trace_id"] == "trace-abc-12345678" and first["step"] == "strategy"
    assert first["level"] == "INFO" and first["logger"] == "aicmo.test" and first["ts"].endswith("+00:00")
    assert second["trace_id"] == "trace-def-87654321"


def test_secrets_are_masked_in_messages_arguments_extras_and_tracebacks(
    json_log: io.StringIO, caplog: pytest.LogCaptureFixture
) -> None:
    log = logging.getLogger("aicmo.test")
    url = f"postgresql+psycopg://aicmo:{PASSWORD}@db/aicmo"
    with caplog.at_level(logging.DEBUG):
        log.info("connecting to %s with key %s", url, KEY)
        log.warning("header Authorization: Bearer %s", ADMIN, extra={"settings": {"key": KEY}})
        log.debug("body password=%s&user=x api_key: %s", PASSWORD, KEY)
        try:
            raise RuntimeError(f"could not connect to {url}")
        except RuntimeError:
            log.exception("failed")
    out = json_log.getvalue()
    # pytest's own handler gets records whose message, arguments and traceback are already redacted
    captured = caplog.text + " ".join(f"{r.getMessage()} {r.args} {r.exc_text}" for r in caplog.records)
    for secret in (KEY, PASSWORD, ADMIN):
        assert secret not in out
        assert secret not in captured
    assert "postgresql+psycopg://aicmo:***@db/aicmo" in out
    assert "Bearer ***" in out and "RuntimeError" in out


def test_redact_text_masks_urls_bearer_tokens_key_values_and_known_secrets() -> None:
    register_secrets(["registered-secret-value"])
    text = (
        "url=postgresql://u:pw-xyz-1@h/db token=abcdef123 Authorization: Bearer abcdefghijkl "
        "and registered-secret-value and redis://:only-pw-2@cache:6379/0"
    )
    out = redact_text(text, secrets=["passed-in-secret"])
    assert "pw-xyz-1" not in out and "abcdef123" not in out and "abcdefghijkl" not in out
    assert "registered-secret-value" not in out and "only-pw-2" not in out
    assert "postgresql://u:***@h/db" in out
    assert redact_text("nothing secret here") == "nothing secret here"


def test_settings_secrets_lists_keys_tokens_and_database_passwords(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path,
        database_url="postgresql+psycopg://u:db-pw-1234@h/db",
        llm_api_key=SecretStr("sk-abc-123456"),
        api_token="console-token-9876",
    )
    assert set(settings_secrets(settings)) >= {"db-pw-1234", "sk-abc-123456", "console-token-9876"}
