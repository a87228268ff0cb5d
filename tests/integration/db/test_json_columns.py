"""JSON columns read back exactly what was stored, on SQLite and PostgreSQL: parsed by orjson, and by
the standard library where orjson refuses what `json.dumps` writes (NaN, integers past 64 bits)."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import JSON, Column, Integer, MetaData, Table, insert, select

from aicmo.adapters.db.engine import json_loads, make_engine

VALUES = [
    {"posts": [{"id": "p1", "text": "Café ☕ — “quoted”", "weeks": [1, 4]}], "score": 0.1 + 0.2},
    [1, -2, 2**63 - 1, True, None, "", {"nested": {"deeper": []}}],
    {"big": 2**70, "tiny": -(2**65)},
    "just a string",
]
NOT_NUMBERS = {
    "not_a_number": float("nan"),
    "infinite": float("inf"),
}  # SQLite keeps them; PostgreSQL refuses


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b and type(a) is type(b)


@pytest.mark.parametrize("text", ['{"a": NaN}', "[123456789012345678901234567890]", '{"x": "é", "y": 1.5}'])
def test_what_orjson_refuses_is_read_by_the_standard_library(text: str) -> None:
    import json

    assert _same(json_loads(text), json.loads(text))
    assert _same(json_loads(text.encode()), json.loads(text))


def test_a_json_column_reads_back_what_was_stored(backend_url: str) -> None:
    engine = make_engine(backend_url)
    values = VALUES + ([NOT_NUMBERS] if engine.dialect.name == "sqlite" else [])
    table = Table(
        "json_roundtrip", MetaData(), Column("id", Integer, primary_key=True), Column("value", JSON)
    )
    try:
        table.create(engine)
        with engine.begin() as connection:
            connection.execute(insert(table), [{"id": i, "value": v} for i, v in enumerate(values)])
        with engine.connect() as connection:
            stored = [row.value for row in connection.execute(select(table).order_by(table.c.id))]
        assert all(_same(a, b) for a, b in zip(values, stored, strict=True)), stored
    finally:
        table.drop(engine, checkfirst=True)
        engine.dispose()
