"""Performance data use cases (SPEC §7 monitoring): import a platform export, report its KPIs.

Good rows are kept and each bad row is named (row and field); a file with no usable row saves
nothing and says why. KPIs are computed from the stored rows on read, so every figure traces back
to the rows and imports it came from.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from aicmo.domain.artifacts import Module
from aicmo.domain.errors import Invalid
from aicmo.domain.learning import PostLink, slot_of
from aicmo.domain.metrics import MetricRow, by_platform, kpis, parse_metrics_csv, post_key, weekly
from aicmo.domain.roles import Principal
from aicmo.domain.schemas.metrics import (
    CampaignKpis,
    KpiReport,
    KpiSet,
    MetricImport,
    MetricImportResult,
    WeekKpis,
)
from aicmo.services import audit
from aicmo.services.access import require_write
from aicmo.services.context import new_id
from aicmo.services.engagements import load_engagement
from aicmo.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from aicmo.services.unit_of_work import MetricImportRow


def _public(row: MetricImportRow) -> MetricImportResult:
    return MetricImportResult(
        id=row.id,
        engagement_id=row.engagement_id,
        filename=row.filename,
        rows_imported=row.rows_imported,
        columns=dict(row.columns),
        skipped=list(row.errors),
        created_at=row.created_at,
    )


def import_metrics(uow: UnitOfWork, principal: Principal, data: MetricImport) -> MetricImportResult:
    require_write(principal)
    engagement = load_engagement(uow, principal, data.engagement_id)
    parsed = parse_metrics_csv(data.csv, data.mapping)
    skipped = [e.as_dict() for e in parsed.errors]
    if not parsed.rows:
        why = parsed.errors[0].message if parsed.errors else "the CSV has no data rows"
        raise Invalid(f"nothing imported: {why}", skipped or [{"field": "csv", "message": why}])
    links = post_links(uow, engagement.id)
    row = uow.metrics.create_import(
        parsed.rows,
        links,
        id=new_id("mi"),
        engagement_id=engagement.id,
        filename=data.filename,
        columns=parsed.columns,
        rows_imported=len(parsed.rows),
        errors=skipped,
        created_by=principal.actor,
    )
    audit.record(
        uow,
        principal,
        "metrics.import",
        client_id=engagement.client_id,
        engagement_id=engagement.id,
        data={"import_id": row.id, "rows": len(parsed.rows), "skipped": len(skipped)},
        comment=data.filename,
    )
    uow.commit()
    return _public(row)


def post_links(uow: UnitOfWork, engagement_id: str) -> dict[str, PostLink]:
    """The engagement's planned posts by id (as the execution plan has them now): an imported row
    naming one is linked to its pillar, format and posting slot, which the learning loop reads."""
    execution = uow.artifacts.by_engagement(engagement_id).get(Module.EXECUTION.value)
    if execution is None:
        return {}
    links = {}
    for post in execution.content.get("posts") or []:
        try:
            when = datetime.fromisoformat(str(post["scheduled_at"]))
            links[str(post["id"])] = PostLink(str(post["pillar"]), str(post["format"]), slot_of(when))
        except (KeyError, TypeError, ValueError):
            continue  # a hand-edited post without a time or pillar is measured, not learned from
    return links


def kpi_report(uow: UnitOfWork, principal: Principal, engagement_id: str) -> KpiReport:
    engagement = load_engagement(uow, principal, engagement_id)
    rows = uow.metrics.rows(engagement.id)
    campaigns = campaign_kpis(uow, engagement.id, rows)
    return KpiReport(
        engagement_id=engagement.id,
        total=KpiSet.of(kpis(rows)),
        by_platform={p: KpiSet.of(k) for p, k in by_platform(rows).items()},
        weekly=[WeekKpis(week=w, kpis=KpiSet.of(k)) for w, k in weekly(rows).items()],
        imports=[_public(r) for r in uow.metrics.imports(engagement.id)],
        by_campaign=campaigns,
        unlinked_rows=len(rows) - sum(c.linked_rows for c in campaigns),
    )


def campaign_kpis(uow: UnitOfWork, engagement_id: str, rows: list[MetricRow]) -> list[CampaignKpis]:
    """Each campaign's KPIs from the rows naming one of its items (by item id or published URL)."""
    out = []
    for campaign in uow.campaigns.of_engagement(engagement_id):
        items = uow.campaigns.items(campaign.id)
        keys = {post_key(i.id) for i in items} | {post_key(i.published_url) for i in items if i.published_url}
        own = [r for r in rows if r.post and post_key(r.post) in keys]
        out.append(
            CampaignKpis(
                campaign_id=campaign.id,
                name=campaign.name,
                start_date=campaign.start_date,
                end_date=campaign.end_date,
                items=len(items),
                linked_rows=len(own),
                kpis=KpiSet.of(kpis(own)),
                weekly=[WeekKpis(week=w, kpis=KpiSet.of(k)) for w, k in weekly(own).items()],
            )
        )
    return out
