"""`GET /metrics`: Prometheus text format. With `AICMO_METRICS_TOKEN` set, a scraper must send it as
`Authorization: Bearer <token>` (else 401); unset, it is open: restrict it at the proxy or bind, as
docs/deployment.md shows. It carries totals by provider, model and module, no client data."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aicmo.domain.errors import Unauthorized
from aicmo.entrypoints.api.deps import AppDep
from aicmo.observability.metrics import CONTENT_TYPE

router = APIRouter(tags=["health"])


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE: {}}}})
def get_metrics(request: Request, app: AppDep) -> Response:
    """Requests and latencies by route template and status; job states; generation runs, provider
    requests, tokens and cost. Needs `Authorization: Bearer <AICMO_METRICS_TOKEN>` when that is set."""
    required = app.settings.metrics_token
    if required is not None and required.get_secret_value():
        sent = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        expected = required.get_secret_value().encode("utf-8")
        if not hmac.compare_digest(sent.encode("utf-8", "surrogateescape"), expected):
            raise Unauthorized("metrics need 'Authorization: Bearer <AICMO_METRICS_TOKEN>'")
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE)
