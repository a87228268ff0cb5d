"""URL helpers that must never leak a credential."""

from __future__ import annotations

import re

_USERINFO = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^:/@]*)(?::(?P<pw>[^@]*))?@")
_QUERY_SECRET = re.compile(r"(?i)([?&](?:password|passwd|pwd|secret|token|api_key|apikey|key)=)[^&]*")


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
    masked = _hide_unencoded_at(masked)
    return _QUERY_SECRET.sub(r"\1***", masked)


def _hide_unencoded_at(masked: str) -> str:
    """`postgresql://u:p@ss@host/db` (an unencoded '@' in the password) must not show `ss`.

    The first pass masks up to the first '@'; any '@' still left before the path or query means the
    password went on, so everything up to the last one goes too.
    """
    scheme, sep, rest = masked.partition("://")
    if not sep:
        return masked
    end = min((i for i in (rest.find("/"), rest.find("?")) if i >= 0), default=len(rest))
    authority = rest[:end]
    if authority.count("@") < 2:
        return masked
    user = authority.split("@", 1)[0].split(":", 1)[0]
    host = authority.rsplit("@", 1)[1]
    return f"{scheme}://{user}:***@{host}{rest[end:]}"
