"""DBOS's own pollers for features AICMO does not use are slowed down, so an idle worker costs
next to nothing (issue 21: idle_cpu_pct)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from aicmo.adapters.engine import dbos_runtime


def test_the_queue_list_is_read_once_per_housekeeping_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[dict[str, object]] = []

    def list_queues(**kwargs: object) -> list[str]:
        reads.append(kwargs)
        return [f"queue-{len(reads)}"]

    dbos = SimpleNamespace(_sys_db=SimpleNamespace(list_queues=list_queues))
    now = [100.0]
    monkeypatch.setattr(dbos_runtime.time, "monotonic", lambda: now[0])
    dbos_runtime._list_queues_less_often(dbos)

    seen = [dbos._sys_db.list_queues(application_name="aicmo") for _ in range(10)]  # ten seconds of polls
    assert seen == [["queue-1"]] * 10 and len(reads) == 1
    assert dbos._sys_db.list_queues(application_name="other") == ["queue-2"]  # other arguments: read
    now[0] += dbos_runtime.DBOS_HOUSEKEEPING_S
    assert dbos._sys_db.list_queues(application_name="aicmo") == ["queue-3"]  # stale: read again


def test_a_dbos_without_the_attribute_is_left_alone() -> None:
    dbos = SimpleNamespace()
    dbos_runtime._list_queues_less_often(dbos)
    assert vars(dbos) == {}
