"""Backup and restore round trips: a workspace filled through the real services is backed up, restored
into a fresh SQLite file and a fresh PostgreSQL database (the `backend_url` fixture), and compared
table by table, row by row, file by file. Restored databases keep working (PostgreSQL sequences)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

from aicmo.adapters.db.migrate import head_revision, schema_state, upgrade
from aicmo.adapters.db.tables import Base, GenerationRunRow
from aicmo.bootstrap import App, build_app
from aicmo.domain.artifacts import Action, Module
from aicmo.domain.errors import Conflict, Invalid
from aicmo.domain.roles import Principal, Role
from aicmo.domain.schemas.resources import (
    ArtifactAmend,
    ArtifactCreate,
    ClientCreate,
    EngagementCreate,
    TokenCreate,
)
from aicmo.services import artifacts, backup, clients, engagements, tokens
from tests.conftest import make_settings

ADMIN = Principal(name="backup-test", role=Role.ADMIN)


def _fill(app: App) -> dict[str, str]:
    """Two clients, versions, approvals, a stale cascade, audit entries, tokens and generation runs."""
    ids: dict[str, str] = {}
    with app.uow() as uow:
        ids["client"] = clients.create_client(uow, ADMIN, ClientCreate(name="Northwind Bakery")).id
    with app.uow() as uow:
        ids["other"] = clients.create_client(uow, ADMIN, ClientCreate(name="Café Ünïcode ☕")).id
    with app.uow() as uow:
        ids["engagement"] = engagements.create_engagement(
            uow, ADMIN, EngagementCreate(client_id=ids["client"], name="Spring launch")
        ).id
    content = {
        "client_name": "Northwind Bakery",
        "offer": "Sourdough boxes",
        "nested": {"list": [1, 2.5, None]},
    }
    with app.uow() as uow:
        intake = artifacts.create_artifact(
            uow, ADMIN, ArtifactCreate(engagement_id=ids["engagement"], type=Module.INTAKE, content=content)
        )
    for version, notes in ((1, "First call notes."), (2, "Budget confirmed: £3,000/month.")):
        with app.uow() as uow:
            artifacts.amend_artifact(
                uow, ADMIN, intake.id, ArtifactAmend(expected_version=version, notes=notes)
            )
    with app.uow() as uow:
        artifacts.decide(uow, ADMIN, intake.id, Action.APPROVE, expected_version=3)
    with app.uow() as uow:
        strategy = artifacts.create_artifact(
            uow,
            ADMIN,
            ArtifactCreate(engagement_id=ids["engagement"], type=Module.STRATEGY, content={"icp": "x"}),
        )
    with app.uow() as uow:
        artifacts.decide(uow, ADMIN, strategy.id, Action.APPROVE, expected_version=1)
    with app.uow() as uow:  # v4 of the intake flags the strategy
        artifacts.amend_artifact(uow, ADMIN, intake.id, ArtifactAmend(expected_version=3, notes="Changed."))
    with app.uow() as uow:
        tokens.create_token(uow, ADMIN, TokenCreate(name="ops", role=Role.OPERATOR))
        tokens.create_token(
            uow, ADMIN, TokenCreate(name="rev", role=Role.CLIENT_REVIEWER, client_id=ids["client"])
        )
    with app.uow() as uow:
        for i in range(3):
            uow.session.add(
                GenerationRunRow(
                    id=f"run_{i}", client_id=ids["client"], engagement_id=ids["engagement"],
                    module="strategy", status="SUCCESS", provider="openai", model="gpt-x", requests=i + 1,
                    input_tokens=100 * i, output_tokens=50 * i, cost_usd=0.00125 * i,
                    findings=[{"code": "ok"}], trace_id=f"t{i}",
                )
            )  # fmt: skip
        uow.commit()
    ids["intake"], ids["strategy"] = intake.id, strategy.id
    return ids


def _exports(folder: Path) -> dict[str, str]:
    (folder / "northwind" / "deck").mkdir(parents=True)
    (folder / "northwind" / "report.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    (folder / "northwind" / "deck" / "deck.pptx").write_bytes(b"PK\x03\x04" + b"\x00\xff" * 500)
    (folder / "northwind" / "strategy.md").write_text("# Strategy\n\nFor Northwind Bakery — £3,000.\n")
    return _hashes(folder)


def _hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def source(tmp_path: Path) -> tuple[App, dict[str, str]]:
    url = f"sqlite:///{tmp_path / 'source.db'}"
    upgrade(url)
    app = build_app(make_settings(url, tmp_path / "source"))
    ids = _fill(app)
    yield app, ids
    app.close()


def test_round_trip_reproduces_every_row_and_export(
    source: tuple[App, dict[str, str]], backend_url: str, tmp_path: Path
) -> None:
    app, ids = source
    source_url = app.settings.resolved_database_url
    exported = _exports(tmp_path / "exports")
    archive = tmp_path / "workspace.zip"

    manifest = backup.create_backup(source_url, archive, export_dir=tmp_path / "exports")

    counts = manifest.rows()
    assert set(counts) == set(Base.metadata.tables)  # every table, found generically
    assert counts["clients"] == 2 and counts["artifact_versions"] >= 5 and counts["api_tokens"] == 2
    assert counts["audit_log"] >= 10 and counts["generation_runs"] == 3
    assert manifest.schema_revision == head_revision() and manifest.source_backend == "sqlite"
    assert [e.path for e in manifest.exports] == sorted(exported)

    report = backup.restore_backup(archive, backend_url, export_dir=tmp_path / "restored-exports")

    assert report.restored_rows == counts
    assert backup.database_rows(backend_url) == counts
    before, after = backup.table_inventory(source_url), backup.table_inventory(backend_url)
    for table in before:
        assert after[table] == before[table], table  # row by row, canonical JSON
    assert _hashes(tmp_path / "restored-exports") == exported
    assert schema_state(backend_url).at_head
    again = backup.create_backup(backend_url, tmp_path / "again.zip")
    assert {t.name: t.sha256 for t in again.tables} == {t.name: t.sha256 for t in manifest.tables}

    restored = build_app(make_settings(backend_url, tmp_path / "restored"))
    try:  # the restored workspace keeps working: new versions and audit rows get fresh ids
        with restored.uow() as uow:
            strategy = artifacts.get_artifact(uow, ADMIN, ids["strategy"])
            assert strategy.status.value == "flagged_for_review"
            assert "intake changed from v3 to v4" in strategy.stale_causes[0].reason
        with restored.uow() as uow:
            amended = artifacts.amend_artifact(
                uow, ADMIN, ids["strategy"], ArtifactAmend(expected_version=1, notes="after restore")
            )
        assert amended.version == 2
        with restored.uow() as uow:
            assert [v.version for v in artifacts.list_versions(uow, ADMIN, ids["intake"])] == [1, 2, 3, 4]
    finally:
        restored.close()


def test_restore_refuses_a_database_with_data_unless_forced(
    source: tuple[App, dict[str, str]], backend_url: str, tmp_path: Path
) -> None:
    app, _ = source
    archive = tmp_path / "ws.zip"
    manifest = backup.create_backup(app.settings.resolved_database_url, archive)
    backup.restore_backup(archive, backend_url)
    with pytest.raises(Conflict, match="not empty"):
        backup.restore_backup(archive, backend_url)
    report = backup.restore_backup(archive, backend_url, force=True)
    assert report.restored_rows == manifest.rows() == backup.database_rows(backend_url)


def test_a_postgresql_or_sqlite_workspace_restores_into_a_fresh_sqlite_file(
    backend_url: str, tmp_path: Path
) -> None:
    upgrade(backend_url)
    app = build_app(make_settings(backend_url, tmp_path / "src"))
    try:
        _fill(app)
    finally:
        app.close()
    archive = tmp_path / "from-source.zip"
    manifest = backup.create_backup(backend_url, archive)
    target = f"sqlite:///{tmp_path / 'target.db'}"
    backup.restore_backup(archive, target)
    assert backup.table_inventory(target) == backup.table_inventory(backend_url)
    assert backup.database_rows(target) == manifest.rows()


def test_an_older_archive_restores_at_its_revision_then_upgrades(tmp_path: Path) -> None:
    old = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(old, "0001")
    archive = tmp_path / "old.zip"
    manifest = backup.create_backup(old, archive)
    assert manifest.schema_revision == "0001" and "generation_runs" not in manifest.rows()
    target = f"sqlite:///{tmp_path / 'new.db'}"
    upgrade(target)  # already at head and empty: taken back to the archive's revision first
    report = backup.restore_backup(archive, target)
    assert report.revision_after == head_revision() and schema_state(target).at_head


def test_a_tampered_or_foreign_archive_is_refused(source: tuple[App, dict[str, str]], tmp_path: Path) -> None:
    app, _ = source
    archive = tmp_path / "ws.zip"
    backup.create_backup(app.settings.resolved_database_url, archive)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("_clients.jsonl"):
                data = data.replace(b"Northwind", b"Eastwind!")
            dst.writestr(item, data)
    with pytest.raises(Invalid, match="corrupt"):
        backup.restore_backup(tampered, f"sqlite:///{tmp_path / 't.db'}")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(Invalid, match="not an AICMO backup"):
        backup.read_manifest(tmp_path / "junk.zip")
    future = tmp_path / "future.zip"
    with zipfile.ZipFile(future, "w") as dst:
        manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
        dst.writestr("manifest.json", json.dumps(manifest | {"schema_revision": "9999"}))
    with pytest.raises(Invalid, match="does not know"):
        backup.restore_backup(future, f"sqlite:///{tmp_path / 'f.db'}")
