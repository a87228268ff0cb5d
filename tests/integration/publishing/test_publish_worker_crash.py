"""Durability of live publishing with real processes (must-show 1): a batch of 200 approved items
goes out through an `aicmo worker` subprocess to a real webhook receiver; the worker is SIGKILLed
mid-batch and started again; when it finishes, the receiver holds every item version exactly once
(0 losses, 0 duplicate posts). Sends repeated after the crash carry the same idempotency key, so
the receiver recognises them (it counts them as repeats and posts nothing twice).

Two recoveries: the same worker identity (DBOS resumes its workflows) and another identity (the
dead worker's leases lapse and the sweeper hands its jobs over). SQLite and PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from aicmo.adapters.db.tables import PublishJobRow
from aicmo.bootstrap import App
from aicmo.domain.schemas.campaigns import CampaignCreate, PublishRequest
from aicmo.domain.schemas.intake import Platform
from aicmo.domain.schemas.resources import ClientCreate, EngagementCreate
from aicmo.services import campaigns, clients, engagements, publishing
from tests.integration.engine.conftest import OPERATOR, engine_app
from tests.integration.engine.test_worker_crash import start_worker, wait_until
from tests.integration.publishing.receiver import Receiver

pytestmark = pytest.mark.slow

SECRET = "whsec-crash-test-key"
BATCH = 200


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver(SECRET.encode(), delay_s=0.05).start()  # slow enough for the kill to land mid-batch
    yield server
    server.stop()


def worker_env(url: str, tmp_path: Path, receiver: Receiver, lease_s: str) -> dict[str, str]:
    import os

    return {
        **os.environ,
        "AICMO_DATABASE_URL": url,
        "AICMO_DATA_DIR": str(tmp_path),
        "AICMO_QUEUE_POLLING_S": "0.05",
        "AICMO_PUBLISH_WEBHOOK_URL": receiver.url,
        "AICMO_PUBLISH_WEBHOOK_SECRET": SECRET,
        "AICMO_PUBLISH_TIMEOUT_S": "1",
        "AICMO_PUBLISH_LEASE_S": lease_s,
        "AICMO_PUBLISH_RETRY_BASE_S": "0.1",
    }


def approved_batch(app: App) -> str:
    """A live campaign with BATCH approved items (written directly: the publishing is under test)."""
    with app.uow() as uow:
        client = clients.create_client(uow, OPERATOR, ClientCreate(name="Crash Test Roasters"))
    with app.uow() as uow:
        engagement = engagements.create_engagement(
            uow, OPERATOR, EngagementCreate(client_id=client.id, name="Launch")
        )
    start = datetime.now(UTC).date()
    with app.uow() as uow:
        campaign = campaigns.create_campaign(
            uow,
            OPERATOR,
            CampaignCreate(
                engagement_id=engagement.id,
                name="Crash batch",
                objective="Every post out once",
                platforms=[Platform.LINKEDIN],
                start_date=start,
                end_date=start + timedelta(days=30),
                mode="live",
            ),
        )
    with app.uow() as uow:
        for n in range(BATCH):
            uow.campaigns.create_item(
                id=f"ci_crash_{n:04d}",
                campaign_id=campaign.id,
                platform="linkedin",
                scheduled_at=datetime.now(UTC) + timedelta(hours=n),
                text=f"Roast notes no. {n}: this week's single origin, brewed three ways.",
                hashtags=["#coffee"],
                status="approved",
                version=1,
                approved_version=1,
            )
        uow.commit()
    return campaign.id


def published_count(app: App, campaign_id: str) -> int:
    with app.uow() as uow:
        query = select(func.count()).where(
            PublishJobRow.campaign_id == campaign_id, PublishJobRow.status == "published"
        )
        return int(uow.session.scalar(query) or 0)


@pytest.mark.parametrize("restart_as", ["worker-a", "worker-b"])
def test_a_worker_killed_mid_batch_loses_and_doubles_nothing(
    backend_url: str, tmp_path: Path, receiver: Receiver, restart_as: str
) -> None:
    app = engine_app(tmp_path, backend_url, runner_mode="external")
    # same identity: DBOS resumes the workflows; another: the leases (4 s) lapse and are taken over
    env = worker_env(backend_url, tmp_path, receiver, lease_s="4")
    log = tmp_path / "worker.log"
    worker = start_worker(env, "worker-a", log)
    try:
        campaign_id = approved_batch(app)
        with app.uow() as uow:
            _jobs, dispatch = publishing.enqueue(uow, OPERATOR, campaign_id, PublishRequest())
        app.dispatch(dispatch)
        wait_until(lambda: len(receiver.posts) >= 40, timeout=120)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
        at_kill = len(receiver.posts)
        assert at_kill < BATCH, "the kill should land mid-batch"
        worker = start_worker(env, restart_as, log)
        wait_until(lambda: published_count(app, campaign_id) == BATCH, timeout=240)

        assert receiver.bad_signatures == 0
        assert len(receiver.posts) == BATCH  # 0 losses
        assert receiver.duplicate_posts == 0  # 0 duplicates: one key per item version, each posted once
        assert {p["item_id"] for p in receiver.posts.values()} == {f"ci_crash_{n:04d}" for n in range(BATCH)}
        # a resend after the crash is the in-flight ones only, each recognised by its key
        assert receiver.repeats <= 8, receiver.deliveries.most_common(10)
        with app.uow() as uow:
            query = select(PublishJobRow).where(PublishJobRow.campaign_id == campaign_id)
            ids = {j.idempotency_key: j.provider_id for j in uow.session.scalars(query)}
            statuses = {i.status for i in uow.campaigns.items(campaign_id)}
        assert len(ids) == BATCH and all(pid == receiver.provider_id(key) for key, pid in ids.items())
        assert statuses == {"published"}
        print(
            f"publish crash ({restart_as}): {BATCH} items, {at_kill} received before SIGKILL, "
            f"{len(receiver.posts)} posts, {receiver.duplicate_posts} duplicates, "
            f"{BATCH - len(receiver.posts)} lost, {receiver.repeats} repeated sends recognised by key"
        )
    finally:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
        app.close()
