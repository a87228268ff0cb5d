"""Property-based fuzzing of the whole OpenAPI document: no input may produce a 5xx.

Bounded and seeded so CI is repeatable: AICMO_SCHEMATHESIS_EXAMPLES (default 25) per operation.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, seed, settings
from schemathesis.checks import not_a_server_error

from aicmo.adapters.db.migrate import upgrade
from aicmo.bootstrap import build_app
from aicmo.entrypoints.api.main import create_app
from tests.conftest import ADMIN_TOKEN, make_settings

_tmp = Path(tempfile.mkdtemp(prefix="aicmo-fuzz-"))
_url = f"sqlite:///{_tmp / 'fuzz.db'}"
upgrade(_url)
app = create_app(build_app(make_settings(_url, _tmp)))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
EXAMPLES = int(os.environ.get("AICMO_SCHEMATHESIS_EXAMPLES", "25"))


@schema.parametrize()
@seed(20261121)
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case: schemathesis.Case) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}, checks=[not_a_server_error])
