"""The console's only way to the backend: a small typed HTTP client over the AICMO API.

Every answer is decoded into a pydantic model from `aicmo.domain.schemas` (or a small view model
here when the API has no domain schema for it). Failures become one of three exceptions:

- `ApiUnreachable`: nothing answered at the configured URL (the tab shows how to start the API);
- `ApiError`: the API answered with its error envelope (type, message, field details, trace id);
- `NotAvailable` (an `ApiError`): the route does not exist in this build (404 on an optional route).

GET answers are memoised for the lifetime of one client object (one script run); any write clears
the memo so a tab never shows what it has just changed in its old state.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, TypeAdapter

from aicmo.domain.schemas.campaigns import (
    CampaignItemPublic,
    CampaignPublic,
    Checklist,
    PublishJobPublic,
    WebhookSigningKey,
)
from aicmo.domain.schemas.common import Page
from aicmo.domain.schemas.envelope import Envelope
from aicmo.domain.schemas.exports import DeliveryManifest, ExportPublic
from aicmo.domain.schemas.generation import IntakeValidation
from aicmo.domain.schemas.leads import LeadBatchPublic, LeadBulkMoveResult, LeadImportResult, LeadPublic
from aicmo.domain.schemas.learning import LearningReport
from aicmo.domain.schemas.listening import ListeningReport, MentionImportResult
from aicmo.domain.schemas.metrics import GoalReport, KpiReport, MetricImportResult
from aicmo.domain.schemas.outreach import EnrolResult, RunResult, SequencePublic, SuppressionPublic
from aicmo.domain.schemas.plans import JobPublic, PlanPublic, PlanRunResult
from aicmo.domain.schemas.projects import Dashboard, EngagementOverview, Pipeline, PmView
from aicmo.domain.schemas.proposals import ProposalDetail, ProposalPublic
from aicmo.domain.schemas.resources import (
    ArtifactDiff,
    ArtifactPublic,
    ArtifactVersionPublic,
    AuditEntryPublic,
    ClientPublic,
    EngagementPublic,
    GatingPublic,
)
from aicmo.domain.schemas.sharing import (
    ClientReviewPublic,
    OverdueReview,
    ShareLinkPublic,
    ShareLinkSummary,
)
from aicmo.domain.schemas.system import SystemStatus

DEFAULT_BACKEND_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = httpx.Timeout(15.0, connect=3.0)
GENERATE_TIMEOUT = httpx.Timeout(180.0, connect=3.0)

M = TypeVar("M", bound=BaseModel)


# ---- configuration ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ApiConfig:
    base_url: str = DEFAULT_BACKEND_URL
    token: str = field(default="", repr=False)

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> ApiConfig:
        """AICMO_BACKEND_URL (or BACKEND_URL) and AICMO_API_TOKEN."""
        env = dict(os.environ) if env is None else env
        url = env.get("AICMO_BACKEND_URL") or env.get("BACKEND_URL") or DEFAULT_BACKEND_URL
        return cls(base_url=url.strip().rstrip("/"), token=env.get("AICMO_API_TOKEN", "").strip())


# ---- errors -----------------------------------------------------------------------------------
class FieldError(BaseModel):
    """One detail of the error envelope; most name the field they are about."""

    model_config = ConfigDict(extra="allow")

    field: str = ""
    message: str = ""
    code: str = ""


class ApiUnreachable(Exception):
    """Nothing answered at the backend URL (connection refused, DNS, connect timeout)."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"API unreachable at {url}: {reason}")
        self.url = url
        self.reason = reason


