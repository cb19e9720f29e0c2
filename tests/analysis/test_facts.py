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


def test_conflicts_find_the_2019_forum_heads_of_state(dataset):
    found = _group(bri.conflicts(dataset), "brf_2019", "heads_of_state_government")
    assert set(found["value"]) == {37.0, 38.0}
    assert found["sources"].iloc[0] == len(found) >= 2


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


def test_growth_is_approximate_when_an_end_is_a_bound(dataset):
    growth = bri.growth(bri.series(dataset, "ciie", "deal_value"))
    # every deal value is exact, but 2021 is disputed (70.72 vs 70.62 bn): only the two
    # changes touching 2021 are approximate
    assert growth["approximate"].tolist() == [False, False, True, True, False, False, False]
    assert growth["change"].iloc[0] == pytest.approx(71.13e9 - 57.83e9)
    visitors = bri.growth(bri.series(dataset, "ciie", "visitors"))
    assert visitors["approximate"].iloc[0]  # "more than 400,000" buyers in 2018


def test_unknown_indicator_or_subject_names_the_choices(dataset):
    with pytest.raises(bri.UnknownChoiceError, match="indicator"):
        bri.series(dataset, "ciie", "happiness")
    with pytest.raises(bri.UnknownChoiceError, match="subject or series"):
        bri.series(dataset, "olympics", "participants")
