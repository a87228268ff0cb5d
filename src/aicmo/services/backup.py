"""Portable workspace backups: `aicmo backup --out FILE` / `aicmo restore FILE`.

The archive is a zip that any AICMO of the same or a newer schema can restore, SQLite to PostgreSQL
and back:

    manifest.json          format, AICMO version, schema revision, source backend, and per table
                           its file, row count and sha256; per export file its sha256
    manifest.sig           HMAC-SHA256 of manifest.json with the backup key (`AICMO_BACKUP_KEY`,
                           else data_dir/backup_key): with the sha256s it covers every byte

With an encryption key (`AICMO_BACKUP_ENCRYPTION_KEY`, a Fernet key: AES-128-CBC + HMAC-SHA256) the
whole zip is encrypted at rest; restore decrypts it (in a private temp file) before anything else.
    tables/NN_<name>.jsonl one canonical JSON object per row (sorted keys, ordered by primary key)
    exports/<path>         the export files directory, when there is one

Tables are read generically (every table in the database, reflected, in foreign-key order), so a
table added by a later migration is covered without touching this module.

Restoring first verifies the whole archive (signature, every file's sha256, every row parses, row
counts) and refuses an unsigned, altered, truncated or foreign one before touching the database.
Only then is the data replaced, all or nothing: on PostgreSQL one transaction wipes the old rows,
migrates to the archive's revision, loads every table, resets sequences and upgrades to this code's
head (PostgreSQL DDL is transactional); a SQLite file is rebuilt beside the target and copied over it
in one step with SQLite's backup API. Any failure leaves the target as it was.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import JSON, Connection, Date, DateTime, LargeBinary, MetaData, Table, func, null, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import make_url

from aicmo import __version__
from aicmo.adapters.db import migrate
from aicmo.adapters.db.engine import make_engine
from aicmo.domain.errors import Conflict, Invalid
from aicmo.domain.urls import mask_url

FORMAT = "aicmo-backup"
FORMAT_VERSION = 2  # 2: signed (manifest.sig)
SIGNATURE = "manifest.sig"
SKIP_TABLES = {"alembic_version"}  # its revision is in the manifest
BATCH = 500


class TableEntry(BaseModel):
    name: str
    file: str
    rows: int
    sha256: str


class ExportEntry(BaseModel):
    path: str
    bytes: int
    sha256: str


class Manifest(BaseModel):
    format: str = FORMAT
    format_version: int = FORMAT_VERSION
    aicmo_version: str = __version__
    created_at: str
    schema_revision: str | None
    source_backend: str
    tables: list[TableEntry]
    exports: list[ExportEntry] = Field(default_factory=list)

    def rows(self) -> dict[str, int]:
        return {t.name: t.rows for t in self.tables}


@dataclass(frozen=True)
class RestoreReport:
    manifest: Manifest
    database: str
    restored_rows: dict[str, int]
    revision_after: str | None
    exports_restored: int


# ---- canonical rows ------------------------------------------------------------------------------
def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        value = value if value.tzinfo else value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return {"__bytes__": base64.b64encode(bytes(value)).decode()}
    return value


def canonical_line(row: dict[str, Any]) -> str:
    """One row as canonical JSON: the same data gives the same bytes on every backend."""
    encoded = {key: _encode(value) for key, value in row.items()}
    return json.dumps(encoded, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def _decode(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in row.items():
        column = table.c.get(key)
        if column is None:
            raise Invalid(f"backup column {table.name}.{key} does not exist in the target schema")
        kind = column.type
        if value is None:
            out[key] = null() if isinstance(kind, JSON) else None
        elif isinstance(kind, DateTime) and isinstance(value, str):
            out[key] = datetime.fromisoformat(value)
        elif isinstance(kind, Date) and isinstance(value, str):
            out[key] = date.fromisoformat(value)
        elif isinstance(kind, LargeBinary) and isinstance(value, dict) and "__bytes__" in value:
            out[key] = base64.b64decode(value["__bytes__"])
        else:
            out[key] = value
    return out


def reflect_tables(conn: Connection) -> list[Table]:
    """Every application table in the connection's default schema, parents before children."""
    metadata = MetaData()
    metadata.reflect(bind=conn)
    return [t for t in metadata.sorted_tables if t.name not in SKIP_TABLES]


def table_lines(conn: Connection, table: Table) -> Iterator[str]:
    """The table's rows as canonical lines, in primary-key order (all columns when it has none)."""
    order = list(table.primary_key.columns) or list(table.columns)
    for row in conn.execute(select(table).order_by(*order)).mappings():
        yield canonical_line(dict(row))


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


