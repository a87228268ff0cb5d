"""Delivery (SPEC §1 tab 8): the manifest and its checks, exports and their downloads, per-artifact
Markdown / JSON, share links for client review, and the client reviews left through them.

The public client view behind a share link lives in `share.py`, included here with its own tag.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import Response

from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.exports import (
    ArtifactFormat,
    DeliveryManifest,
    ExportCreate,
    ExportPublic,
)
from aicmo.domain.schemas.sharing import (
    ClientReviewPublic,
    OverdueReview,
    ShareLinkCreate,
    ShareLinkPublic,
    ShareLinkRevoked,
    ShareLinkSummary,
)
from aicmo.entrypoints.api.deps import AppDep, Limit, Offset, PrincipalDep, UowDep
from aicmo.entrypoints.api.downloads import FILE_RESPONSES, file_response
from aicmo.entrypoints.api.routes import share
from aicmo.services import client_review, exports, review_page, share_links

router = APIRouter()  # what api/main.py includes: the routes below, and the public share routes
delivery = APIRouter(tags=["exports"])
Id = Annotated[str, Path(max_length=64)]


@delivery.get("/engagements/{engagement_id}/delivery/manifest")
def get_delivery_manifest(engagement_id: Id, uow: UowDep, principal: PrincipalDep) -> DeliveryManifest:
    """What would be delivered now: the artifact versions, each check with its reasons, the content hash."""
    return exports.delivery_manifest(uow, principal, engagement_id)


@delivery.post("/engagements/{engagement_id}/exports", status_code=status.HTTP_201_CREATED)
def create_export(
    engagement_id: Id, body: ExportCreate, uow: UowDep, principal: PrincipalDep
) -> ExportPublic:
    """Render and store an export (PDF, PPTX, ZIP, MD, JSON); 409 GATING_ERROR names every failing check."""
    return exports.create_export(uow, principal, engagement_id, body.format)


@delivery.get("/engagements/{engagement_id}/exports")
def list_exports(
    engagement_id: Id, uow: UowDep, principal: PrincipalDep, limit: Limit = 50, offset: Offset = 0
) -> Page[ExportPublic]:
    """Who exported what, and when: newest first."""
    return exports.list_exports(uow, principal, engagement_id, limit=limit, offset=offset)


@delivery.get("/exports/{export_id}/download", response_class=Response, responses=FILE_RESPONSES)
def download_export(export_id: Id, uow: UowDep, principal: PrincipalDep) -> Response:
    return file_response(exports.download_export(uow, principal, export_id))


@delivery.get("/artifacts/{artifact_id}/export", response_class=Response, responses=FILE_RESPONSES)
def export_artifact(
    artifact_id: Id,
    uow: UowDep,
    principal: PrincipalDep,
    format: Annotated[ArtifactFormat, Query()] = ArtifactFormat.MD,
) -> Response:
    """One approved artifact as Markdown or JSON; 409 names its status when it is not approved."""
    return file_response(exports.export_artifact(uow, principal, artifact_id, format))


@delivery.post("/engagements/{engagement_id}/share-links", status_code=status.HTTP_201_CREATED)
def create_share_link(
    engagement_id: Id,
    body: ShareLinkCreate,
    request: Request,
    app: AppDep,
    uow: UowDep,
    principal: PrincipalDep,
) -> ShareLinkPublic:
    """A signed link to the client's review page (`url`, no login), valid 1 to 720 hours; built on
    AICMO_PUBLIC_URL when set, else on the address this request came to."""
    secret = share_links.share_link_secret(app.settings)
    base = app.settings.public_url or str(request.base_url)
    return share_links.issue_share_link(uow, principal, engagement_id, body, secret, base_url=base)


@delivery.get("/engagements/{engagement_id}/share-links")
def list_share_links(engagement_id: Id, uow: UowDep, principal: PrincipalDep) -> Page[ShareLinkSummary]:
    """Every review link issued for the engagement: terms, active / expired / revoked, overdue."""
    found = review_page.share_link_list(uow, principal, engagement_id)
    return Page[ShareLinkSummary](data=found, count=len(found))


@delivery.post("/engagements/{engagement_id}/share-links/{link_id}/revoke")
def revoke_share_link(
    engagement_id: Id,
    link_id: Annotated[str, Path(pattern=r"^[0-9a-f]{1,32}$")],
    uow: UowDep,
    principal: PrincipalDep,
) -> ShareLinkRevoked:
    """Take back one share link (by the `link_id` its creation returned); the client sees 401 from
    then on, other links keep working."""
    return share_links.revoke_share_link(uow, principal, engagement_id, link_id)


@delivery.get("/engagements/{engagement_id}/reviews")
def list_client_reviews(
    engagement_id: Id, uow: UowDep, principal: PrincipalDep, limit: Limit = 50, offset: Offset = 0
) -> Page[ClientReviewPublic]:
    """Client approvals and change requests (with their comments), from the audit trail."""
    return client_review.list_reviews(uow, principal, engagement_id, limit=limit, offset=offset)


@delivery.get("/engagements/{engagement_id}/reviews/overdue")
def list_overdue_reviews(engagement_id: Id, uow: UowDep, principal: PrincipalDep) -> Page[OverdueReview]:
    """Share links past their review due date while a deliverable still awaits the client."""
    found = review_page.overdue_reviews(uow, principal, engagement_id)
    return Page[OverdueReview](data=found, count=len(found))


router.include_router(delivery)
router.include_router(share.router)
