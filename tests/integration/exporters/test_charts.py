"""Chart specs from metric rows, rendered offline to PNG."""

from __future__ import annotations

from datetime import date

from aicmo.adapters.exporters import charts


def test_rows_are_normalised_from_csv_like_values() -> None:
    rows = charts.normalise_rows(
        [
            {
                "date": "2026-03-03",
                "platform": "Instagram",
                "impressions": "1,200",
                "clicks": "14",
                "spend": "9.5",
            },
            {"date": "not a date", "platform": "x", "impressions": 10},
            {"date": date(2026, 3, 2), "platform": "linkedin", "impressions": 300, "engagements": None},
        ]
    )
    assert [(r.day, r.platform) for r in rows] == [
        (date(2026, 3, 2), "linkedin"),
        (date(2026, 3, 3), "instagram"),
    ]
    assert rows[1].impressions == 1200 and rows[1].spend == 9.5 and rows[0].engagements == 0


def test_weekly_totals_bucket_by_monday(package) -> None:
    rows = charts.normalise_rows(
        [
            {"date": "2026-03-04", "platform": "facebook", "impressions": 100},
            {"date": "2026-03-08", "platform": "facebook", "impressions": 50},
            {"date": "2026-03-09", "platform": "facebook", "impressions": 10},
        ]
    )
    totals = charts.weekly_totals(rows)
    assert [(t["week"], t["impressions"]) for t in totals] == [("2026-03-02", 150), ("2026-03-09", 10)]
    assert totals[0]["week_label"] == "w/c 2 Mar"


def test_report_charts_render_to_png(package) -> None:
    specs = charts.report_charts(package.metrics, colours={"instagram": "#0B4F6C"})
    assert [key for key, _ in specs] == [
        "impressions_by_week",
        "clicks_and_conversions_by_week",
        "engagement_rate_by_platform",
    ]
    impressions = specs[0][1].to_dict()
    assert impressions["encoding"]["color"]["scale"]["domain"] == ["Facebook", "Instagram", "LinkedIn"]
    assert impressions["encoding"]["color"]["scale"]["range"][1] == "#0B4F6C"
    for _, chart in specs:
        png = charts.chart_png(chart)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 5_000


def test_no_rows_means_no_charts() -> None:
    assert charts.report_charts([]) == []
    assert charts.report_charts([{"platform": "x"}]) == []


def test_engagement_rate_per_platform() -> None:
    rows = charts.normalise_rows(
        [{"date": "2026-03-02", "platform": "x", "impressions": 1000, "engagements": 45, "clicks": 12}]
    )
    [total] = charts.platform_totals(rows)
    assert total["platform"] == "X" and total["engagement_rate"] == 0.045 and total["ctr"] == 0.012


def test_imported_metric_rows_are_accepted_as_they_are() -> None:
    from aicmo.domain.metrics import from_record

    rows = charts.normalise_rows(
        [from_record({"date": "2026-03-02", "platform": "LinkedIn", "impressions": "1,500", "clicks": 9})]
    )
    assert [(r.platform, r.impressions, r.clicks) for r in rows] == [("linkedin", 1500, 9)]


def test_sentiment_by_week_renders_one_bar_per_week_labelled_with_its_mentions() -> None:
    weeks = [
        {"week": "2026-03-02", "mentions": 3, "mean": 0.2333},
        {"week": "2026-03-09", "mentions": 2, "mean": -0.6},
        {"week": "not a week", "mentions": 9, "mean": 1.0},
    ]
    chart = charts.sentiment_by_week(weeks)
    records = chart.to_dict()["data"]["values"]
    assert [(r["week"], r["label"], r["mean"]) for r in records] == [
        ("2026-03-02", "n=3", 0.2333),
        ("2026-03-09", "n=2", -0.6),
    ]
    assert charts.chart_png(chart).startswith(b"\x89PNG")
