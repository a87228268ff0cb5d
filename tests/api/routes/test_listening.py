"""Social listening over the real routes (SPEC §7 monitoring): a mentions export is imported with bad
rows named and missing sentiments scored offline; the report's topics and weeks come from the rows."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.helpers import Api

FIXTURE = Path(__file__).parents[2] / "fixtures" / "listening" / "harbour_mentions.csv"


def test_a_mentions_export_is_imported_and_reported(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement("Harbour Street Physio")
    body = {"engagement_id": engagement_id, "csv": FIXTURE.read_text(), "filename": "mentions.csv"}
    result = api.post("/listening/import", body, expect=201)
    assert (result["rows_imported"], result["sentiment_computed"]) == (7, 4)
    assert [s["field"] for s in result["skipped"]] == ["row 8.text", "row 9.reach"]
    assert result["columns"]["text"] == "Mention"

    report = api.get("/listening/report", expect=200, engagement_id=engagement_id)
    assert report["total"]["mentions"] == 7 and report["total"]["reach"] == 9650
    assert report["total"]["computed"] == 4
    assert sorted(report["by_platform"]) == ["facebook", "instagram", "linkedin", "x"]
    knee = next(t for t in report["topics"] if t["term"] == "knee")
    assert knee["mentions"] == 2 and knee["source_rows"] == [2, 5]
    assert [w["week"] for w in report["weekly"]] == ["2027-03-01", "2027-03-08"]
    assert report["weekly"][0]["summary"]["mentions"] == 4
    assert report["most_negative"][0]["source_row"] in {3, 7}
    assert all(m["label"] == "negative" for m in report["most_negative"])
    assert "VADER" in report["method"]
    audit = api.get("/audit", expect=200, engagement_id=engagement_id)["data"]
    assert any(a["action"] == "listening.import" for a in audit)


def test_a_file_with_no_usable_row_is_refused_and_saves_nothing(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    refused = api.post(
        "/listening/import",
        {"engagement_id": engagement_id, "csv": "date,platform\n2027-01-01,x\n"},
        expect=422,
    )
    assert refused["error"]["details"][0]["field"] == "csv"
    assert "needs a text column" in refused["error"]["message"]
    empty = api.get("/listening/report", expect=200, engagement_id=engagement_id)
    assert empty["total"]["mentions"] == 0 and empty["total"]["mean"] is None and empty["imports"] == []


def test_a_mapping_reads_unknown_headers(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement()
    csv = "When|Where|Said\n2027-01-04|TikTok|Terrible service, never again\n"
    body = {
        "engagement_id": engagement_id,
        "csv": csv,
        "mapping": {"date": "When", "platform": "Where", "text": "Said"},
    }
    result = api.post("/listening/import", body, expect=201)
    assert result["rows_imported"] == 1 and result["skipped"] == []
    report = api.get("/listening/report", expect=200, engagement_id=engagement_id)
    assert report["total"]["negative"] == 1