class ApiError(Exception):
    """The API answered with its error envelope."""

    def __init__(
        self,
        status_code: int,
        type: str,
        message: str,
        details: list[FieldError] | None = None,
        trace_id: str = "",
        body: Any = None,
    ) -> None:
        super().__init__(f"{type}: {message}")
        self.status_code = status_code
        self.type = type
        self.message = message
        self.details = details or []
        self.trace_id = trace_id
        self.body = body

    @property
    def is_conflict(self) -> bool:
        return self.status_code == 409 and self.type in {"CONFLICT", "INVALID_TRANSITION"}

    @property
    def is_gating(self) -> bool:
        return self.type == "GATING_ERROR"

    def field_messages(self) -> dict[str, list[str]]:
        """Detail messages grouped by field ('' for those naming none)."""
        grouped: dict[str, list[str]] = {}
        for detail in self.details:
            grouped.setdefault(detail.field, []).append(detail.message or detail.code)
        return grouped

    def reasons(self) -> list[str]:
        """Human-readable detail lines (gating reasons, field messages, ...)."""
        lines = []
        for detail in self.details:
            extra = detail.model_extra or {}
            text = detail.message or str(extra.get("reason", "")) or detail.code
            lines.append(f"{detail.field}: {text}" if detail.field and detail.field not in text else text)
        return [line for line in lines if line]


class NotAvailable(ApiError):
    """The route is not part of this build (it answered 404 for the path itself)."""


class ApiTimeout(ApiError):
    def __init__(self, url: str) -> None:
        super().__init__(0, "TIMEOUT", f"the API at {url} did not answer in time")


# ---- view models for answers without a domain schema --------------------------------------------
class _Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class Whoami(_Lenient):
    name: str = ""
    role: str = ""
    client_id: str | None = None


