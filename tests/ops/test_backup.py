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
from tests.conftest import make_settings, migrated
from tests.ops.conftest import BRIEF
from tests.sample_content import sample_content

ADMIN = Principal(name="backup-test", role=Role.ADMIN)
KEY = b"backup-test-key-0123456789abcdef"
TOKEN_KEY = b"token-test-key-0123456789abcdef"


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
    # a whole brief (content is checked against the module's model), with lists, a mapping, non-ASCII
    content = BRIEF | {"competitors": ["Bread Ahead", "Gail's ☕"], "social_handles": {"instagram": "@nw"}}
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
            ArtifactCreate(
                engagement_id=ids["engagement"], type=Module.STRATEGY, content=sample_content("strategy")
            ),
        )
    with app.uow() as uow:
        artifacts.decide(uow, ADMIN, strategy.id, Action.APPROVE, expected_version=1)
    with app.uow() as uow:  # v4 of the intake, once approved, flags the strategy
        artifacts.amend_artifact(uow, ADMIN, intake.id, ArtifactAmend(expected_version=3, notes="Changed."))
    with app.uow() as uow:
        artifacts.decide(uow, ADMIN, intake.id, Action.APPROVE, expected_version=4)
    with app.uow() as uow:
        tokens.create_token(uow, ADMIN, TokenCreate(name="ops", role=Role.OPERATOR), key=TOKEN_KEY)
        tokens.create_token(
            uow,
            ADMIN,
            TokenCreate(name="rev", role=Role.CLIENT_REVIEWER, client_id=ids["client"]),
            key=TOKEN_KEY,
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


def _filled(url: str, data_dir: Path) -> str:
    """`url` migrated and filled through the services; returns `url`."""
    migrated(url)
    app = build_app(make_settings(url, data_dir))
    try:
        _fill(app)
    finally:
        app.close()
    return url


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
    migrated(url)
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

    manifest = backup.create_backup(source_url, archive, export_dir=tmp_path / "exports", key=KEY)

    counts = manifest.rows()
    assert set(counts) == set(Base.metadata.tables)  # every table, found generically
    assert counts["clients"] == 2 and counts["artifact_versions"] >= 5 and counts["api_tokens"] == 2
    assert counts["audit_log"] >= 10 and counts["generation_runs"] == 3
    assert manifest.schema_revision == head_revision() and manifest.source_backend == "sqlite"
    assert [e.path for e in manifest.exports] == sorted(exported)

    report = backup.restore_backup(archive, backend_url, export_dir=tmp_path / "restored-exports", key=KEY)

    assert report.restored_rows == counts
    assert backup.database_rows(backend_url) == counts
    before, after = backup.table_inventory(source_url), backup.table_inventory(backend_url)
    for table in before:
        assert after[table] == before[table], table  # row by row, canonical JSON
    assert _hashes(tmp_path / "restored-exports") == exported
    assert schema_state(backend_url).at_head
    again = backup.create_backup(backend_url, tmp_path / "again.zip", key=KEY)
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
    manifest = backup.create_backup(app.settings.resolved_database_url, archive, key=KEY)
    backup.restore_backup(archive, backend_url, key=KEY)
    with pytest.raises(Conflict, match="not empty"):
        backup.restore_backup(archive, backend_url, key=KEY)
    report = backup.restore_backup(archive, backend_url, force=True, key=KEY)
    assert report.restored_rows == manifest.rows() == backup.database_rows(backend_url)


def test_a_postgresql_or_sqlite_workspace_restores_into_a_fresh_sqlite_file(
    backend_url: str, tmp_path: Path
) -> None:
    _filled(backend_url, tmp_path / "src")
    archive = tmp_path / "from-source.zip"
    manifest = backup.create_backup(backend_url, archive, key=KEY)
    target = f"sqlite:///{tmp_path / 'target.db'}"
    backup.restore_backup(archive, target, key=KEY)
    assert backup.table_inventory(target) == backup.table_inventory(backend_url)
    assert backup.database_rows(target) == manifest.rows()


def test_an_older_archive_restores_at_its_revision_then_upgrades(tmp_path: Path) -> None:
    old = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(old, "0001")
    archive = tmp_path / "old.zip"
    manifest = backup.create_backup(old, archive, key=KEY)
    assert manifest.schema_revision == "0001" and "generation_runs" not in manifest.rows()
    target = f"sqlite:///{tmp_path / 'new.db'}"
    upgrade(target)  # already at head and empty: taken back to the archive's revision first
    report = backup.restore_backup(archive, target, key=KEY)
    assert report.revision_after == head_revision() and schema_state(target).at_head


def test_a_tampered_or_foreign_archive_is_refused(source: tuple[App, dict[str, str]], tmp_path: Path) -> None:
    app, _ = source
    archive = tmp_path / "ws.zip"
    backup.create_backup(app.settings.resolved_database_url, archive, key=KEY)
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(tampered, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("_clients.jsonl"):
                data = data.replace(b"Northwind", b"Eastwind!")
            dst.writestr(item, data)
    with pytest.raises(Invalid, match="corrupt"):
        backup.restore_backup(tampered, f"sqlite:///{tmp_path / 't.db'}", key=KEY)
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(Invalid, match="not an AICMO backup"):
        backup.read_manifest(tmp_path / "junk.zip")
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    future_manifest = json.dumps(manifest | {"schema_revision": "9999"}).encode()
    signature = backup.sign(future_manifest, KEY).encode()
    future = _rewrite(
        archive,
        tmp_path / "future.zip",
        lambda n, d: {"manifest.json": future_manifest, backup.SIGNATURE: signature}.get(n, d),
    )
    with pytest.raises(Invalid, match="does not know"):
        backup.restore_backup(future, f"sqlite:///{tmp_path / 'f.db'}", key=KEY)


# ---- a bad archive changes nothing ---------------------------------------------------------------
def _rewrite(archive: Path, out: Path, change) -> Path:
    """Copy `archive` to `out`, passing each member's (name, bytes) through `change` (None drops it)."""
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = change(item.filename, src.read(item))
            if data is not None:
                dst.writestr(item.filename, data)
    return out


def _resign(archive: Path, out: Path, key: bytes, edit) -> Path:
    """A validly signed copy whose table files went through `edit(name, bytes)`, manifest updated."""
    manifest = json.loads(zipfile.ZipFile(archive).read("manifest.json"))
    files = {}
    with zipfile.ZipFile(archive) as src:
        for entry in manifest["tables"]:
            data = edit(entry["name"], src.read(entry["file"]))
            files[entry["file"]] = data
            entry["sha256"] = hashlib.sha256(data).hexdigest()
            entry["rows"] = len([line for line in data.splitlines() if line])
    body = json.dumps(manifest).encode()
    return _rewrite(
        archive,
        out,
        lambda name, data: (
            body
            if name == "manifest.json"
            else backup.sign(body, key).encode()
            if name == backup.SIGNATURE
            else files.get(name, data)
        ),
    )


def _planted_admin(name: str, data: bytes) -> bytes:
    if name != "api_tokens":
        return data
    row = json.loads(data.splitlines()[0])
    planted = row | {"id": "tk_planted", "name": "planted", "role": "admin", "client_id": None,
                     "token_hash": hashlib.sha256(b"aicmo_x").hexdigest(), "prefix": "aicmo_x"}  # fmt: skip
    return data + (backup.canonical_line(planted) + "\n").encode()


def _duplicate_client(name: str, data: bytes) -> bytes:
    return data + data.splitlines(keepends=True)[0] if name == "clients" else data


def _fingerprint(url: str) -> str:
    """One hash over every row of every table (canonical JSON): equal means byte-for-byte equal data."""
    return hashlib.sha256(json.dumps(backup.table_inventory(url), sort_keys=True).encode()).hexdigest()


@pytest.fixture
def filled_target(backend_url: str, tmp_path: Path) -> str:
    """A database with a workspace in it, the one a bad `restore --force` must not harm."""
    migrated(backend_url)
    app = build_app(make_settings(backend_url, tmp_path / "target"))
    try:
        _fill(app)
        with app.uow() as uow:
            clients.create_client(uow, ADMIN, ClientCreate(name="Only In The Target Ltd"))
    finally:
        app.close()
    return backend_url


DAMAGE = {
    "tampered row": (
        lambda a, o: _rewrite(
            a, o, lambda n, d: d.replace(b"Northwind", b"Eastwind!") if "clients" in n else d
        ),
        "corrupt",
    ),
    "tampered and re-hashed": (
        lambda a, o: _resign(a, o, b"someone-elses-key", lambda n, d: d.replace(b"Northwind", b"Eastwind!")),
        "signature does not match",
    ),
    "planted admin token": (lambda a, o: _resign(a, o, b"guessed-key", _planted_admin), "signature"),
    "unsigned": (
        lambda a, o: _rewrite(a, o, lambda n, d: None if n == backup.SIGNATURE else d),
        "not signed",
    ),
    "truncated": (
        lambda a, o: o.write_bytes(a.read_bytes()[: a.stat().st_size * 2 // 3]) and o,
        "not an AICMO",
    ),
    "truncated table": (
        lambda a, o: _rewrite(a, o, lambda n, d: d[: len(d) // 2] if "artifact_versions" in n else d),
        "corrupt",
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_bad_archive_leaves_the_database_byte_for_byte_unchanged(
    damage: str, filled_target: str, tmp_path: Path
) -> None:
    source = _filled(f"sqlite:///{tmp_path / 'source.db'}", tmp_path / "source")
    good = tmp_path / "good.zip"
    backup.create_backup(source, good, key=KEY)
    make, message = DAMAGE[damage]
    bad = make(good, tmp_path / "bad.zip")
    before = _fingerprint(filled_target)

    with pytest.raises(Invalid, match=message):
        backup.restore_backup(bad, filled_target, key=KEY, force=True)

    assert _fingerprint(filled_target) == before
    assert schema_state(filled_target).at_head


@pytest.mark.parametrize("revision", ["head", "0001"])
def test_a_signed_archive_that_fails_while_loading_rolls_everything_back(
    revision: str, filled_target: str, tmp_path: Path
) -> None:
    """Verification cannot catch everything (a row the database refuses): the replacement is still
    all or nothing, the old schema revision's wipe and migrations included."""
    source = f"sqlite:///{tmp_path / 'source.db'}"
    if revision == "head":
        _filled(source, tmp_path / "source")
    else:
        upgrade(source, revision)
        from sqlalchemy import create_engine, text

        engine = create_engine(source)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO clients (id, name, industry, website, notes, archived, created_at, "
                    "updated_at) VALUES ('cl_1', 'Old', '', '', '', 0, '2026-01-01', '2026-01-01')"
                )
            )
        engine.dispose()
    good = tmp_path / "good.zip"
    backup.create_backup(source, good, key=KEY)
    bad = _resign(good, tmp_path / "clash.zip", KEY, _duplicate_client)
    backup.verify_archive(bad, KEY)  # genuine and complete: only the database can refuse it
    before = _fingerprint(filled_target)

    with pytest.raises(Exception, match=r"(?i)unique|duplicate|constraint"):
        backup.restore_backup(bad, filled_target, key=KEY, force=True)

    assert _fingerprint(filled_target) == before
    assert schema_state(filled_target).at_head


def test_restore_force_replaces_a_workspace_at_another_revision(filled_target: str, tmp_path: Path) -> None:
    old = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(old, "0001")
    archive = tmp_path / "old.zip"
    backup.create_backup(old, archive, key=KEY)
    report = backup.restore_backup(archive, filled_target, key=KEY, force=True)
    assert report.revision_after == head_revision()
    assert not any(backup.database_rows(filled_target).values())


def test_a_key_from_another_installation_is_refused(
    source: tuple[App, dict[str, str]], tmp_path: Path
) -> None:
    app, _ = source
    archive = tmp_path / "ws.zip"
    backup.create_backup(app.settings.resolved_database_url, archive, key=KEY)
    with pytest.raises(Invalid, match="another key"):
        backup.verify_archive(archive, b"a-different-installation-key")
    assert backup.verify_archive(archive, KEY).rows()["clients"] == 2


def test_an_encrypted_archive_restores_with_its_key_and_refuses_otherwise(
    filled_target: str, tmp_path: Path
) -> None:
    from cryptography.fernet import Fernet

    source = _filled(f"sqlite:///{tmp_path / 'source.db'}", tmp_path / "source")
    secret = Fernet.generate_key()
    sealed = tmp_path / "sealed.zip"
    manifest = backup.create_backup(source, sealed, key=KEY, encryption_key=secret)
    raw = sealed.read_bytes()
    assert backup.is_encrypted(sealed) and b"Northwind" not in raw and b"manifest.json" not in raw
    before = _fingerprint(filled_target)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(raw[: len(raw) // 2])
    for archive, encryption_key, message in (
        (sealed, None, "is encrypted"),
        (sealed, Fernet.generate_key(), "cannot be decrypted"),
        (truncated, secret, "cannot be decrypted"),
    ):
        with pytest.raises(Invalid, match=message):
            backup.restore_backup(archive, filled_target, key=KEY, force=True, encryption_key=encryption_key)
        assert _fingerprint(filled_target) == before
    report = backup.restore_backup(sealed, filled_target, key=KEY, force=True, encryption_key=secret)
    assert report.restored_rows == manifest.rows()
    assert backup.table_inventory(filled_target) == backup.table_inventory(source)
