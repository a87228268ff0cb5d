"""Masking secrets out of text: database URLs, bearer tokens, `key=value` credentials and the
configured secrets themselves (provider key, admin and API tokens, database passwords).

Stdlib only, so the ops shell and the logging setup can use it when everything else is broken.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

from aicmo.domain.urls import mask_url

MASK = "***"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary words

_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s'\"<>`]+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[A-Za-z0-9._~+/=\-]{8,}")
_KEY_VALUE = re.compile(
    r"(?i)\b((?:password|passwd|pwd|api[_-]?key|secret|access[_-]?token|auth[_-]?token|token)"
    r"[\"']?\s*[:=]\s*[\"']?)([^\s\"'&,;}]{3,})"
)
_USERINFO_PASSWORD = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://[^:/@]*:(?P<pw>[^@]*)@")

_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()


def url_password(url: str) -> str:
    """The password inside `url`'s userinfo ('' when none); both raw and percent-decoded forms matter."""
    match = _USERINFO_PASSWORD.match(url or "")
    return match["pw"] if match else ""


def register_secrets(values: Iterable[str | None]) -> None:
    """Add values that must never appear in a log line (kept for the life of the process)."""
    from urllib.parse import unquote

    global _secrets
    found: set[str] = set()
    for value in values:
        if not value:
            continue
        for form in (value, unquote(value)):
            if len(form) >= MIN_SECRET_LENGTH:
                found.add(form)
    with _lock:
        _secrets = _secrets | found


def registered_secrets() -> frozenset[str]:
    return _secrets


def settings_secrets(settings: Any) -> list[str]:
    """The secret values a Settings object holds: tokens, the provider key, database passwords."""
    values: list[str] = []
    for name in (
        "llm_api_key",
        "admin_token",
        "api_token",
        "share_link_secret",
        "backup_key",
        "token_key",
        "metrics_token",
    ):
        secret = getattr(settings, name, None)
        if secret is not None:
            values.append(secret.get_secret_value() if hasattr(secret, "get_secret_value") else str(secret))
    for name in ("database_url", "engine_database_url"):
        value = getattr(settings, name, "") or ""
        value = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
        values.append(url_password(value))
    return [v for v in values if v]


def redact_text(text: str, *, secrets: Iterable[str] = (), extra_urls: Iterable[str] = ()) -> str:
    """`text` with URLs masked, bearer tokens and `password=…` pairs hidden, and every known secret
    (registered, passed in, or the password of one of `extra_urls`) replaced by ***."""
    if not text:
        return text
    out = _URL_IN_TEXT.sub(lambda m: mask_url(m.group(0)), text)
    out = _BEARER.sub(lambda m: m.group(1) + MASK, out)
    out = _KEY_VALUE.sub(lambda m: m.group(1) + MASK, out)
    known = set(_secrets)
    known.update(s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH)
    for url in extra_urls:
        password = url_password(url)
        if len(password) >= MIN_SECRET_LENGTH:
            from urllib.parse import unquote

            known.update({password, unquote(password)})
    for secret in sorted(known, key=len, reverse=True):  # longest first: no partial leftovers
        if secret in out:
            out = out.replace(secret, MASK)
    return out


def redact_value(value: Any) -> Any:
    """Redact strings inside plain data (dicts, lists) for structured log fields."""
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact_value(v) for v in value]
    return value
