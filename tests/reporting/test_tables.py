"""Analysis frames as report tables: figures as text with their bounds, ranges for disputes."""

from __future__ import annotations

import pytest

from bri_analysis.analysis import events as ev
from bri_analysis.reporting import tables
from bri_analysis.reporting.format import MISSING


def test_compare_events_has_one_row_per_event_in_date_order(dataset):
    wide = tables.compare_events(dataset, "ciie")
    ciie = dataset.events[dataset.events["series_id"] == "ciie"].sort_values("start_date")
    assert list(wide.index) == list(ciie["name"])
    assert wide.index.is_unique
    long = ev.event_table(dataset, "ciie")
    assert set(wide.columns) == set(long["indicator_label"])


def test_compare_events_fills_missing_figures(fixture_dataset):
    wide = tables.compare_events(fixture_dataset)
    assert list(wide.index) == ["First Fixture Forum", "Second Fixture Forum"]
    assert list(wide.columns) == ["Participants", "Deal value"]  # order of indicators.csv
    assert wide.loc["First Fixture Forum", "Deal value"] == MISSING
    assert wide.loc["Second Fixture Forum", "Deal value"] == "US$64 bn"


def test_compare_events_keeps_events_without_figures(fixture_dataset):
    wide = tables.compare_events(fixture_dataset, indicators="deal_value")
    assert list(wide["Deal value"]) == [MISSING, "US$64 bn"]


def test_edition_growth_texts(fixture_dataset):
    growth = tables.growth_displays(ev.edition_growth(fixture_dataset, "forum", "participants"))
    assert len(growth) == 1
    row = growth.iloc[0]
    assert (row["from_display"], row["to_display"]) == ("≥ 1,600", "≈ 6,000")
    assert row["pct_change"] == pytest.approx(275.0)
    assert row["change_display"] == "≈ +275.0%"


def test_event_displays_show_disputes_as_ranges(fixture_dataset):
    table = ev.event_table(fixture_dataset)
    texts = dict(
        zip(
            table["event_id"] + "/" + table["indicator"],
            tables.event_displays(fixture_dataset, table),
            strict=True,
        )
    )
    assert texts == {
        "forum_2017/participants": "≈ 1,500 – ≥ 1,600",
        "forum_2019/participants": "≈ 6,000",
        "forum_2019/deal_value": "US$64 bn",
    }


def test_share_texts_mirror_the_bound_of_the_total(fixture_dataset):
    from bri_analysis import disclosure_gap

    gap = tables.share_texts(disclosure_gap(fixture_dataset, "2020-01-01"))
    texts = dict(zip(gap["channel"], gap["share_text"], strict=True))
    assert texts["industrial_cooperation_agreement"] == "≤ 5%"  # "more than 40", 2 named
    assert texts["bri_cooperation_document"] == "0.8%"  # 125 stated, 1 named then


def test_series_lines_and_edition_charts_keep_to_the_years_asked(dataset):
    every = list(dataset.series["series_id"])
    lines = tables.series_lines(dataset, every, "visitors", start_year=2022)
    drawn = {name: set(frame["subject"]) for name, frame in lines["count"].items()}
    # CIIE is the one series with visitor counts for two editions from 2022 on
    assert drawn == {"CIIE": {"ciie_2022", "ciie_2023", "ciie_2024", "ciie_2025"}}
    assert "Silk Road Expo" in tables.series_lines(dataset, every, "visitors")["count"]

    charts = tables.edition_charts(dataset, ["ciie"], ["visitors"], end_year=2019)
    assert [set(chart["points"]["subject"]) for chart in charts] == [{"ciie_2018", "ciie_2019"}]
