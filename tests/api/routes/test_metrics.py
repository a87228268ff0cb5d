"""Performance data over the real routes (SQLite, and PostgreSQL when configured): a platform export
is imported with bad rows named, the KPIs match a hand-computed fixture, a file with no usable row
saves nothing (SPEC §7 monitoring)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.helpers import Api

FIXTURE = Path(__file__).parents[2] / "fixtures" / "metrics" / "harbour_march.csv"


def test_an_export_is_imported_and_the_kpis_match_the_hand_computed_fixture(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement("Harbour Street Physio")
    body = {"engagement_id": engagement_id, "csv": FIXTURE.read_text(), "filename": "harbour_march.csv"}
    result = api.post("/metrics/import", body, expect=201)
    assert result["rows_imported"] == 5
    assert result["skipped"] == [
        {"field": "row 7.impressions", "message": "'not available' is not a number", "code": "invalid"}
    ]
    assert result["columns"]["spend"] == "Amount spent (GBP)"

    report = api.get("/metrics/kpis", expect=200, engagement_id=engagement_id)
    total = report["total"]
    assert total["rows"] == 5
    assert total["impressions"] == {"value": 37500.0, "rows": 5}
    assert total["reach"] == {"value": 23500.0, "rows": 3}
    assert total["engagement_rate"]["value"] == 1570 / 35000
    assert total["cost_per_result"]["value"] == 250 / 11
    assert total["roas"] == {"value": None, "rows": 0}  # no revenue column: no data, not zero
    assert sorted(report["by_platform"]) == ["facebook", "google_business", "instagram"]
    assert [w["week"] for w in report["weekly"]] == ["2027-03-01", "2027-03-08"]
    assert [i["id"] for i in report["imports"]] == [result["id"]]
    audit = api.get("/audit", expect=200, engagement_id=engagement_id)["data"]
    assert any(a["action"] == "metrics.import" for a in audit)


def test_a_file_with_no_usable_row_is_refused_and_saves_nothing(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    refused = api.post(
        "/metrics/import", {"engagement_id": engagement_id, "csv": "platform,clicks\nx,1\n"}, expect=422
    )
    assert refused["error"]["details"][0]["field"] == "csv"
    assert "needs a date column" in refused["error"]["message"]
    empty = api.get("/metrics/kpis", expect=200, engagement_id=engagement_id)
    assert empty["total"]["rows"] == 0 and empty["total"]["impressions"]["value"] is None
    assert empty["imports"] == []


def test_unknown_headers_are_read_through_a_mapping_and_bad_fields_are_named(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    csv = "When;Where;Hits\n2027-01-04;LinkedIn;1.500\n"
    body = {"engagement_id": engagement_id, "csv": csv, "mapping": {"date": "When", "platform": "Where"}}
    api.post("/metrics/import", body | {"mapping": {}}, expect=422)
    result = api.post(
        "/metrics/import", body | {"mapping": body["mapping"] | {"impressions": "Hits"}}, expect=201
    )
    assert result["columns"] == {"date": "When", "platform": "Where", "impressions": "Hits"}
    kpis = api.get("/metrics/kpis", expect=200, engagement_id=engagement_id)
    assert kpis["by_platform"]["linkedin"]["impressions"]["value"] == 1500
    bad = api.post("/metrics/import", {"engagement_id": "nope", "csv": csv}, expect=404)
    assert bad["error"]["type"] == "NOT_FOUND"
    api.post("/metrics/import", {"engagement_id": engagement_id, "csv": ""}, expect=422)


def test_one_percent_bad_rows_over_the_route_keep_every_good_row_and_name_each_bad_one(
    client: TestClient,
) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    lines = ["date,platform,impressions,clicks"]
    bad = set(range(3, 1000, 100))  # 10 of 1,000 = 1 %
    for i in range(1000):
        cells = [f"2027-05-{1 + i % 28:02d}", "instagram", str(1000 + i), str(i % 40)]
        if i in bad:
            cells[0 if i % 200 == 3 else 3] = "31/02/2027" if i % 200 == 3 else "twelve"
        lines.append(",".join(cells))
    result = api.post(
        "/metrics/import", {"engagement_id": engagement_id, "csv": "\n".join(lines)}, expect=201
    )
    assert result["rows_imported"] == 990
    assert [s["field"] for s in result["skipped"]] == [
        f"row {i + 2}.{'date' if i % 200 == 3 else 'clicks'}" for i in sorted(bad)
    ]
    report = api.get("/metrics/kpis", expect=200, engagement_id=engagement_id)
    good = [i for i in range(1000) if i not in bad]
    assert report["total"]["impressions"] == {"value": float(sum(1000 + i for i in good)), "rows": 990}
    assert report["total"]["ctr"]["value"] == sum(i % 40 for i in good) / sum(1000 + i for i in good)
