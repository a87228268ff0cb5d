"""The console's typed HTTP client and the small pure helpers of the console (no server needed)."""

from __future__ import annotations

import httpx
import pytest
from tests.console.conftest import free_port, sample_brief

from aicmo.domain.plan import chart_edges, reduced_edges
from aicmo.domain.schemas.plans import JobPublic
from aicmo.entrypoints.console.client import (
    ApiClient,
    ApiConfig,
    ApiError,
    ApiUnreachable,
    NotAvailable,
)
from aicmo.entrypoints.console.components.intake_form import ALL_FIELDS, _from_widget, _to_widget
from aicmo.entrypoints.console.components.shell import unique_labels

ENVELOPE_422 = {
    "status": "FAILED",
    "trace_id": "trace-1234abcd",
    "error": {
        "type": "VALIDATION_ERROR",
        "message": "the brief has errors: website",
        "details": [{"field": "website", "message": "website: not a valid URL", "code": "invalid_url"}],
    },
}


def client_for(handler) -> tuple[ApiClient, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return handler(request)

    http = httpx.Client(transport=httpx.MockTransport(record))
    return ApiClient(ApiConfig("http://api.test", "tok-123"), http), seen


def test_config_reads_the_backend_url_and_token_from_the_environment() -> None:
    assert ApiConfig.from_env({}) == ApiConfig("http://127.0.0.1:8000", "")
    assert ApiConfig.from_env({"BACKEND_URL": "http://b:1/"}).base_url == "http://b:1"
    config = ApiConfig.from_env(
        {"AICMO_BACKEND_URL": "http://a:2", "BACKEND_URL": "http://b:1", "AICMO_API_TOKEN": "t"}
    )
    assert config == ApiConfig("http://a:2", "t")
    assert "secret-token" not in repr(ApiConfig("http://a", "secret-token"))


def test_the_error_envelope_becomes_a_typed_exception_naming_each_field() -> None:
    api, seen = client_for(lambda r: httpx.Response(422, json=ENVELOPE_422))
    with pytest.raises(ApiError) as caught:
        api.generate("intake", "en_1", intake={"website": "nope"})
    error = caught.value
    assert (error.status_code, error.type, error.trace_id) == (422, "VALIDATION_ERROR", "trace-1234abcd")
    assert error.field_messages() == {"website": ["website: not a valid URL"]}
    assert error.body == ENVELOPE_422
    assert seen[0].headers["Authorization"] == "Bearer tok-123"


def test_gating_refusals_keep_their_reasons() -> None:
    body = {
        "status": "FAILED",
        "error": {
            "type": "GATING_ERROR",
            "message": "strategy cannot be generated",
            "details": [
                {"upstream": "intake", "status": "draft", "reason": "intake (draft - must be approved)"}
            ],
        },
    }
    api, _ = client_for(lambda r: httpx.Response(409, json=body))
    with pytest.raises(ApiError) as caught:
        api.generate("strategy", "en_1")
    assert caught.value.is_gating and caught.value.reasons() == ["intake (draft - must be approved)"]


def test_nothing_listening_is_api_unreachable_with_the_url() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    api = ApiClient(ApiConfig(url, ""))
    with pytest.raises(ApiUnreachable) as caught:
        api.list_clients()
    assert caught.value.url == url and caught.value.reason == "connection refused"


def test_a_missing_optional_route_is_not_available_and_a_missing_plan_is_none() -> None:
    api, _ = client_for(
        lambda r: httpx.Response(
            404, json={"status": "FAILED", "error": {"type": "NOT_FOUND", "message": "no"}}
        )
    )
    with pytest.raises(NotAvailable):
        api.ops("sentinels")
    assert api.engagement_plan("en_1") is None


def test_gets_are_memoised_until_a_write() -> None:
    api, seen = client_for(
        lambda r: (
            httpx.Response(200, json={"data": [], "count": 0})
            if r.method == "GET"
            else httpx.Response(201, json={})
        )
    )
    api.list_clients()
    api.list_clients()
    assert len(seen) == 1
    with pytest.raises(Exception):  # noqa: B017 - the empty answer does not validate; the memo is cleared anyway
        api.create_client("X")
    api.list_clients()
    assert len(seen) == 3


def test_picker_labels_are_unique_even_when_names_repeat() -> None:
    labels = unique_labels([("cl_aaaaaa111111", "Acme"), ("cl_bbbbbb222222", "Acme"), ("cl_c", "Zed")])
    assert labels == {"cl_aaaaaa111111": "Acme · 111111", "cl_bbbbbb222222": "Acme · 222222", "cl_c": "Zed"}


def _job(key: str, *deps: str, platform: str | None = None, weeks: list[int] | None = None) -> JobPublic:
    """Only what the chart reads (the plan schema grows as the runner does)."""
    return JobPublic.model_construct(
        id=f"jb_{key}", key=key, depends_on=list(deps), platform=platform, weeks=weeks
    )


def test_the_dag_chart_drops_implied_edges() -> None:
    deps = {"a": [], "b": ["a"], "c": ["a", "b"], "d": ["a", "b", "c"]}
    assert reduced_edges(deps) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_the_dag_chart_draws_a_platforms_posts_batches_as_one_node() -> None:
    jobs = [
        _job("cal"),
        _job("posts.x.w1-2", "cal", platform="x", weeks=[1, 2]),
        _job("posts.x.w3-4", "cal", platform="x", weeks=[3, 4]),
        _job("reels", "cal"),
        _job("summary", "cal", "posts.x.w1-2", "posts.x.w3-4", "reels"),
    ]
    edges = chart_edges(jobs, {j.key: j.depends_on for j in jobs})
    assert edges == [("cal", "posts.x"), ("cal", "reels"), ("posts.x", "summary"), ("reels", "summary")]


def test_every_brief_field_survives_the_form_round_trip() -> None:
    brief = sample_brief("hospital_hiring")
    for field in ALL_FIELDS:
        value = brief
        for part in field.name.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value in (None, "", [], {}):
            continue
        assert _from_widget(field, _to_widget(field, value)) == value, field.name


def test_the_console_is_an_http_client_only() -> None:
    """STYLE rule 2: the console imports domain.schemas and its own modules, never adapters,
    services, the composition root or SQLAlchemy."""
    import ast
    from pathlib import Path

    import aicmo.entrypoints.console as console_package

    root = Path(console_package.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                if name.startswith(
                    (
                        "aicmo.adapters",
                        "aicmo.services",
                        "aicmo.bootstrap",
                        "aicmo.config",
                        "sqlalchemy",
                        "aicmo.entrypoints.api",
                    )
                ):
                    offenders.append(f"{path.relative_to(root)}: {name}")
    assert not offenders, offenders
