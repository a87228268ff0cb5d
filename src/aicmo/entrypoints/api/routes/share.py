"""The client's view behind a share link: public (no API token), read-only apart from the review.

The signed token in the path is the only credential; it opens one engagement of one client until it
expires (401) and is refused when altered (403).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from aicmo.domain.schemas.sharing import SharedArtifact, SharedDelivery, ShareReview
from aicmo.entrypoints.api.deps import AppDep, UowDep
from aicmo.entrypoints.api.downloads import FILE_RESPONSES, file_response
from aicmo.services import client_review, share_links

router = APIRouter(prefix="/share", tags=["share"])
Token = Annotated[str, Path(max_length=1000)]
Id = Annotated[str, Path(max_length=64)]


@router.get("/{token}")
def get_shared_delivery(token: Token, app: AppDep, uow: UowDep) -> SharedDelivery:
    """The shared engagement's deliverable artifacts (title, Markdown, version, status) and exports."""
    secret = share_links.share_link_secret(app.settings)
    return client_review.shared_delivery(uow, token, secret)


@router.post("/{token}/review")
def review_shared_artifact(token: Token, body: ShareReview, app: AppDep, uow: UowDep) -> SharedArtifact:
    """Approve an artifact, or request changes with a comment; recorded as `client:<name> via share link`."""
    secret = share_links.share_link_secret(app.settings)
    return client_review.review_via_share(uow, token, secret, body)


@router.get("/{token}/exports/{export_id}/download", response_class=Response, responses=FILE_RESPONSES)
def download_shared_export(token: Token, export_id: Id, app: AppDep, uow: UowDep) -> Response:
    secret = share_links.share_link_secret(app.settings)
    return file_response(client_review.download_shared_export(uow, token, secret, export_id))
