"""ASGI entry for servers (`uvicorn aicmo.entrypoints.api.asgi:app`). Built when imported by the server."""

from aicmo.entrypoints.api.main import create_app

app = create_app()
