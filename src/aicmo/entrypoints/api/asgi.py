"""ASGI entry for servers (`uvicorn aicmo.entrypoints.api.asgi:app`). Built when imported by the server."""

from aicmo.config import get_settings
from aicmo.entrypoints.api.main import create_app
from aicmo.observability.logging import configure_logging

configure_logging(get_settings())  # JSON lines with trace ids, secrets redacted
app = create_app()
