"""Valid content for every module, written by the offline generators from one sample brief.

Tests that create or amend artifacts by hand need content that fits the module's model (the API
refuses anything else); this builds it once, the way the generators would.
"""

from __future__ import annotations

import copy
import json
from datetime import date
from functools import cache
from typing import Any

from aicmo.domain.artifacts import Module
from aicmo.services.offline_content import offline_contents
from tests.conftest import SAMPLES


@cache
def _all_contents(brief: str) -> dict[str, dict[str, Any]]:
    raw = json.loads((SAMPLES / f"{brief}.json").read_text())
    raw["start_date"] = date.today().isoformat()
    return offline_contents(raw, list(Module))


def sample_content(module: Module | str, brief: str = "saas_hr_leads") -> dict[str, Any]:
    """A fresh copy of valid `module` content (safe to modify)."""
    return copy.deepcopy(_all_contents(brief)[Module(module).value])