# ---- backup --------------------------------------------------------------------------------------
def create_backup(
    url: str,
    out: Path,
    *,
    key: bytes,
    export_dir: Path | None = None,
    encryption_key: bytes | None = None,
) -> Manifest:
    """Write the whole workspace behind `url` (and `export_dir`, if it exists) to the zip `out`,
    signed with `key`, and encrypted with `encryption_key` when one is given."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    engine = make_engine(url)
    try:
        with engine.connect() as conn, zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            revision = current_revision(conn)
            tables = []
            for index, table in enumerate(reflect_tables(conn), start=1):
                name = f"tables/{index:02d}_{table.name}.jsonl"
                digest, rows = hashlib.sha256(), 0
                with archive.open(name, "w") as handle:
                    for line in table_lines(conn, table):
                        data = (line + "\n").encode()
                        digest.update(data)
                        handle.write(data)
                        rows += 1
                tables.append(TableEntry(name=table.name, file=name, rows=rows, sha256=digest.hexdigest()))
            exports = _archive_exports(archive, export_dir)
            manifest = Manifest(
                created_at=datetime.now(UTC).isoformat(),
                schema_revision=revision,
                source_backend=conn.dialect.name,
                tables=tables,
                exports=exports,
            )
            manifest_bytes = manifest.model_dump_json(indent=2).encode()
            archive.writestr("manifest.json", manifest_bytes)
            archive.writestr(SIGNATURE, sign(manifest_bytes, key))
        if encryption_key is not None:
            partial.write_bytes(_fernet(encryption_key).encrypt(partial.read_bytes()))
        partial.replace(out)
    finally:
        engine.dispose()
        partial.unlink(missing_ok=True)
    return manifest


def _archive_exports(archive: zipfile.ZipFile, export_dir: Path | None) -> list[ExportEntry]:
    if export_dir is None or not export_dir.is_dir():
        return []
    entries = []
    for path in sorted(p for p in export_dir.rglob("*") if p.is_file()):
        relative = path.relative_to(export_dir).as_posix()
        data = path.read_bytes()
        archive.writestr(f"exports/{relative}", data)
        entries.append(ExportEntry(path=relative, bytes=len(data), sha256=hashlib.sha256(data).hexdigest()))
    return entries


# ---- encryption at rest ------------------------------------------------------------------------
FERNET_PREFIX = b"gAAAAA"  # every Fernet token starts with its version byte 0x80, base64-encoded


def _fernet(encryption_key: bytes):
    from cryptography.fernet import Fernet

    try:
        return Fernet(encryption_key)
    except ValueError as exc:
        raise Invalid(
            "AICMO_BACKUP_ENCRYPTION_KEY is not a valid key: make one with "
            "`python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'`"
        ) from exc


def is_encrypted(archive_path: Path) -> bool:
    with archive_path.open("rb") as handle:
        return handle.read(len(FERNET_PREFIX)) == FERNET_PREFIX


@contextmanager
def plain_archive(archive_path: Path, encryption_key: bytes | None) -> Iterator[Path]:
    """The archive as a readable zip: itself, or decrypted into a private temp file removed after."""
    if not is_encrypted(archive_path):
        yield archive_path
        return
    if encryption_key is None:
        raise Invalid(f"{archive_path} is encrypted: set AICMO_BACKUP_ENCRYPTION_KEY to the key that made it")
    from cryptography.fernet import InvalidToken

    try:
        data = _fernet(encryption_key).decrypt(archive_path.read_bytes())
    except InvalidToken:
        raise Invalid(
            f"{archive_path} cannot be decrypted: another key made it, or the file was altered or truncated"
        ) from None
    fd, name = tempfile.mkstemp(prefix="aicmo-restore-", suffix=".zip")  # mode 600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        yield Path(name)
    finally:
        Path(name).unlink(missing_ok=True)


# ---- signature and verification ------------------------------------------------------------------
def sign(manifest_bytes: bytes, key: bytes) -> str:
    return hmac.new(key, manifest_bytes, hashlib.sha256).hexdigest()


def read_manifest(archive_path: Path) -> Manifest:
    """The archive's manifest, unverified: for showing what an archive holds."""
    try:
        with zipfile.ZipFile(archive_path) as archive:
            manifest = Manifest.model_validate_json(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Invalid(f"{archive_path} is not an AICMO backup ({type(exc).__name__})") from exc
    if manifest.format != FORMAT or manifest.format_version > FORMAT_VERSION:
        raise Invalid(
            f"{archive_path}: unsupported backup format {manifest.format} v{manifest.format_version}"
        )
    return manifest


def verify_archive(archive_path: Path, key: bytes) -> Manifest:
    """The manifest of a genuine, complete archive, or Invalid naming what is wrong.

    Checks the signature, then every table file (sha256, one JSON object per line, the row count)
    and every export file (sha256, a path inside the export folder). Reads the database not at all.
    """
    manifest = read_manifest(archive_path)
    try:
        with zipfile.ZipFile(archive_path) as archive:
            _check_signature(archive, archive_path, key)
            for entry in manifest.tables:
                data = _member(archive, entry.file, entry.sha256)
                lines = [line for line in data.decode("utf-8").splitlines() if line]
                if len(lines) != entry.rows:
                    raise Invalid(
                        f"{entry.file} is corrupt: {len(lines)} rows, the manifest says {entry.rows}"
                    )
                for number, line in enumerate(lines, start=1):
                    if not isinstance(json.loads(line), dict):
                        raise Invalid(f"{entry.file} is corrupt: line {number} is not a row")
            for export in manifest.exports:
                _safe_relative(export.path)
                _member(archive, f"exports/{export.path}", export.sha256)
    except (zipfile.BadZipFile, OSError, EOFError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, Invalid):
            raise
        raise Invalid(f"{archive_path} is damaged or truncated ({type(exc).__name__})") from exc
    return manifest


def _check_signature(archive: zipfile.ZipFile, archive_path: Path, key: bytes) -> None:
    try:
        signature = archive.read(SIGNATURE).decode("ascii", "replace").strip()
    except KeyError:
        raise Invalid(
            f"{archive_path} is not signed: only archives written by `aicmo backup` with a backup key "
            "are restored"
        ) from None
    if not hmac.compare_digest(signature, sign(archive.read("manifest.json"), key)):
        raise Invalid(
            f"{archive_path}: the signature does not match: the archive was altered, or signed with "
            "another key (set AICMO_BACKUP_KEY to the key of the installation that made it)"
        )


def _member(archive: zipfile.ZipFile, name: str, sha256: str) -> bytes:
    try:
        data = archive.read(name)
    except KeyError:
        raise Invalid(f"the archive lacks {name}, which its manifest lists") from None
    if hashlib.sha256(data).hexdigest() != sha256:
        raise Invalid(f"{name} is corrupt: its sha256 does not match the manifest")
    return data


def _safe_relative(path: str) -> None:
    parts = Path(path).parts
    if not parts or Path(path).is_absolute() or ".." in parts:
        raise Invalid(f"refusing export path outside the folder: {path}")


# ---- restore -------------------------------------------------------------------------------------
def database_rows(url: str) -> dict[str, int]:
    """Row counts per application table (empty dict for a database without tables)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in reflect_tables(conn)
            }
    finally:
        engine.dispose()


def restore_backup(
    archive_path: Path,
    url: str,
    *,
    key: bytes,
    export_dir: Path | None = None,
    force: bool = False,
    encryption_key: bytes | None = None,
) -> RestoreReport:
    """Restore into the database at `url`, which must hold no rows unless `force` (then its data is
    replaced). The archive is decrypted if need be and verified whole first; the replacement is all
    or nothing."""
    with plain_archive(archive_path, encryption_key) as plain:
        return _restore(plain, url, key=key, export_dir=export_dir, force=force)


def _restore(
    archive_path: Path, url: str, *, key: bytes, export_dir: Path | None, force: bool
) -> RestoreReport:
    manifest = verify_archive(archive_path, key)
    known = _known_revisions()
    if manifest.schema_revision is not None and manifest.schema_revision not in known:
        raise Invalid(
            f"the backup is at schema revision {manifest.schema_revision}, which this AICMO does not know: "
            "restore it with the AICMO version that made it (or a newer one)"
        )
    occupied = {name: n for name, n in database_rows(url).items() if n}
    if occupied and not force:
        raise Conflict(
            f"the target database is not empty ({sum(occupied.values())} rows in {len(occupied)} tables): "
            "restore into an empty database, or pass --force to replace its contents",
            [{"table": k, "rows": v} for k, v in sorted(occupied.items())],
        )
    if export_dir is not None and manifest.exports and _has_files(export_dir) and not force:
        raise Conflict(f"the export folder {export_dir} is not empty: pass --force to replace it")
    sqlite_file = _sqlite_file(url)
    if sqlite_file is not None:
        restored, after = _restore_sqlite_by_swap(archive_path, manifest, sqlite_file)
    else:
        restored, after = _restore_in_one_transaction(archive_path, manifest, url)
    exports = _restore_exports(archive_path, manifest, export_dir) if export_dir is not None else 0
    return RestoreReport(manifest, mask_url(url), restored, after, exports)


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    return {rev.revision for rev in script.walk_revisions()}


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def _migrate_on(conn: Connection, action: str, revision: str) -> None:
    """Run an Alembic upgrade/downgrade on `conn`, inside its open transaction."""
    from alembic import command

    config = migrate.alembic_config(conn.engine.url.render_as_string(hide_password=False))
    config.attributes["connection"] = conn
    getattr(command, action)(config, revision)


def _restore_in_one_transaction(
    archive_path: Path, manifest: Manifest, url: str
) -> tuple[dict[str, int], str | None]:
    """Wipe, migrate, load and upgrade in one transaction: a failure anywhere rolls all of it back."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            current = current_revision(conn)
            for table in reversed(reflect_tables(conn)):  # --force: children first
                conn.execute(table.delete())
            if current != manifest.schema_revision:
                if current is not None:
                    _migrate_on(conn, "downgrade", "base")
                if manifest.schema_revision is not None:
                    _migrate_on(conn, "upgrade", manifest.schema_revision)
            restored = _load_tables(conn, archive_path, manifest)
            _migrate_on(conn, "upgrade", "head")
            after = current_revision(conn)
    finally:
        engine.dispose()
    return restored, after


def _restore_sqlite_by_swap(
    archive_path: Path, manifest: Manifest, target: Path
) -> tuple[dict[str, int], str | None]:
    """Build the restored database in a new file beside `target`, then copy it over `target` in one
    step (SQLite's online backup: one write transaction on the target, other connections safe)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f".{target.name}.restore-{secrets.token_hex(4)}")
    fresh_url = f"sqlite:///{fresh}"
    try:
        if manifest.schema_revision is not None:
            migrate.upgrade(fresh_url, manifest.schema_revision)
        engine = make_engine(fresh_url)
        try:
            with engine.begin() as conn:
                restored = _load_tables(conn, archive_path, manifest)
        finally:
            engine.dispose()
        after = migrate.upgrade(fresh_url).after.current
        source = sqlite3.connect(fresh)
        destination = sqlite3.connect(target, timeout=15)
        try:
            destination.execute("PRAGMA busy_timeout=15000")
            source.backup(destination)  # all pages in one step
        finally:
            destination.close()
            source.close()
    finally:
        for leftover in (fresh, Path(f"{fresh}-wal"), Path(f"{fresh}-shm")):
            leftover.unlink(missing_ok=True)
    return restored, after


def _load_tables(conn: Connection, archive_path: Path, manifest: Manifest) -> dict[str, int]:
    restored: dict[str, int] = {}
    with zipfile.ZipFile(archive_path) as archive:
        tables = {t.name: t for t in reflect_tables(conn)}
        missing = [e.name for e in manifest.tables if e.name not in tables]
        if missing:
            raise Invalid(f"the target schema lacks tables from the backup: {', '.join(missing)}")
        for entry in manifest.tables:  # the manifest lists parents before children
            data = _member(archive, entry.file, entry.sha256)  # again: the file may have changed
            table = tables[entry.name]
            rows = [_decode(table, json.loads(line)) for line in data.decode().splitlines() if line]
            for start in range(0, len(rows), BATCH):
                conn.execute(table.insert(), rows[start : start + BATCH])
            count = conn.execute(select(func.count()).select_from(table)).scalar_one()
            if count != entry.rows:
                raise Invalid(f"{entry.name}: restored {count} rows, the manifest says {entry.rows}")
            restored[entry.name] = count
        if conn.dialect.name == "postgresql":
            _reset_sequences(conn, list(tables.values()))
    return restored


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    """Rows came with their ids; move each serial sequence past them so new inserts do not collide."""
    from sqlalchemy import text

    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name}
            ).scalar()
            if sequence:
                highest = f'SELECT MAX("{column.name}") FROM "{table.name}"'
                conn.execute(text(f"SELECT setval(:s, COALESCE(({highest}), 0) + 1, false)"), {"s": sequence})


def _restore_exports(archive_path: Path, manifest: Manifest, export_dir: Path) -> int:
    """Write the export files into a new folder beside `export_dir`, then swap it in."""
    if not manifest.exports:
        return 0
    staging = export_dir.with_name(f".{export_dir.name}.restore-{secrets.token_hex(4)}")
    staging.mkdir(parents=True)
    try:
        with zipfile.ZipFile(archive_path) as archive:
            for entry in manifest.exports:
                _safe_relative(entry.path)
                target = staging / entry.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(_member(archive, f"exports/{entry.path}", entry.sha256))
        if export_dir.exists():
            shutil.rmtree(export_dir)
        staging.replace(export_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    return len(manifest.exports)


def table_inventory(url: str) -> dict[str, list[str]]:
    """Canonical lines per table: what the round-trip test compares row by row."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {t.name: list(table_lines(conn, t)) for t in reflect_tables(conn)}
    finally:
        engine.dispose()


def inspect_tables(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        return sorted(sa_inspect(engine).get_table_names())
    finally:
        engine.dispose()
