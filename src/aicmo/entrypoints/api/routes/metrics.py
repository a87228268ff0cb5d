"""`GET /metrics`: Prometheus text format. No token (scrapers rarely send one): restrict it at the
proxy, as docs/deployment.md shows. It carries totals by provider, model and module, no client data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aicmo.observability.metrics import CONTENT_TYPE

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE: {}}}})
def get_metrics(request: Request) -> Response:
    """Requests and latencies by route template and status; job states; generation runs, provider
    requests, tokens and cost."""
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
