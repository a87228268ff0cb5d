"""Server secrets: the configured value, else one generated once into data_dir (mode 600).

Three keys, each with its own setting and file so one can be rotated or shared without the others:
share links (`AICMO_SHARE_LINK_SECRET`), backup signatures (`AICMO_BACKUP_KEY`, share it between the
machine that backs up and the one that restores) and API token hashes (`AICMO_TOKEN_KEY`). A key is
never printed, logged or returned.
"""

from __future__ import annotations

import os
import secrets
import time
from pathlib import Path

from pydantic import SecretStr

from aicmo.config import Settings

SHARE_LINK_FILE = "share_link_secret"
BACKUP_KEY_FILE = "backup_key"
TOKEN_KEY_FILE = "token_key"


def share_link_secret(settings: Settings) -> bytes:
    return _key(settings.share_link_secret, settings.data_dir, SHARE_LINK_FILE, "AICMO_SHARE_LINK_SECRET")


def backup_key(settings: Settings) -> bytes:
    return _key(settings.backup_key, settings.data_dir, BACKUP_KEY_FILE, "AICMO_BACKUP_KEY")


def backup_encryption_key(settings: Settings) -> bytes | None:
    """The configured Fernet key, or None (backups are then signed but not encrypted)."""
    value = settings.backup_encryption_key
    return (
        value.get_secret_value().strip().encode("ascii")
        if value and value.get_secret_value().strip()
        else None
    )


def token_key(settings: Settings) -> bytes:
    return _key(settings.token_key, settings.data_dir, TOKEN_KEY_FILE, "AICMO_TOKEN_KEY")


def _key(configured: SecretStr | None, data_dir: Path, filename: str, setting: str) -> bytes:
    if configured is not None and configured.get_secret_value().strip():
        return configured.get_secret_value().strip().encode("utf-8")
    return read_or_create(Path(data_dir) / filename, setting)


def read_or_create(path: Path, setting: str) -> bytes:
    """The secret kept in `path`, created (readable by its owner only) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of two processes starting at once, exactly one writes the secret
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for _ in range(100):  # the other process may be between creating and writing the file
            value = path.read_text(encoding="utf-8").strip()
            if value:
                return value.encode("utf-8")
            time.sleep(0.01)
        raise RuntimeError(f"{path} is empty: delete it, or set {setting}") from None
    value = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value)
    return value.encode("utf-8")
