"""Event scale: reference values, disputes kept as ranges, comparison tables, growth."""

from __future__ import annotations

import pandas as pd
import pytest

from bri_analysis import UnknownChoiceError, load_dataset
from bri_analysis import events as ev


@pytest.fixture
def fixture_ds(fixture_data):
    return load_dataset(fixture_data)


def _row(table: pd.DataFrame, event_id: str, indicator: str) -> pd.Series:
    rows = table[(table["event_id"] == event_id) & (table["indicator"] == indicator)]
    assert len(rows) == 1, f"expected one row for {event_id}/{indicator}, got {len(rows)}"
    return rows.iloc[0]


# --- shipped data ------------------------------------------------------------------------


def test_brf_2017_participants_are_disputed_and_keep_the_lower_bound(dataset):
    row = _row(ev.event_table(dataset, "belt_and_road_forum"), "brf_2017", "participants")
    assert row["disputed"]
    assert row["sources"] >= 2
    assert row["low"] == 1500
    assert row["high"] == 1600
    assert row["display"] == "≈ 1,500 – ≥ 1,600"
    assert "bri_progress_2019" in row["source_ids"]


def test_brf_2019_heads_of_state_37_vs_38_is_disputed(dataset):
    row = _row(
        ev.event_table(dataset, "belt_and_road_forum"), "brf_2019", "heads_of_state_government"
    )
    assert row["disputed"]
    assert (row["low"], row["high"]) == (37, 38)
    assert row["display"] == "37 – 38"
    assert "," in row["source_ids"]


def test_ciie_editions_2018_to_2025_in_order(dataset):
    table = ev.event_table(dataset, "ciie")
    events = table.drop_duplicates("event_id")
    assert list(events["start_date"].dt.year) == list(range(2018, 2026))
    assert list(events["edition"]) == list(range(1, 9))
    assert table["start_date"].is_monotonic_increasing


def test_compare_events_has_one_row_per_event_in_date_order(dataset):
    wide = ev.compare_events(dataset, "ciie")
    ciie = dataset.events[dataset.events["series_id"] == "ciie"].sort_values("start_date")
    assert list(wide.index) == list(ciie["name"])
    assert wide.index.is_unique
    long = ev.event_table(dataset, "ciie")
    assert set(wide.columns) == set(long["indicator_label"])


def test_unknown_series_names_the_choices(dataset):
    with pytest.raises(UnknownChoiceError, match="unknown series 'brf'.*ciie"):
        ev.event_table(dataset, "brf")
    with pytest.raises(UnknownChoiceError, match="belt_and_road_forum"):
        ev.compare_events(dataset, ["ciie", "nope"])


def test_edition_growth_is_approximate_when_an_end_is_a_bound(dataset):
    # CIIE visitors: "more than 400,000" (2018) then "more than 500,000" (2019), one source each
    visitors = ev.edition_growth(dataset, "ciie", "visitors").iloc[0]
    assert (visitors["from_bound"], visitors["to_bound"]) == ("lower", "lower")
    assert visitors["approximate"]
    assert (visitors["from_display"], visitors["to_display"]) == ("≥ 400,000", "≥ 500,000")
    assert visitors["change_display"] == "≈ +25.0%"
    # CIIE deals: US$57.83 bn then US$71.13 bn, both exact and undisputed
    deals = ev.edition_growth(dataset, "ciie", "deal_value")
    first = deals.iloc[0]
    assert not first["approximate"]
    assert first["change_display"] == "+23.0%"
    assert first["to_display"] == "US$71.1 bn"
    # 2021 deals are disputed (US$70.72 bn vs US$70.62 bn): growth into and out of it is approximate
    assert list(deals.loc[deals["to_label"].str.startswith("4th"), "approximate"]) == [True]


def test_shared_indicators_are_reported_for_two_events_at_least(dataset):
    shared = ev.shared_indicators(dataset, "belt_and_road_forum")
    assert "participants" in shared
    table = ev.event_table(dataset, "belt_and_road_forum", shared)
    assert (table.groupby("indicator")["event_id"].nunique() >= 2).all()


# --- fixture data: exact expectations ------------------------------------------------------


