"""Figures the sources disagree on, series over time and growth (shipped and fixture data)."""

from __future__ import annotations

import pandas as pd
import pytest

import bri_analysis as bri
from bri_analysis.analysis.facts import reference_values


def _group(conflicts, subject, indicator):
    return conflicts[(conflicts["subject"] == subject) & (conflicts["indicator"] == indicator)]


def test_conflicts_find_the_2017_forum_participants(dataset):
    found = _group(bri.conflicts(dataset), "brf_2017", "participants")
    stated = set(zip(found["value_text"], found["bound"], strict=True))
    assert ("more than 1,600", "lower") in stated
    assert ("about 1,500", "approx") in stated
    assert found["low"].iloc[0] == 1500 and found["high"].iloc[0] == 1600
    assert found["spread"].iloc[0] == 100
    assert "bri_progress_2019" in set(found["source_id"])


def test_conflicts_find_the_2017_forum_participants_and_not_previews(dataset):
    found = _group(bri.conflicts(dataset), "brf_2017", "participants")
    assert {1500.0, 1600.0} <= set(found["value"])
    assert found["sources"].iloc[0] == len(found) >= 2
    assert not found["preview"].any()
    # the 2019 pre-forum count of heads is a preview, not a disagreement with the 37
    assert _group(bri.conflicts(dataset), "brf_2019", "heads_of_state_government").empty


def test_agreeing_sources_and_different_periods_are_not_conflicts(dataset):
    found = bri.conflicts(dataset)
    # the 2017 forum's 29 heads of state are stated once: nothing to disagree about
    assert _group(found, "brf_2017", "heads_of_state_government").empty
    # cumulative 2013-2018 trade is not the same figure as 2018 trade
    for _, group in found.groupby(["subject", "indicator", "as_of"], dropna=False):
        assert group["period_start"].nunique(dropna=False) == 1


def test_series_over_editions_keeps_every_source_and_bound(dataset):
    points = bri.series(dataset, "belt_and_road_forum", "participants")
    assert points["edition"].dropna().unique().tolist() == [1, 2, 3]
    first = points[points["edition"] == 1]
    assert set(first["bound"]) == {"lower", "approx"}
    assert first["disputed"].all()
    assert points["point"].is_monotonic_increasing


def test_reference_value_prefers_the_official_report(dataset):
    points = bri.series(dataset, "belt_and_road_forum", "participants")
    ref = reference_values(points).set_index("edition")
    assert ref.loc[1, "value_text"] == "more than 1,600"


def test_series_of_official_counts_over_time(dataset):
    points = bri.series(dataset, "bri", "countries_signed")
    march = points[points["point"] == pd.Timestamp("2019-03-31")]
    assert march["value"].tolist() == [125.0]
    assert len(points["point"].unique()) >= 6


def test_growth_is_approximate_when_an_end_is_a_bound_or_disputed(fixture_dataset):
    growth = bri.growth(bri.series(fixture_dataset, "forum", "participants"))
    # "more than 1,600" and "about 1,500" (2017) to "about 6,000" (2019): bounds and a dispute
    assert growth[["from_value", "to_value", "approximate"]].values.tolist() == [
        [1600.0, 6000.0, True]
    ]


def test_growth_never_compares_a_year_with_a_cumulative_period(fixture_dataset):
    growth = bri.growth(bri.series(fixture_dataset, "trade", "trade_value"))
    assert growth[["period", "from_value", "to_value"]].values.tolist() == [
        ["calendar year", 1.3e12, 1.4e12]
    ]  # 2013-2018 (more than US$6 tn) is its own series and has one point


def test_growth_of_ciie_deals_stays_in_us_dollars_and_in_order(dataset):
    growth = bri.growth(bri.series(dataset, "ciie", "deal_value"))
    assert set(growth["measure"]) == {"USD"}
    assert len(growth) == 7 and growth["from_point"].is_monotonic_increasing


def test_unknown_indicator_or_subject_names_the_choices(dataset):
    with pytest.raises(bri.UnknownChoiceError, match="indicator"):
        bri.series(dataset, "ciie", "happiness")
    with pytest.raises(bri.UnknownChoiceError, match="subject or series"):
        bri.series(dataset, "olympics", "participants")
