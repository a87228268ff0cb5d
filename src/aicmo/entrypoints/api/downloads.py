"""File downloads: one way to send an export or an artifact file, and its OpenAPI description."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from aicmo.domain.schemas.exports import FORMATS
from aicmo.services.exports import ExportFile

FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {spec.media_type: {} for spec in FORMATS.values()}, "description": "The file"}
}


def file_response(file: ExportFile) -> Response:
    """The file as an attachment named for the client (ASCII: safe in any header)."""
    headers = {"Content-Disposition": f'attachment; filename="{file.filename}"'}
    if file.sha256:
        headers["ETag"] = f'"{file.sha256}"'
    return Response(content=file.data, media_type=file.media_type, headers=headers)
