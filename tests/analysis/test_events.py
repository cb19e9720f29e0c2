"""Event scale: reference values, disputes kept as ranges, comparison tables, growth."""

from __future__ import annotations

import pandas as pd
import pytest

from bri_analysis import UnknownChoiceError
from bri_analysis.analysis import events as ev


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
    assert "bri_progress_2019" in row["source_ids"]


def test_brf_2019_37_foreign_heads_and_38_with_the_host_are_not_a_dispute(dataset):
    table = ev.event_table(dataset, "belt_and_road_forum")
    foreign = _row(table, "brf_2019", "heads_of_state_government")
    assert (foreign["value"], foreign["disputed"], foreign["preview"]) == (37, False, False)
    assert len(foreign["source_ids"]) >= 2  # the pre-forum briefing is a preview, not a source
    assert _row(table, "brf_2019", "heads_of_state_government_incl_host")["value"] == 38


def test_ciie_editions_2018_to_2025_in_order(dataset):
    table = ev.event_table(dataset, "ciie")
    events = table.drop_duplicates("event_id")
    assert list(events["start_date"].dt.year) == list(range(2018, 2026))
    assert list(events["edition"]) == list(range(1, 9))
    assert table["start_date"].is_monotonic_increasing


def test_unknown_series_names_the_choices(dataset):
    with pytest.raises(UnknownChoiceError, match="unknown series 'brf'.*ciie"):
        ev.event_table(dataset, "brf")
    with pytest.raises(UnknownChoiceError, match="belt_and_road_forum"):
        ev.event_table(dataset, ["ciie", "nope"])


def test_shared_indicators_are_reported_for_two_events_at_least(dataset):
    shared = ev.shared_indicators(dataset, "belt_and_road_forum")
    assert "participants" in shared
    table = ev.event_table(dataset, "belt_and_road_forum", shared)
    assert (table.groupby("indicator")["event_id"].nunique() >= 2).all()


# --- fixture data: exact expectations ------------------------------------------------------


def test_event_table_on_fixture_data(fixture_dataset):
    table = ev.event_table(fixture_dataset)
    assert list(table.columns) == ev.EVENT_TABLE_COLUMNS
    assert list(zip(table["event_id"], table["indicator"], strict=True)) == [
        ("forum_2017", "participants"),
        ("forum_2019", "participants"),
        ("forum_2019", "deal_value"),
    ]
    disputed = _row(table, "forum_2017", "participants")
    assert (disputed["low"], disputed["high"], disputed["disputed"]) == (1500, 1600, True)
    assert disputed["source_ids"] == ["news", "report"]
    assert disputed["sources"] == 2
    assert _row(table, "forum_2019", "participants")["bound"] == "approx"
    money = _row(table, "forum_2019", "deal_value")
    assert (money["value"], money["unit"]) == (64e9, "USD")
    assert not money["disputed"]
    assert money["indicator_label"] == "Deal value"
    assert money["series_name"] == "Fixture Forum"


def test_filters_by_indicator_and_year(fixture_dataset):
    only_money = ev.event_table(fixture_dataset, indicators="deal_value")
    assert list(only_money["event_id"]) == ["forum_2019"]
    assert list(ev.event_table(fixture_dataset, start_year=2018)["event_id"].unique()) == [
        "forum_2019"
    ]
    assert list(ev.event_table(fixture_dataset, end_year=2017)["event_id"].unique()) == [
        "forum_2017"
    ]
    empty = ev.event_table(fixture_dataset, indicators="countries")
    assert empty.empty
    assert list(empty.columns) == ev.EVENT_TABLE_COLUMNS


def test_bad_parameters_are_named(fixture_dataset):
    with pytest.raises(UnknownChoiceError, match="unknown indicator 'visitors'.*participants"):
        ev.event_table(fixture_dataset, indicators=["participants", "visitors"])
    with pytest.raises(ValueError, match="start_year 2020 is after end_year 2019"):
        ev.event_table(fixture_dataset, start_year=2020, end_year=2019)
    with pytest.raises(TypeError, match="start_year must be a whole year"):
        ev.event_table(fixture_dataset, start_year="2019")
    with pytest.raises(
        UnknownChoiceError, match="unknown series 'industrial_cooperation_agreement'"
    ):
        ev.edition_growth(fixture_dataset, "industrial_cooperation_agreement", "countries")


def test_choices_and_shared_indicators(fixture_dataset):
    assert ev.series_choices(fixture_dataset) == ["forum"]
    assert ev.shared_indicators(fixture_dataset) == ["participants"]


def test_edition_growth_gives_numbers_and_units(fixture_dataset):
    row = ev.edition_growth(fixture_dataset, "forum", "participants").iloc[0]
    assert (row["from_value"], row["to_value"]) == (1600, 6000)
    assert (row["from_bound"], row["to_bound"], row["approximate"]) == ("lower", "approx", True)
    assert row["pct_change"] == pytest.approx(275.0)
    assert (row["from_unit"], row["to_unit"]) == ("persons", "persons")
