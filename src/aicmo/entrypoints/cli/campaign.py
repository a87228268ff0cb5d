"""`aicmo campaign …`: campaigns from the command line (SPEC §6), through the same services as the API.

aicmo campaign create --engagement E --name N --objective O --platform linkedin --start D --end D
aicmo campaign generate CAMPAIGN          aicmo campaign items CAMPAIGN [--json]
aicmo campaign reject ITEM --reason R     aicmo campaign regenerate ITEM
aicmo campaign approve CAMPAIGN [--item ITEM ...]  (all pending items by default)
aicmo campaign execute CAMPAIGN           (proof: simulate; live: queue for the worker; manual: steps)
aicmo campaign status CAMPAIGN [--json]   aicmo campaign retry JOB
aicmo campaign webhook-key [--json]       (the public key a client's receiver checks posts with)
"""

from __future__ import annotations

import json
from datetime import date

import typer
from rich.table import Table

from aicmo.domain.campaigns import Channel, ExecutionMode, ItemStatus
from aicmo.domain.schemas.campaigns import BulkApproval, CampaignCreate, ItemDecision, PublishRequest
from aicmo.domain.schemas.intake import Platform
from aicmo.entrypoints.cli._common import cli_app, console, validated
from aicmo.services import campaigns, publishing
from aicmo.services.tokens import SYSTEM_ADMIN

app = typer.Typer(help="Campaigns: create, generate, review, execute.", no_args_is_help=True)
ACTOR = SYSTEM_ADMIN


@app.command()
def create(
    engagement: str = typer.Option(..., "--engagement", help="The engagement id."),
    name: str = typer.Option(..., "--name"),
    objective: str = typer.Option(..., "--objective"),
    platform: list[Platform] = typer.Option(..., "--platform", help="Repeat for each platform."),
    start: str = typer.Option(..., "--start", help="First day (YYYY-MM-DD)."),
    end: str = typer.Option(..., "--end", help="Last day (YYYY-MM-DD)."),
    mode: ExecutionMode = typer.Option(ExecutionMode.MANUAL, "--mode"),
    channel: Channel = typer.Option(Channel.WEBHOOK, "--channel", help="Live mode's adapter."),
    destination: str = typer.Option(
        "", "--destination", help="Live mode: its own webhook URL or e-mail address (else the default)."
    ),
    cadence: int = typer.Option(2, "--cadence", min=1, max=14, help="Posts a week on each platform."),
    audience: int | None = typer.Option(None, "--audience", help="Followers (proof simulation)."),
) -> None:
    """Create a campaign inside the engagement's window; prints its id."""
    data = validated(
        CampaignCreate,
        {
            "engagement_id": engagement,
            "name": name,
            "objective": objective,
            "platforms": platform,
            "cadence": dict.fromkeys(platform, cadence),
            "start_date": date.fromisoformat(start),
            "end_date": date.fromisoformat(end),
            "mode": mode,
            "channel": channel,
            "destination": destination,
            "audience": audience,
        },
    )
    with cli_app() as app_, app_.uow() as uow:
        campaign = campaigns.create_campaign(uow, ACTOR, data)
    typer.echo(campaign.id)


@app.command()
def generate(campaign_id: str) -> None:
    """Write the campaign's posts from the approved strategy and creatives."""
    with cli_app() as app_, app_.uow() as uow:
        items = campaigns.generate_items(uow, ACTOR, campaign_id)
    console.print(f"{len(items)} items generated, waiting for review", highlight=False)


