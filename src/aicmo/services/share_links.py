"""Share links: issue a signed, expiring link to one engagement, and resolve one back to it.

The signing secret is `AICMO_SHARE_LINK_SECRET`; without it one is generated on first use and
kept in `data_dir/share_link_secret` (mode 600), so links survive restarts of a laptop install.
Deleting that file (or changing the setting) revokes every link issued with it.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aicmo.config import Settings
from aicmo.domain.errors import Invalid, NotFound, Unauthorized
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.sharing import ShareLinkCreate, ShareLinkPublic, ShareLinkRevoked
from aicmo.domain.share_links import ShareClaims, read_share_token, sign_share_token
from aicmo.services import audit, keys
from aicmo.services.access import require_write
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import EngagementRow

SECRET_FILE = keys.SHARE_LINK_FILE
SHARE_PREFIX = "/api/v1/share/"
REVIEW_PREFIX = "/review/"


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
    base_url: str = "",
    now: datetime | None = None,
) -> ShareLinkPublic:
    """A link to the engagement's client review page, valid for `data.expires_in_hours`.

    `base_url` is where the client reaches the API (AICMO_PUBLIC_URL, else the request's address).
    """
    require_write(principal)
    engagement = load_engagement(uow, principal, engagement_id)
    issued = (now or datetime.now(UTC)).replace(microsecond=0)
    if data.review_due is not None and data.review_due < issued.date():
        raise Invalid(
            "the review cannot be due in the past",
            [{"field": "review_due", "message": f"{data.review_due} is before today ({issued.date()})"}],
        )
    claims = ShareClaims(
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        expires_at=issued + timedelta(hours=data.expires_in_hours),
        link_id=secrets.token_hex(6),
        review_due=data.review_due,
    )
    token = sign_share_token(claims, secret)
    due = f", review due {data.review_due:%Y-%m-%d}" if data.review_due else ""
    audit.record(
        uow,
        principal,
        "share_link.create",
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        comment=f"client review link {claims.link_id}, expires {claims.expires_at:%Y-%m-%d %H:%M} UTC{due}",
        data={
            "link_id": claims.link_id,
            "expires_at": claims.expires_at.isoformat(),
            "review_due": data.review_due.isoformat() if data.review_due else None,
        },
    )
    uow.commit()
    return ShareLinkPublic(
        engagement_id=engagement.id,
        link_id=claims.link_id,
        url=f"{base_url.rstrip('/')}{REVIEW_PREFIX}{token}",
        url_path=f"{SHARE_PREFIX}{token}",
        token=token,
        expires_at=claims.expires_at,
        review_due=data.review_due,
    )


def resolve_share(
    uow: UnitOfWork, token: str, secret: bytes, *, now: datetime | None = None
) -> tuple[ShareClaims, EngagementRow]:
    """The claims and engagement behind a genuine, unexpired link (Forbidden / Unauthorized if not)."""
    claims = read_share_token(token, secret, now=now or datetime.now(UTC))
    if uow.share_links.revocation(claims.link_id) is not None:
        raise Unauthorized("this share link was revoked: ask the agency for a new one")
    engagement = uow.engagements.get(claims.engagement_id)
    if engagement is None or engagement.client_id != claims.client_id or engagement.archived:
        raise NotFound("this engagement is no longer shared")
    return claims, engagement


def revoke_share_link(
    uow: UnitOfWork, principal: Principal, engagement_id: str, link_id: str
) -> ShareLinkRevoked:
    """Take back one link of the engagement (the others keep working); revoking twice is harmless."""
    require_write(principal)
    engagement = load_engagement(uow, principal, engagement_id)
    row = uow.share_links.revocation(link_id)
    if row is not None and row.engagement_id != engagement.id:
        raise NotFound(f"share link {link_id} not found")
    if row is None:
        row = uow.share_links.revoke(link_id, engagement.id, principal.name)
        audit.record(
            uow,
            principal,
            "share_link.revoke",
            client_id=engagement.client_id,
            engagement_id=engagement.id,
            comment=f"client review link {link_id} revoked",
            data={"link_id": link_id},
        )
        uow.flush()
    uow.commit()
    return ShareLinkRevoked(engagement_id=engagement.id, link_id=link_id, revoked_at=row.revoked_at)
