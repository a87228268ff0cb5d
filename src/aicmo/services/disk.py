"""Free disk space where AICMO writes (data_dir: SQLite files, keys, the local token)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from aicmo.adapters.db.url import validate_database_url
from aicmo.config import Settings

MB = 1024 * 1024


@dataclass(frozen=True)
class DiskSpace:
    path: str
    free_bytes: int
    total_bytes: int
    min_free_bytes: int

    @property
    def ok(self) -> bool:
        return self.free_bytes >= self.min_free_bytes

    def describe(self) -> str:
        share = self.free_bytes / self.total_bytes * 100 if self.total_bytes else 0.0
        return (
            f"{self.free_bytes / MB:,.0f} MB free of {self.total_bytes / MB:,.0f} MB ({share:.1f}%) at "
            f"{self.path}; minimum {self.min_free_bytes / MB:,.0f} MB"
        )


def _existing(path: Path) -> Path:
    """The path itself or its nearest existing parent (a folder not made yet lives on that disk)."""
    path = path.expanduser().resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def write_locations(settings: Settings) -> list[Path]:
    """data_dir, and the SQLite file's folder when the database lives elsewhere."""
    places = [_existing(Path(settings.data_dir))]
    sqlite_path = validate_database_url(settings.resolved_database_url, context="sync").sqlite_path
    if sqlite_path:
        folder = _existing(Path(sqlite_path).parent)
        if folder not in places:
            places.append(folder)
    return places


def disk_space(settings: Settings) -> list[DiskSpace]:
    minimum = settings.min_free_disk_mb * MB
    out = []
    for place in write_locations(settings):
        usage = shutil.disk_usage(place)
        out.append(DiskSpace(str(place), usage.free, usage.total, minimum))
    return out
