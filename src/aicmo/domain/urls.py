"""URL helpers that must never leak a credential."""

from __future__ import annotations

import re

_USERINFO = re.compile(
    r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^:/@]*)(?::(?P<pw>[^@]*))?@"
)
_QUERY_SECRET = re.compile(
    r"(?i)([?&](?:password|passwd|pwd|secret|token|api_key|apikey|key)=)[^&]*"
)


def mask_url(url: str) -> str:
    """Return `url` with any password (userinfo or query parameter) replaced by `***`."""
    if not url:
        return url

    def _userinfo(match: re.Match[str]) -> str:
        user = match.group("user") or ""
        if match.group("pw") is None:
            return f"{match.group('scheme')}{user}@"
        return f"{match.group('scheme')}{user}:***@"

    masked = _USERINFO.sub(_userinfo, url, count=1)
    return _QUERY_SECRET.sub(r"\1***", masked)