@app.command()
def items(campaign_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The review queue: each item's status, version, platform length and findings."""
    with cli_app() as app_, app_.uow() as uow:
        found = campaigns.list_items(uow, ACTOR, campaign_id)
    if as_json:
        typer.echo(json.dumps([i.model_dump(mode="json") for i in found], indent=2))
        return
    table = Table(title=f"Items of {campaign_id}")
    for column in ("id", "platform", "when", "status", "v", "length", "text"):
        table.add_column(column)
    for i in found:
        table.add_row(
            i.id,
            i.platform.value,
            i.scheduled_at.isoformat(timespec="minutes"),
            i.status.value,
            str(i.version),
            f"{i.length}/{i.limit}",
            i.text[:60].replace("\n", " "),
        )
    console.print(table)


def _current_version(uow, item_id: str) -> int:
    item = uow.campaigns.item(item_id)
    return item.version if item is not None else 1


@app.command()
def reject(item_id: str, reason: str = typer.Option(..., "--reason")) -> None:
    """Reject an item (at its current version) with a reason."""
    with cli_app() as app_, app_.uow() as uow:
        decision = ItemDecision(expected_version=_current_version(uow, item_id), reason=reason)
        item = campaigns.reject_item(uow, ACTOR, item_id, decision)
    console.print(f"{item.id} rejected at version {item.version}: {item.reason}", highlight=False)


@app.command()
def regenerate(item_id: str) -> None:
    """Rewrite a rejected item with the same generator and gates (a new version in the queue)."""
    with cli_app() as app_, app_.uow() as uow:
        item = campaigns.regenerate_item(
            uow, ACTOR, item_id, ItemDecision(expected_version=_current_version(uow, item_id))
        )
    console.print(f"{item.id} is version {item.version}, pending review:\n{item.text}", highlight=False)


@app.command()
def approve(
    campaign_id: str,
    item: list[str] = typer.Option(None, "--item", help="Only these items (default: every pending one)."),
) -> None:
    """Approve items at their current versions (each must pass the quality gates)."""
    with cli_app() as app_, app_.uow() as uow:
        ids = item or [
            i.id for i in campaigns.list_items(uow, ACTOR, campaign_id) if i.status == ItemStatus.PENDING
        ]
        if not ids:
            console.print("nothing pending to approve", highlight=False)
            return
        approved = campaigns.approve_items(uow, ACTOR, campaign_id, BulkApproval(item_ids=ids))
    console.print(f"{len(approved)} items approved", highlight=False)


@app.command()
def execute(
    campaign_id: str,
    at_schedule: bool = typer.Option(False, "--at-schedule", help="Live: hold posts until their time."),
) -> None:
    """Proof: simulate every approved item. Live: queue approved items for the publishing worker
    (`aicmo worker` sends them). Manual: print the posting steps; record URLs in the console or API."""
    with cli_app() as app_:
        with app_.uow() as uow:
            campaign = campaigns.get_campaign(uow, ACTOR, campaign_id)
        if campaign.mode == ExecutionMode.PROOF:
            with app_.uow() as uow:
                result = campaigns.run_proof(uow, ACTOR, campaign_id)
            console.print(
                f"simulated reach {result.simulated_reach:,}, simulated engagements "
                f"{result.simulated_engagements:,} (a model, not a measurement)",
                highlight=False,
            )
        elif campaign.mode == ExecutionMode.LIVE:
            with app_.uow() as uow:
                jobs, dispatch = publishing.enqueue(
                    uow, ACTOR, campaign_id, PublishRequest(at_schedule=at_schedule)
                )
            app_.dispatch(dispatch)
            console.print(
                f"{len(jobs)} items queued for {campaign.channel.value} publishing; a worker "
                f"(`aicmo worker`) sends them. Follow with `aicmo campaign status {campaign_id}`.",
                highlight=False,
            )
        else:
            with app_.uow() as uow:
                found = campaigns.list_items(uow, ACTOR, campaign_id)
            for i in (i for i in found if i.status == ItemStatus.APPROVED):
                console.print(
                    f"\n{i.id} ({i.platform.value}, {i.scheduled_at:%Y-%m-%d %H:%M})", highlight=False
                )
                for n, step in enumerate(i.posting_steps, 1):
                    console.print(f"  {n}. {step}", highlight=False)
                console.print(f"  caption:\n{i.text}", highlight=False)


@app.command()
def status(campaign_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """The checklist per platform and, for live campaigns, every publish job (failures with why)."""
    with cli_app() as app_, app_.uow() as uow:
        checklist = campaigns.checklist(uow, ACTOR, campaign_id)
        jobs = publishing.list_jobs(uow, ACTOR, campaign_id)
        campaign = campaigns.get_campaign(uow, ACTOR, campaign_id)
    where = campaign.destination if campaign.own_destination else "the deployment's default"
    if as_json:
        payload = checklist.model_dump(mode="json") | {
            "destination": campaign.destination,  # masked: a webhook URL's token never shows
            "publish_jobs": [j.model_dump(mode="json") for j in jobs],
        }
        typer.echo(json.dumps(payload, indent=2))
        return
    table = Table(title=f"Campaign {campaign_id} ({checklist.mode.value}) completed: {checklist.completed}")
    for column in ("platform", "items", "approved", "published", "URLs", "done"):
        table.add_column(column)
    for line in checklist.lines:
        table.add_row(
            line.platform.value,
            str(line.items),
            str(line.approved),
            str(line.published),
            str(line.urls_recorded),
            "yes" if line.done else "no",
        )
    console.print(table)
    if checklist.mode is ExecutionMode.LIVE:
        console.print(f"live posts go to {where} ({campaign.channel.value})", highlight=False)
    if jobs:
        counts: dict[str, int] = {}
        for j in jobs:
            counts[j.status.value] = counts.get(j.status.value, 0) + 1
        console.print("publish jobs: " + ", ".join(f"{k} {n}" for k, n in counts.items()), highlight=False)
        for j in (j for j in jobs if j.status.value == "failed"):
            console.print(f"  failed {j.id} ({j.item_id} v{j.version}): {j.error}", highlight=False)


@app.command()
def retry(job_id: str) -> None:
    """Send a failed publish job again (same item version, same idempotency key)."""
    with cli_app() as app_:
        with app_.uow() as uow:
            job, dispatch = publishing.retry_job(uow, ACTOR, job_id)
        app_.dispatch(dispatch)
    console.print(f"{job.id} queued again (attempts reset, key {job.idempotency_key})", highlight=False)


@app.command("webhook-key")
def webhook_key(as_json: bool = typer.Option(False, "--json")) -> None:
    """The Ed25519 public key a client's webhook receiver checks each post's signature with. It is not
    a secret (it signs nothing): hand it to the client's developer instead of the HMAC secret."""
    with cli_app() as app_:
        key = publishing.webhook_signing_key(app_.publishing)
    if as_json:
        typer.echo(key.model_dump_json(indent=2))
        return
    console.print(f"{key.algorithm} public key (base64): {key.public_key}", highlight=False)
    console.print(f"signature header: {key.header}, over {key.signed}", highlight=False)
