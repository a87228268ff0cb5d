"""Goal progress and campaign KPIs over the real routes (SPEC §7 monitoring): each target of the brief
shows how it was read and says when the reading is ambiguous; measured values match a hand
computation from the fixture; a campaign's KPIs come from the rows naming its items."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from aicmo.domain.metrics import post_key
from tests.api.helpers import Api
from tests.api.routes.test_campaigns import approved_engagement, campaign_body

FIXTURE = Path(__file__).parents[2] / "fixtures" / "metrics" / "harbour_march.csv"
TARGETS = "; ".join(
    [
        "20 consultations per month",
        "cost per lead under £30, CTR above 2%, ROAS 3x, grow followers 20%, brand love",
    ]
)


def test_goals_show_the_parse_flag_ambiguity_and_match_a_hand_computation(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement("Harbour Street Physio")
    api.new_artifact(engagement_id, "intake", {"kpi_targets": TARGETS})
    api.post("/metrics/import", {"engagement_id": engagement_id, "csv": FIXTURE.read_text()}, expect=201)

    report = api.get("/metrics/goals", expect=200, engagement_id=engagement_id)
    assert report["targets_text"] == TARGETS and report["data_days"] == 10  # 1 to 10 March
    goals = {g["raw"]: g for g in report["goals"]}
    assert list(goals) == [
        "20 consultations per month",
        "cost per lead under £30",
        "CTR above 2%",
        "ROAS 3x",
        "grow followers 20%",
        "brand love",
    ]

    leads = goals["20 consultations per month"]
    assert leads["parsed"] | {"label": None} == {
        "metric": "leads",
        "label": None,
        "value": 20.0,
        "comparator": "",
        "period": "per month",
        "currency": "",
        "percent": False,
        "baseline": None,
        "reading": "20 per month",
    }
    expected = 20 * (10 / 7) / 4.345  # a month is 4.345 weeks; 10 days of data
    assert leads["kpi"] == "conversions" and (leads["actual"], leads["rows"]) == (16.0, 4)  # 6+4+1+5
    assert leads["expected"] == round(expected, 6)
    assert leads["progress_pct"] == round(16 / expected * 100, 1) and leads["status"] == "ahead"
    assert leads["ambiguous"] == []

    cpl = goals["cost per lead under £30"]
    assert (cpl["parsed"]["comparator"], cpl["parsed"]["currency"]) == ("≤", "£")
    assert cpl["actual"] == 250 / 11 and cpl["rows"] == 3  # £250 over 11 conversions in rows 2–4
    assert cpl["progress_pct"] == round(30 / (250 / 11) * 100, 1) and cpl["status"] == "ahead"

    ctr = goals["CTR above 2%"]
    assert ctr["actual"] == 575 / 27500 and ctr["expected"] == 0.02  # clicks ÷ impressions, 4 rows
    assert ctr["progress_pct"] == round(575 / 27500 / 0.02 * 100, 1) and ctr["status"] == "on track"

    assert goals["ROAS 3x"]["status"] == "no data" and goals["ROAS 3x"]["actual"] is None
    followers = goals["grow followers 20%"]
    assert followers["status"] == "not measurable" and followers["kpi"] is None
    love = goals["brand love"]
    assert love["status"] == "not measurable"
    assert any("no number" in why for why in love["ambiguous"])
    assert any("no metric we recognise" in why for why in love["ambiguous"])


def test_a_campaigns_kpis_come_from_rows_naming_its_items(client: TestClient) -> None:
    api = Api(client)
    engagement_id, brief = approved_engagement(api)
    campaign = api.post("/campaigns", campaign_body(engagement_id, brief, "manual"), expect=201)
    items = api.post(f"/campaigns/{campaign['id']}/generate", expect=200)
    csv = "\n".join(
        [
            "date,platform,post,impressions,engagements,clicks,conversions,spend",
            f"2027-02-01,linkedin,{items[0]['id']},1000,50,20,2,40",
            f"2027-02-09,linkedin,{items[1]['id']},3000,90,10,0,20",
            "2027-02-09,linkedin,someone-elses-post,500,5,1,0,",
        ]
    )
    api.post("/metrics/import", {"engagement_id": engagement_id, "csv": csv}, expect=201)
    report = api.get("/metrics/kpis", expect=200, engagement_id=engagement_id)
    assert report["unlinked_rows"] == 1 and report["total"]["rows"] == 3
    (own,) = report["by_campaign"]
    assert own["name"] == "Spring consultations push" and own["linked_rows"] == 2
    assert own["items"] == len(items)
    k = own["kpis"]
    assert (k["impressions"]["value"], k["clicks"]["value"], k["conversions"]["value"]) == (4000, 30, 2)
    assert k["engagement_rate"]["value"] == 140 / 4000 and k["ctr"]["value"] == 30 / 4000
    assert k["cost_per_result"]["value"] == 60 / 2 and k["roas"]["value"] is None
    assert [w["week"] for w in own["weekly"]] == ["2027-02-01", "2027-02-08"]  # Mondays


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("https://www.instagram.com/p/HSP001/", "instagram.com/p/hsp001"),
        ("instagram.com/p/HSP001?utm_source=x", "instagram.com/p/HSP001?utm_source=x"),
        ("HTTP://Instagram.com/p/HSP001#top", "instagram.com/p/hsp001"),
        ("ci_0123", "ci_0123"),
    ],
)
def test_post_keys(text: str, key: str) -> None:
    assert post_key(text) == key
