"""Share links: issue a signed, expiring link to one engagement, and resolve one back to it.

The signing secret is `AICMO_SHARE_LINK_SECRET`; without it one is generated on first use and
kept in `data_dir/share_link_secret` (mode 600), so links survive restarts of a laptop install.
Deleting that file (or changing the setting) revokes every link issued with it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from aicmo.adapters.db.tables import EngagementRow
from aicmo.config import Settings
from aicmo.domain.errors import NotFound
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.sharing import ShareLinkCreate, ShareLinkPublic
from aicmo.domain.share_links import ShareClaims, read_share_token, sign_share_token
from aicmo.services import audit, keys
from aicmo.services.access import require_write
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

SECRET_FILE = keys.SHARE_LINK_FILE
SHARE_PREFIX = "/api/v1/share/"


def share_link_secret(settings: Settings) -> bytes:
    """The configured secret, else the one kept in data_dir (created once, readable by its owner only)."""
    return keys.share_link_secret(settings)


def issue_share_link(
    uow: UnitOfWork,
    principal: Principal,
    engagement_id: str,
    data: ShareLinkCreate,
    secret: bytes,
    *,
    now: datetime | None = None,
) -> ShareLinkPublic:
    """A link to the engagement's read-only client view, valid for `data.expires_in_hours`."""
    require_write(principal)
    engagement = load_engagement(uow, principal, engagement_id)
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    claims = ShareClaims(
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        expires_at=issued + timedelta(hours=data.expires_in_hours),
        link_id=secrets.token_hex(6),
    )
    token = sign_share_token(claims, secret)
    audit.record(
        uow,
        principal,
        "share_link.create",
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        comment=f"client review link {claims.link_id}, expires {claims.expires_at:%Y-%m-%d %H:%M} UTC",
        data={"link_id": claims.link_id, "expires_at": claims.expires_at.isoformat()},
    )
    uow.commit()
    return ShareLinkPublic(
        engagement_id=engagement.id,
        url_path=f"{SHARE_PREFIX}{token}",
        token=token,
        expires_at=claims.expires_at,
    )


def resolve_share(
    uow: UnitOfWork, token: str, secret: bytes, *, now: datetime | None = None
) -> tuple[ShareClaims, EngagementRow]:
    """The claims and engagement behind a genuine, unexpired link (Forbidden / Unauthorized if not)."""
    claims = read_share_token(token, secret, now=now or datetime.now(UTC))
    engagement = uow.engagements.get(claims.engagement_id)
    if engagement is None or engagement.client_id != claims.client_id or engagement.archived:
        raise NotFound("this engagement is no longer shared")
    return claims, engagement