def test_event_table_on_fixture_data(fixture_ds):
    table = ev.event_table(fixture_ds)
    assert list(table.columns) == ev.EVENT_TABLE_COLUMNS
    assert list(zip(table["event_id"], table["indicator"], strict=True)) == [
        ("forum_2017", "participants"),
        ("forum_2019", "participants"),
        ("forum_2019", "deal_value"),
    ]
    disputed = _row(table, "forum_2017", "participants")
    assert disputed["display"] == "≈ 1,500 – ≥ 1,600"
    assert disputed["source_ids"] == "news, report"
    assert disputed["sources"] == 2
    assert _row(table, "forum_2019", "participants")["display"] == "≈ 6,000"
    money = _row(table, "forum_2019", "deal_value")
    assert money["display"] == "US$64 bn"
    assert not money["disputed"]
    assert money["indicator_label"] == "Deal value"
    assert money["series_name"] == "Fixture Forum"


def test_filters_by_indicator_and_year(fixture_ds):
    only_money = ev.event_table(fixture_ds, indicators="deal_value")
    assert list(only_money["event_id"]) == ["forum_2019"]
    assert list(ev.event_table(fixture_ds, start_year=2018)["event_id"].unique()) == ["forum_2019"]
    assert list(ev.event_table(fixture_ds, end_year=2017)["event_id"].unique()) == ["forum_2017"]
    empty = ev.event_table(fixture_ds, indicators="countries")
    assert empty.empty
    assert list(empty.columns) == ev.EVENT_TABLE_COLUMNS


def test_bad_parameters_are_named(fixture_ds):
    with pytest.raises(UnknownChoiceError, match="unknown indicator 'visitors'.*participants"):
        ev.event_table(fixture_ds, indicators=["participants", "visitors"])
    with pytest.raises(ValueError, match="start_year 2020 is after end_year 2019"):
        ev.event_table(fixture_ds, start_year=2020, end_year=2019)
    with pytest.raises(TypeError, match="start_year must be a whole year"):
        ev.event_table(fixture_ds, start_year="2019")
    with pytest.raises(
        UnknownChoiceError, match="unknown series 'industrial_cooperation_agreement'"
    ):
        ev.edition_growth(fixture_ds, "industrial_cooperation_agreement", "countries")


def test_compare_events_fills_missing_figures(fixture_ds):
    wide = ev.compare_events(fixture_ds)
    assert list(wide.index) == ["First Fixture Forum", "Second Fixture Forum"]
    assert list(wide.columns) == ["Participants", "Deal value"]  # order of indicators.csv
    assert wide.loc["First Fixture Forum", "Deal value"] == ev.NO_FIGURE
    assert wide.loc["Second Fixture Forum", "Deal value"] == "US$64 bn"


def test_compare_events_keeps_events_without_figures(fixture_ds):
    wide = ev.compare_events(fixture_ds, indicators="deal_value")
    assert list(wide["Deal value"]) == [ev.NO_FIGURE, "US$64 bn"]


def test_choices_and_shared_indicators(fixture_ds):
    assert ev.series_choices(fixture_ds) == ["forum"]
    assert ev.indicator_choices(fixture_ds) == ["participants", "deal_value"]
    assert ev.shared_indicators(fixture_ds) == ["participants"]


def test_edition_growth_texts(fixture_ds):
    growth = ev.edition_growth(fixture_ds, "forum", "participants")
    assert len(growth) == 1
    row = growth.iloc[0]
    assert (row["from_display"], row["to_display"]) == ("≥ 1,600", "≈ 6,000")
    assert row["pct_change"] == pytest.approx(275.0)
    assert row["change_display"] == "≈ +275.0%"


def test_display_value_drops_counted_units_only():
    assert ev.display_value(1600.0, "lower", "persons") == "≥ 1,600"
    assert ev.display_value(57.83e9, "exact", "USD") == "US$57.8 bn"
    assert ev.display_value(69.1, "exact", "percent") == "69.1%"
    assert ev.display_value(300_000.0, "upper", pd.NA) == "≤ 300,000"


def test_point_displays_ranges_only_where_values_differ():
    points = pd.DataFrame(
        {
            "point": ["a", "a", "a", "b", "b"],
            "value": [38.0, 37.0, 38.0, 5.0, 5.0],
            "bound": ["exact", "exact", "approx", "approx", "exact"],
            "unit": ["persons"] * 5,
            "confidence": ["secondary", "verified", "verified", "verified", "secondary"],
        }
    )
    texts = ev.point_displays(points)
    # tie at 38: the verified source wins, with its bound
    assert texts["a"] == "37 – ≈ 38"
    # same value from two sources: not disputed; the best-confirmed (verified, approx) is shown
    assert texts["b"] == "≈ 5"
