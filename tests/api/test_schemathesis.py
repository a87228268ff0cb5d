"""Property-based fuzzing of the whole OpenAPI document: no input may produce a 5xx, and every answer
matches the schema the API publishes.

Each operation is called as an admin, as a viewer, and with a bearer token that is not ASCII (a
header a browser would never send); as the admin, every case with a string in its body or query is
sent a second time with a NUL byte appended to each such string (a 422 naming the field, never a
5xx, on SQLite and PostgreSQL alike).
Bounded and seeded so CI is repeatable: AICMO_SCHEMATHESIS_EXAMPLES (default 2) per operation and
token, on top of schemathesis's coverage cases (about 8,000 requests in all). The run writes its
totals (requests, status codes, requests carrying a NUL byte) to AICMO_SCHEMATHESIS_REPORT when
set; AICMO_SCHEMATHESIS_DATABASE_URL runs it on another (empty) database, e.g. PostgreSQL.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from aicmo.adapters.db.migrate import upgrade
from aicmo.bootstrap import build_app
from aicmo.domain.roles import Role
from aicmo.domain.schemas.resources import TokenCreate
from aicmo.entrypoints.api.main import create_app
from aicmo.services import keys, tokens
from tests.conftest import ADMIN_TOKEN, make_settings

_tmp = Path(tempfile.mkdtemp(prefix="aicmo-fuzz-"))
_url = os.environ.get("AICMO_SCHEMATHESIS_DATABASE_URL") or f"sqlite:///{_tmp / 'fuzz.db'}"  # an empty one
upgrade(_url)
_aicmo = build_app(make_settings(_url, _tmp))
with _aicmo.uow() as _uow:
    VIEWER_TOKEN = tokens.create_token(
        _uow,
        tokens.SYSTEM_ADMIN,
        TokenCreate(name="fuzz viewer", role=Role.VIEWER),
        key=keys.token_key(_aicmo.settings),
    ).token
app = create_app(_aicmo, run_jobs=False)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
EXAMPLES = int(os.environ.get("AICMO_SCHEMATHESIS_EXAMPLES", "2"))
AUTHORIZATION = {
    "admin": f"Bearer {ADMIN_TOKEN}",
    "viewer": f"Bearer {VIEWER_TOKEN}",
    "non-ascii": "Bearer caf\u00e9-\u00ff\u00fe-t\u00f6ken",  # latin-1 bytes on the wire
}
SEEN: Counter[str] = Counter()


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    path = os.environ.get("AICMO_SCHEMATHESIS_REPORT")
    if path:
        totals = {"requests": sum(v for k, v in SEEN.items() if k.startswith("status:")), **SEEN}
        Path(path).write_text(json.dumps(totals, indent=2, sort_keys=True))


@pytest.mark.parametrize("who", list(AUTHORIZATION))
@schema.parametrize()
@seed(20261121)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors_and_answers_match_the_schema(case: schemathesis.Case, who: str) -> None:
    _call_and_check(case, who)
    if who != "admin":
        return
    original = copy.deepcopy((case.body, case.query))  # generated values may be shared between tests
    try:
        if _poison(case):  # the same request again with a NUL byte in every string
            SEEN["with_nul_byte"] += 1
            _call_and_check(case, who)
    finally:
        case.body, case.query = original


def _call_and_check(case: schemathesis.Case, who: str) -> None:
    response = case.call(headers={"Authorization": AUTHORIZATION[who]}, timeout=120)
    SEEN[f"status:{response.status_code}"] += 1
    SEEN[f"token:{who}"] += 1
    if response.status_code >= 500:
        SEEN["server_errors"] += 1
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])


def _poison(case: schemathesis.Case) -> bool:
    """Append a NUL byte to every top-level string of the body and the query; False if none."""
    changed = False
    for name in ("body", "query"):
        holder = getattr(case, name)
        if isinstance(holder, dict) and any(isinstance(v, str) for v in holder.values()):
            setattr(case, name, {k: v + "\x00" if isinstance(v, str) else v for k, v in holder.items()})
            changed = True
    return changed