# ---- the client -------------------------------------------------------------------------------
class ApiClient:
    """Typed calls to /api/v1. One object per script run; share `http` across runs."""

    def __init__(self, config: ApiConfig, http: httpx.Client | None = None) -> None:
        self.config = config
        self.base_url = config.base_url
        self._http = http or make_http_client()
        self._memo: dict[tuple[str, str], Any] = {}

    # ---- plumbing -------------------------------------------------------------------------
    def clear_cache(self) -> None:
        self._memo.clear()

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.config.token}"} if self.config.token else {}

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        timeout: httpx.Timeout | None = None,
        optional_route: bool = False,
    ) -> Any:
        """Send one request; decode JSON or raise ApiUnreachable / ApiError / NotAvailable."""
        query = {k: v for k, v in (params or {}).items() if v is not None}
        key = (path, repr(sorted(query.items())))
        if method == "GET" and key in self._memo:
            return self._memo[key]
        if method != "GET":
            self._memo.clear()
        url = f"{self.base_url}{path}"
        try:
            response = self._http.request(
                method,
                url,
                json=json,
                params=query or None,
                headers=self._headers(),
                timeout=timeout or DEFAULT_TIMEOUT,
            )
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
            raise ApiUnreachable(self.base_url, _reason(exc)) from None
        except httpx.TimeoutException:
            raise ApiTimeout(self.base_url) from None
        except httpx.HTTPError as exc:
            raise ApiUnreachable(self.base_url, _reason(exc)) from None
        body = _json(response)
        if response.status_code >= 400:
            raise _error(response.status_code, body, optional_route, response.headers.get("x-trace-id", ""))
        if method == "GET":
            self._memo[key] = body
        return body

    def _get(self, path: str, model: type[M], **params: Any) -> M:
        return model.model_validate(self.request("GET", path, params=params))

    def _post(self, path: str, model: type[M], body: Any = None, **kwargs: Any) -> M:
        return model.model_validate(
            self.request("POST", path, json=body if body is not None else {}, **kwargs)
        )

    # ---- health and system ---------------------------------------------------------------
    def healthz(self) -> dict[str, Any]:
        return self.request("GET", "/healthz")

    def readyz(self) -> dict[str, Any]:
        """Readiness answers 503 with a body when not ready; both are answers, not errors."""
        try:
            return self.request("GET", "/readyz")
        except ApiError as exc:
            if isinstance(exc.body, dict) and "database" in exc.body:
                return exc.body
            raise

    def system_status(self) -> SystemStatus:
        return self._get("/api/v1/system/status", SystemStatus)

    def whoami(self) -> Whoami:
        return self._get("/api/v1/tokens/me", Whoami)

    def ops(self, name: str, *, method: str = "GET", body: Any = None) -> Any:
        """Optional operations routes (sentinels, bootstrap, selftest, costs): NotAvailable on 404."""
        return self.request(
            method,
            f"/api/v1/system/{name}",
            json=body if method != "GET" else None,
            optional_route=True,
            timeout=GENERATE_TIMEOUT if method != "GET" else None,
        )

    # ---- clients and engagements ---------------------------------------------------------
    def list_clients(self) -> list[ClientPublic]:
        return _page(self.request("GET", "/api/v1/clients", params={"limit": 200}), ClientPublic)

    def get_client(self, client_id: str) -> ClientPublic:
        return self._get(f"/api/v1/clients/{client_id}", ClientPublic)

    def create_client(self, name: str, industry: str = "", website: str = "") -> ClientPublic:
        body = {"name": name, "industry": industry, "website": website}
        return self._post("/api/v1/clients", ClientPublic, body)

    def list_engagements(self, client_id: str) -> list[EngagementPublic]:
        body = self.request("GET", "/api/v1/engagements", params={"client_id": client_id, "limit": 200})
        return _page(body, EngagementPublic)

    def get_engagement(self, engagement_id: str) -> EngagementPublic:
        return self._get(f"/api/v1/engagements/{engagement_id}", EngagementPublic)

    def create_engagement(self, client_id: str, name: str, **fields: Any) -> EngagementPublic:
        body = {"client_id": client_id, "name": name, **{k: v for k, v in fields.items() if v is not None}}
        return self._post("/api/v1/engagements", EngagementPublic, _jsonable(body))

    def update_engagement(self, engagement_id: str, **fields: Any) -> EngagementPublic:
        body = self.request("PATCH", f"/api/v1/engagements/{engagement_id}", json=_jsonable(fields))
        return EngagementPublic.model_validate(body)

    def gating(self, engagement_id: str, module: str) -> GatingPublic:
        return self._get(f"/api/v1/engagements/{engagement_id}/gating/{module}", GatingPublic)

    # ---- artifacts -------------------------------------------------------------------------
    def list_artifacts(self, engagement_id: str) -> list[ArtifactPublic]:
        body = self.request("GET", "/api/v1/artifacts", params={"engagement_id": engagement_id, "limit": 200})
        return _page(body, ArtifactPublic)

    def find_artifact(self, engagement_id: str, module: str) -> ArtifactPublic | None:
        """The engagement's artifact of one type (there is at most one), or None."""
        return next((a for a in self.list_artifacts(engagement_id) if a.type.value == module), None)

    def get_artifact(self, artifact_id: str) -> ArtifactPublic:
        return self._get(f"/api/v1/artifacts/{artifact_id}", ArtifactPublic)

    def amend(
        self,
        artifact_id: str,
        expected_version: int,
        *,
        notes: str | None = None,
        content: dict[str, Any] | None = None,
    ) -> ArtifactPublic:
        """A new version: `content` holds the fields to replace; the API renders the Markdown."""
        body: dict[str, Any] = {"expected_version": expected_version}
        for name, value in (("notes", notes), ("content", content)):
            if value is not None:
                body[name] = value
        return self._post(f"/api/v1/artifacts/{artifact_id}/amend", ArtifactPublic, body)

    def decide(
        self, artifact_id: str, action: str, expected_version: int | None = None, comment: str = ""
    ) -> ArtifactPublic:
        """approve | revoke | archive | reject (reject needs a comment)."""
        body: dict[str, Any] = {"comment": comment}
        if expected_version is not None:
            body["expected_version"] = expected_version
        return self._post(f"/api/v1/artifacts/{artifact_id}/{action}", ArtifactPublic, body)

    def versions(self, artifact_id: str) -> list[ArtifactVersionPublic]:
        body = self.request("GET", f"/api/v1/artifacts/{artifact_id}/versions")
        return TypeAdapter(list[ArtifactVersionPublic]).validate_python(body)

    def diff(self, artifact_id: str, from_version: int, to_version: int) -> ArtifactDiff:
        return self._get(
            f"/api/v1/artifacts/{artifact_id}/diff", ArtifactDiff, **{"from": from_version, "to": to_version}
        )

    def audit(
        self, *, engagement_id: str | None = None, artifact_id: str | None = None, limit: int = 50
    ) -> list[AuditEntryPublic]:
        params = {"engagement_id": engagement_id, "artifact_id": artifact_id, "limit": limit}
        return _page(self.request("GET", "/api/v1/audit", params=params), AuditEntryPublic)

    # ---- generation ------------------------------------------------------------------------
    def validate_intake(self, intake: dict[str, Any], *, review: bool = False) -> IntakeValidation:
        body = {"intake": intake, "review": review}
        return self._post("/api/v1/intake/validate", IntakeValidation, body)

    def generate(
        self,
        module: str,
        engagement_id: str,
        *,
        intake: dict[str, Any] | None = None,
        expected_version: int | None = None,
        auto_approve: bool = False,
    ) -> Envelope:
        body: dict[str, Any] = {"engagement_id": engagement_id}
        if intake is not None:
            body["intake"] = intake
        if expected_version is not None:
            body["expected_version"] = expected_version
        if auto_approve:
            body["auto_approve"] = True
        return self._post(f"/api/v1/{module}/generate", Envelope, body, timeout=GENERATE_TIMEOUT)

    # ---- leads ----------------------------------------------------------------------------
    def list_leads(
        self,
        client_id: str,
        *,
        status: str | None = None,
        tier: str | None = None,
        q: str | None = None,
        limit: int = 200,
    ) -> list[LeadPublic]:
        params = {"client_id": client_id, "status": status, "tier": tier, "q": q, "limit": limit}
        body = self.request("GET", "/api/v1/leads", params={k: v for k, v in params.items() if v is not None})
        return _page(body, LeadPublic)

    def import_leads(
        self, client_id: str, csv_file: str | bytes, engagement_id: str | None = None, filename: str = ""
    ) -> LeadImportResult:
        """Text goes as `csv`; a file's bytes as `csv_base64`, so the API detects their encoding."""
        body: dict[str, str | None] = {
            "client_id": client_id,
            "engagement_id": engagement_id,
            "filename": filename,
        }
        if isinstance(csv_file, bytes):
            body["csv_base64"] = base64.b64encode(csv_file).decode("ascii")
        else:
            body["csv"] = csv_file
        return self._post("/api/v1/leads/import", LeadImportResult, body)

    def lead_batches(self, client_id: str) -> list[LeadBatchPublic]:
        body = self.request("GET", "/api/v1/leads/batches", params={"client_id": client_id})
        return [LeadBatchPublic.model_validate(b) for b in body]

    def undo_lead_batch(self, batch_id: str) -> LeadBatchPublic:
        return self._post(f"/api/v1/leads/batches/{batch_id}/undo", LeadBatchPublic)

    def bulk_move_leads(
        self, client_id: str, lead_ids: list[str], status: str, reason: str = ""
    ) -> LeadBulkMoveResult:
        body = {"client_id": client_id, "lead_ids": lead_ids, "status": status, "reason": reason}
        return self._post("/api/v1/leads/bulk-status", LeadBulkMoveResult, body)

    def move_lead(self, lead_id: str, status: str, expected_version: int, reason: str = "") -> LeadPublic:
        body = {"status": status, "expected_version": expected_version, "reason": reason}
        return self._post(f"/api/v1/leads/{lead_id}/status", LeadPublic, body)

    # ---- outreach (SPEC §7) ---------------------------------------------------------------
    def list_sequences(self, client_id: str) -> list[SequencePublic]:
        body = self.request("GET", "/api/v1/outreach/sequences", params={"client_id": client_id})
        return [SequencePublic.model_validate(s) for s in body]

    def create_sequence(self, body: dict[str, Any]) -> SequencePublic:
        return self._post("/api/v1/outreach/sequences", SequencePublic, body)

    def enrol(self, sequence_id: str, body: dict[str, Any]) -> EnrolResult:
        return self._post(f"/api/v1/outreach/sequences/{sequence_id}/enrol", EnrolResult, body)

    def run_sequence(self, sequence_id: str, limit: int = 500) -> RunResult:
        return self._post(f"/api/v1/outreach/sequences/{sequence_id}/run", RunResult, {"limit": limit})

    def outreach_sends(self, sequence_id: str) -> list[dict[str, str]]:
        return list(self.request("GET", f"/api/v1/outreach/sequences/{sequence_id}/sends"))

    def suppressions(self, client_id: str) -> list[SuppressionPublic]:
        body = self.request("GET", "/api/v1/outreach/suppressions", params={"client_id": client_id})
        return [SuppressionPublic.model_validate(s) for s in body]

    def add_suppressions(
        self, client_id: str, emails: list[str], reason: str = "SUPPRESSED", note: str = ""
    ) -> list[SuppressionPublic]:
        body = {"client_id": client_id, "emails": emails, "reason": reason, "note": note}
        answer = self.request("POST", "/api/v1/outreach/suppressions", json=body)
        return [SuppressionPublic.model_validate(s) for s in answer]

    # ---- performance data -------------------------------------------------------------------
    def import_metrics(
        self, engagement_id: str, csv_text: str, filename: str = "", mapping: dict[str, str] | None = None
    ) -> MetricImportResult:
        body = {
            "engagement_id": engagement_id,
            "csv": csv_text,
            "filename": filename,
            "mapping": mapping or {},
        }
        return self._post("/api/v1/metrics/import", MetricImportResult, body)

    def kpi_report(self, engagement_id: str) -> KpiReport:
        return self._get("/api/v1/metrics/kpis", KpiReport, engagement_id=engagement_id)

    def learning_report(self, engagement_id: str) -> LearningReport:
        return self._get("/api/v1/metrics/insights", LearningReport, engagement_id=engagement_id)

    def import_mentions(
        self, engagement_id: str, csv_text: str, filename: str = "", mapping: dict[str, str] | None = None
    ) -> MentionImportResult:
        body = {
            "engagement_id": engagement_id,
            "csv": csv_text,
            "filename": filename,
            "mapping": mapping or {},
        }
        return self._post("/api/v1/listening/import", MentionImportResult, body)

    def listening_report(self, engagement_id: str) -> ListeningReport:
        return self._get("/api/v1/listening/report", ListeningReport, engagement_id=engagement_id)

    def pipeline(self) -> Pipeline:
        return self._get("/api/v1/projects", Pipeline)

    def goals(self, engagement_id: str) -> GoalReport:
        return self._get("/api/v1/metrics/goals", GoalReport, engagement_id=engagement_id)

    def pm_view(self, engagement_id: str) -> PmView:
        return self._get(f"/api/v1/projects/{engagement_id}/pm", PmView)

    def dashboard(self, engagement_id: str) -> Dashboard:
        return self._get(f"/api/v1/projects/{engagement_id}/dashboard", Dashboard)

    def overview(self, engagement_id: str) -> EngagementOverview:
        return self._get(f"/api/v1/projects/{engagement_id}/overview", EngagementOverview)

    # ---- campaigns ------------------------------------------------------------------------
    def list_campaigns(self, engagement_id: str) -> list[CampaignPublic]:
        body = self.request("GET", "/api/v1/campaigns", params={"engagement_id": engagement_id})
        return TypeAdapter(list[CampaignPublic]).validate_python(body)

    def create_campaign(self, body: dict[str, Any]) -> CampaignPublic:
        return self._post("/api/v1/campaigns", CampaignPublic, body)

    def update_campaign(self, campaign_id: str, body: dict[str, Any]) -> CampaignPublic:
        return CampaignPublic.model_validate(
            self.request("PATCH", f"/api/v1/campaigns/{campaign_id}", json=body)
        )

    def campaign_items(self, campaign_id: str) -> list[CampaignItemPublic]:
        body = self.request("GET", f"/api/v1/campaigns/{campaign_id}/items")
        return TypeAdapter(list[CampaignItemPublic]).validate_python(body)

    def campaign_action(self, path: str, body: dict[str, Any] | None = None) -> Any:
        """POST to a campaign or item route (`/campaigns/{id}/generate`, `/campaign-items/{id}/approve` …)."""
        return self.request("POST", f"/api/v1{path}", json=body or {}, timeout=GENERATE_TIMEOUT)

    def campaign_checklist(self, campaign_id: str) -> Checklist:
        return self._get(f"/api/v1/campaigns/{campaign_id}/checklist", Checklist)

    def webhook_signing_key(self) -> WebhookSigningKey:
        return self._get("/api/v1/publishing/webhook-key", WebhookSigningKey)

    def publish_jobs(self, campaign_id: str) -> list[PublishJobPublic]:
        body = self.request("GET", f"/api/v1/campaigns/{campaign_id}/publish-jobs")
        return TypeAdapter(list[PublishJobPublic]).validate_python(body)

    # ---- delivery -------------------------------------------------------------------------
    def delivery_manifest(self, engagement_id: str) -> DeliveryManifest:
        """NotAvailable when this build has no delivery routes."""
        body = self.request(
            "GET", f"/api/v1/engagements/{engagement_id}/delivery/manifest", optional_route=True
        )
        return DeliveryManifest.model_validate(body)

    def create_export(self, engagement_id: str, format: str) -> ExportPublic:
        return self._post(
            f"/api/v1/engagements/{engagement_id}/exports",
            ExportPublic,
            {"format": format},
            timeout=GENERATE_TIMEOUT,
        )

    def list_exports(self, engagement_id: str) -> list[ExportPublic]:
        body = self.request("GET", f"/api/v1/engagements/{engagement_id}/exports", params={"limit": 20})
        return _page(body, ExportPublic)

    def create_share_link(
        self, engagement_id: str, hours: int, review_due: date | None = None
    ) -> ShareLinkPublic:
        body: dict[str, Any] = {"expires_in_hours": hours}
        if review_due is not None:
            body["review_due"] = review_due.isoformat()
        return self._post(f"/api/v1/engagements/{engagement_id}/share-links", ShareLinkPublic, body)

    def share_links(self, engagement_id: str) -> list[ShareLinkSummary]:
        body = self.request("GET", f"/api/v1/engagements/{engagement_id}/share-links")
        return _page(body, ShareLinkSummary)

    def revoke_share_link(self, engagement_id: str, link_id: str) -> None:
        self.request("POST", f"/api/v1/engagements/{engagement_id}/share-links/{link_id}/revoke")

    def overdue_reviews(self, engagement_id: str) -> list[OverdueReview]:
        body = self.request("GET", f"/api/v1/engagements/{engagement_id}/reviews/overdue")
        return _page(body, OverdueReview)

    def client_reviews(self, engagement_id: str) -> list[ClientReviewPublic]:
        body = self.request("GET", f"/api/v1/engagements/{engagement_id}/reviews", params={"limit": 50})
        return _page(body, ClientReviewPublic)

    def download(self, path: str, params: dict[str, Any] | None = None) -> bytes:
        """A file answer (export or artifact download) as bytes."""
        url = path if path.startswith("http") else f"{self.base_url}{path}"
        try:
            response = self._http.get(url, params=params, headers=self._headers(), timeout=GENERATE_TIMEOUT)
        except httpx.HTTPError as exc:
            raise ApiUnreachable(self.base_url, _reason(exc)) from None
        if response.status_code >= 400:
            raise _error(response.status_code, _json(response), True, response.headers.get("x-trace-id", ""))
        return response.content

    # ---- the generation plan (autonomy) ----------------------------------------------------
    def engagement_plan(self, engagement_id: str) -> PlanPublic | None:
        """The engagement's plan; None when it has none yet (or the plan routes are not in this build)."""
        try:
            return self._get(f"/api/v1/engagements/{engagement_id}/plan", PlanPublic)
        except ApiError as exc:
            if exc.status_code == 404:
                return None
            raise

    def get_plan(self, plan_id: str) -> PlanPublic:
        return self._get(f"/api/v1/plans/{plan_id}", PlanPublic)

    # ---- proposals (a plan's regeneration of an amended module) ------------------------------
    def open_proposals(self, engagement_id: str) -> list[ProposalPublic]:
        body = self.request(
            "GET", f"/api/v1/engagements/{engagement_id}/proposals", params={"status": "open"}
        )
        return TypeAdapter(list[ProposalPublic]).validate_python(body)

    def get_proposal(self, proposal_id: str) -> ProposalDetail:
        return self._get(f"/api/v1/proposals/{proposal_id}", ProposalDetail)

    def accept_proposal(self, proposal_id: str, expected_version: int, fields: list[str]) -> ProposalDetail:
        body = {"expected_version": expected_version, "fields": fields}
        return self._post(f"/api/v1/proposals/{proposal_id}/accept", ProposalDetail, body)

    def discard_proposal(self, proposal_id: str) -> ProposalDetail:
        return self._post(f"/api/v1/proposals/{proposal_id}/discard", ProposalDetail)

    def toggle_job(self, plan_id: str, job_id: str, enabled: bool) -> Any:
        return self.request("PATCH", f"/api/v1/plans/{plan_id}/jobs/{job_id}", json={"enabled": enabled})

    def plan_action(self, plan_id: str, action: str) -> PlanRunResult | PlanPublic:
        """run-next | run-ready | pause | resume."""
        body = self.request("POST", f"/api/v1/plans/{plan_id}/{action}", json={}, timeout=GENERATE_TIMEOUT)
        return _plan_answer(body)

    def retry_job(self, plan_id: str, job_id: str) -> JobPublic:
        body = self.request("POST", f"/api/v1/plans/{plan_id}/jobs/{job_id}/retry", json={})
        return JobPublic.model_validate(body)


