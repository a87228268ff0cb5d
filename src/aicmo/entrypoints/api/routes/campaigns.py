"""Campaigns (SPEC §6): create, generate items, the review queue, proof and manual execution, checklist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, status

from aicmo.domain.schemas.campaigns import (
    BulkApproval,
    CampaignCreate,
    CampaignItemPublic,
    CampaignPublic,
    CampaignUpdate,
    Checklist,
    ItemDecision,
    ItemPublished,
    ItemRevision,
    PublishJobPublic,
    PublishRequest,
    WebhookSigningKey,
)
from aicmo.entrypoints.api.deps import AppDep, PrincipalDep, UowDep
from aicmo.services import campaigns, publishing

router = APIRouter(tags=["campaigns"])
Ident = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]
EngagementQuery = Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")]


@router.post("/campaigns", status_code=status.HTTP_201_CREATED)
def create_campaign(body: CampaignCreate, uow: UowDep, principal: PrincipalDep) -> CampaignPublic:
    """A campaign inside the engagement's window (errors name each field)."""
    return campaigns.create_campaign(uow, principal, body)


@router.get("/campaigns")
def list_campaigns(
    engagement_id: EngagementQuery, uow: UowDep, principal: PrincipalDep
) -> list[CampaignPublic]:
    return campaigns.list_campaigns(uow, principal, engagement_id)


@router.get("/campaigns/{campaign_id}")
def get_campaign(campaign_id: Ident, uow: UowDep, principal: PrincipalDep) -> CampaignPublic:
    return campaigns.get_campaign(uow, principal, campaign_id)


@router.patch("/campaigns/{campaign_id}")
def update_campaign(
    campaign_id: Ident, body: CampaignUpdate, uow: UowDep, principal: PrincipalDep
) -> CampaignPublic:
    """Rename a campaign or change its destination (a 409 if it changed since `expected_version`)."""
    return campaigns.update_campaign(uow, principal, campaign_id, body)


@router.post("/campaigns/{campaign_id}/generate")
def generate_items(campaign_id: Ident, uow: UowDep, principal: PrincipalDep) -> list[CampaignItemPublic]:
    """Write the campaign's posts from the approved strategy and creatives (409 GATING_ERROR until they
    are approved; 409 once items exist)."""
    return campaigns.generate_items(uow, principal, campaign_id)


@router.get("/campaigns/{campaign_id}/items")
def list_items(campaign_id: Ident, uow: UowDep, principal: PrincipalDep) -> list[CampaignItemPublic]:
    """The review queue: each item with its platform length, findings, history and posting steps."""
    return campaigns.list_items(uow, principal, campaign_id)


@router.post("/campaigns/{campaign_id}/approve")
def approve_items(
    campaign_id: Ident, body: BulkApproval, uow: UowDep, principal: PrincipalDep
) -> list[CampaignItemPublic]:
    """Approve several items at once (each must pass the quality gates)."""
    return campaigns.approve_items(uow, principal, campaign_id, body)


@router.post("/campaigns/{campaign_id}/proof")
def run_proof(campaign_id: Ident, uow: UowDep, principal: PrincipalDep) -> Checklist:
    """Proof mode: simulate reach and engagements of every approved item; nothing is posted."""
    return campaigns.run_proof(uow, principal, campaign_id)


@router.get("/campaigns/{campaign_id}/checklist")
def get_checklist(campaign_id: Ident, uow: UowDep, principal: PrincipalDep) -> Checklist:
    return campaigns.checklist(uow, principal, campaign_id)


@router.post("/campaign-items/{item_id}/approve")
def approve_item(
    item_id: Ident, body: ItemDecision, uow: UowDep, principal: PrincipalDep
) -> CampaignItemPublic:
    """Approve this version of the item (409 when it fails a quality gate or the version moved on)."""
    return campaigns.approve_item(uow, principal, item_id, body)


@router.post("/campaign-items/{item_id}/reject")
def reject_item(
    item_id: Ident, body: ItemDecision, uow: UowDep, principal: PrincipalDep
) -> CampaignItemPublic:
    """Reject with a reason (required); the item goes back for revision and keeps its history."""
    return campaigns.reject_item(uow, principal, item_id, body)


@router.post("/campaign-items/{item_id}/revise")
def revise_item(
    item_id: Ident, body: ItemRevision, uow: UowDep, principal: PrincipalDep
) -> CampaignItemPublic:
    """A new version of the item's text: back in the queue for approval."""
    return campaigns.revise_item(uow, principal, item_id, body)


@router.post("/campaign-items/{item_id}/published")
def record_published(
    item_id: Ident, body: ItemPublished, uow: UowDep, principal: PrincipalDep
) -> CampaignItemPublic:
    """Manual mode: record the live URL of the approved version posted by hand (validated per platform)."""
    return campaigns.record_published(uow, principal, item_id, body)


@router.post("/campaigns/{campaign_id}/publish")
def publish(
    campaign_id: Ident, body: PublishRequest, app: AppDep, uow: UowDep, principal: PrincipalDep
) -> list[PublishJobPublic]:
    """Live mode: queue approved item versions for the publishing adapter (durable jobs; each sent
    with an idempotency key stable per version). Only an approval of the exact version publishes."""
    jobs, dispatch = publishing.enqueue(uow, principal, campaign_id, body)
    app.dispatch(dispatch)
    return jobs


@router.get("/campaigns/{campaign_id}/publish-jobs")
def list_publish_jobs(campaign_id: Ident, uow: UowDep, principal: PrincipalDep) -> list[PublishJobPublic]:
    """Live mode: every publish job with its status, attempts, provider id or error."""
    return publishing.list_jobs(uow, principal, campaign_id)


@router.get("/publishing/webhook-key")
def webhook_signing_key(app: AppDep, principal: PrincipalDep) -> WebhookSigningKey:
    """The Ed25519 public key a client's webhook receiver checks `X-AICMO-Signature-Ed25519` with:
    no secret, the same for every campaign of this deployment (404 while webhooks are not set up)."""
    del principal  # any signed-in caller: it is public
    return publishing.webhook_signing_key(app.publishing)


@router.post("/publish-jobs/{job_id}/retry")
def retry_publish_job(job_id: Ident, app: AppDep, uow: UowDep, principal: PrincipalDep) -> PublishJobPublic:
    """Send a failed publish job again (same version, same idempotency key)."""
    job, dispatch = publishing.retry_job(uow, principal, job_id)
    app.dispatch(dispatch)
    return job


@router.post("/campaign-items/{item_id}/regenerate")
def regenerate_item(
    item_id: Ident, body: ItemDecision, uow: UowDep, principal: PrincipalDep
) -> CampaignItemPublic:
    """A rejected item rewritten by the same generator and gates, as a new version in the queue
    (its history keeps the rejected text and the reason)."""
    return campaigns.regenerate_item(uow, principal, item_id, body)
