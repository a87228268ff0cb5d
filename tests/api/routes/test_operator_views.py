"""The PM view, the analytics dashboard and the unified engagement view over the real routes (SPEC §7
operator views): tasks come from the plan's jobs and the campaign checklists with owners, due dates
and statuses; the dashboard and the overview agree with the monitoring routes they are built from."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.api.helpers import Api
from tests.api.routes.test_campaigns import approved_engagement, campaign_body


def test_pm_view_dashboard_and_overview_of_one_engagement(client: TestClient) -> None:
    api = Api(client)
    engagement_id, brief = approved_engagement(api)
    campaign = api.post("/campaigns", campaign_body(engagement_id, brief, "manual"), expect=201)
    items = api.post(f"/campaigns/{campaign['id']}/generate", expect=200)
    start = date.fromisoformat(brief["start_date"])
    plan = api.get(f"/engagements/{engagement_id}/plan", expect=200)

    view = api.get(f"/projects/{engagement_id}/pm", expect=200)
    tasks = {t["id"]: t for t in view["tasks"]}
    enabled = [j for j in plan["jobs"] if j["enabled"]]
    assert {j["id"] for j in enabled} <= set(tasks)
    strategy = next(tasks[j["id"]] for j in enabled if j["module"] == "strategy")
    assert strategy["owner"] == "Strategist" and strategy["source"] == "plan"
    assert strategy["due"] == str(start - timedelta(days=15))
    assert strategy["status"] == "done"  # the strategy was generated directly and approved
    review = tasks[f"{campaign['id']}:linkedin:review"]
    linkedin = sum(i["platform"] == "linkedin" for i in items)
    assert review["title"].endswith(f"(0/{linkedin})") and review["status"] == "to do"
    assert review["owner"] == "Content reviewer" and review["due"] == campaign["start_date"]
    publish = tasks[f"{campaign['id']}:google_business:publish"]
    assert publish["owner"] == "Community manager" and publish["due"] == campaign["end_date"]
    assert [p["name"] for p in view["phases"]] == ["Discovery and strategy", "Production", "Live", "Review"]
    assert view["phases"][2]["start"] == str(start)
    assert sum(c for s, c in view["counts"].items() if s != "overdue") == len(view["tasks"])
    open_tasks = [t for t in view["tasks"] if t["status"] not in {"done", "skipped"} and t["due"]]
    assert sum(x["open_tasks"] for x in view["capacity"]) == len(open_tasks)
    assert all(x["over"] == (x["open_tasks"] > x["capacity"]) for x in view["capacity"])
    assert "default, not a measurement" in view["capacity_rule"]

    csv = "\n".join(
        [
            "date,platform,post,impressions,engagements,clicks,conversions,spend",
            f"{start},linkedin,{items[0]['id']},1000,50,20,2,40",
            f"{start + timedelta(days=7)},linkedin,,3000,90,10,1,20",
        ]
    )
    api.post("/metrics/import", {"engagement_id": engagement_id, "csv": csv}, expect=201)
    mentions = f"date,platform,text\n{start},linkedin,Brilliant advice from Calder & Finch\n"
    api.post("/listening/import", {"engagement_id": engagement_id, "csv": mentions}, expect=201)

    board = api.get(f"/projects/{engagement_id}/dashboard", expect=200)
    kpis = api.get("/metrics/kpis", expect=200, engagement_id=engagement_id)
    goals = api.get("/metrics/goals", expect=200, engagement_id=engagement_id)
    assert board["total"] == kpis["total"] and board["weekly"] == kpis["weekly"]
    assert board["goals"] == goals["goals"] and board["goals"][0]["raw"] == "35 consultations per month"
    assert board["by_campaign"][0]["linked_rows"] == 1
    assert board["listening"]["mentions"] == 1 and board["listening"]["positive"] == 1

    overview = api.get(f"/projects/{engagement_id}/overview", expect=200)
    assert (
        overview["engagement_id"] == engagement_id and overview["client_name"] == "Calder & Finch Solicitors"
    )
    states = {m["module"]: m["status"] for m in overview["modules"]}
    assert states["strategy"] == "approved" and states["monitoring"] == "not started"
    assert overview["stage"].startswith("Execution plan")
    assert overview["plan"]["total"] == len(enabled)
    assert overview["tasks"] == view["counts"]
    assert overview["campaigns"][0]["items"] == len(items)
    assert overview["kpis"]["impressions"]["value"] == 4000 and overview["listening"]["mentions"] == 1


def test_an_engagement_without_plan_or_start_says_so(client: TestClient) -> None:
    api = Api(client)
    _, engagement_id = api.new_engagement("Empty Co")
    view = api.get(f"/projects/{engagement_id}/pm", expect=200)
    assert view["tasks"] == [] and view["phases"] == []
    assert any(n.startswith("No plan tasks") for n in view["notes"])
    board = api.get(f"/projects/{engagement_id}/dashboard", expect=200)
    assert board["total"]["rows"] == 0 and board["goals"] == [] and board["listening"]["mean"] is None
    api.get("/projects/en_missing/pm", expect=404)