# ---- helpers ------------------------------------------------------------------------------------
def make_http_client() -> httpx.Client:
    return httpx.Client(timeout=DEFAULT_TIMEOUT, follow_redirects=False)


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    if "Connection refused" in text or "[Errno 111]" in text:
        return "connection refused"
    if isinstance(exc, httpx.ConnectTimeout):
        return "connection timed out"
    return (text.splitlines()[0] if text else type(exc).__name__)[:160]


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return {"raw": response.text[:2000]}


def _error(status: int, body: Any, optional_route: bool, trace_header: str) -> ApiError:
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        kind = str(error.get("type", "ERROR"))
        message = str(error.get("message", ""))
        details = [
            FieldError.model_validate(d) if isinstance(d, dict) else FieldError(message=str(d))
            for d in error.get("details") or []
        ]
    else:
        kind, message, details = "HTTP_ERROR", f"HTTP {status}", []
        if isinstance(body, dict) and "detail" in body:
            message = str(body["detail"])[:300]
    trace_id = (body.get("trace_id") if isinstance(body, dict) else "") or trace_header
    cls = NotAvailable if optional_route and status in (404, 405) else ApiError
    return cls(status, kind, message, details, trace_id, body)


def _page(body: Any, model: type[M]) -> list[M]:
    return TypeAdapter(Page[model]).validate_python(body).data  # type: ignore[valid-type]


def _plan_answer(body: Any) -> PlanRunResult | PlanPublic:
    if isinstance(body, dict) and "progress" in body:
        return PlanPublic.model_validate(body)
    return PlanRunResult.model_validate(body)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
