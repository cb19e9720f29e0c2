"""End to end: the figures of the 2019 report excerpt and the facts brief load as stated,
with their bounds, sources and locators."""

from __future__ import annotations

import pandas as pd
import pytest

REPORT = "bri_progress_2019"


def _fact(ds, subject, indicator, source=REPORT):
    rows = ds.facts[
        (ds.facts["subject"] == subject)
        & (ds.facts["indicator"] == indicator)
        & (ds.facts["source_id"] == source)
    ]
    assert len(rows) == 1, (subject, indicator, source, rows)
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("subject", "indicator", "text", "value", "bound"),
    [
        ("brf_2017", "participants", "more than 1,600", 1600, "lower"),
        ("brf_2017", "heads_of_state_government", "29", 29, "exact"),
        ("brf_2017", "countries", "over 140", 140, "lower"),
        ("brf_2017", "international_organizations", "80-plus", 80, "lower"),
        ("brf_2017", "deliverables", "279", 279, "exact"),
        ("brf_2017", "major_items", "76", 76, "exact"),
        ("brf_2017", "deliverable_areas", "five", 5, "exact"),
        ("ciie_2018", "countries_regions_organizations", "172", 172, "exact"),
        ("ciie_2018", "exhibitors", "more than 3,600", 3600, "lower"),
        ("hongqiao_forum_2018", "participants", "over 4,500", 4500, "lower"),
        ("industrial_cooperation_agreement", "countries", "more than 40", 40, "lower"),
    ],
)
def test_excerpt_figures_load_as_stated(dataset, subject, indicator, text, value, bound):
    fact = _fact(dataset, subject, indicator)
    assert (fact["value_text"], fact["value"], fact["bound"]) == (text, value, bound)
    assert fact["confidence"] == "verified"
    assert fact["locator"].startswith(("I.6", "II.1"))


def test_report_source_is_the_2019_official_report(dataset):
    source = dataset.sources.set_index("source_id").loc[REPORT]
    assert source["kind"] == "official_report"
    assert source["published"] == pd.Timestamp("2019-04-22")


def test_industrial_cooperation_names_four_of_more_than_forty(dataset):
    named = dataset.participation[
        (dataset.participation["channel"] == "industrial_cooperation_agreement")
        & (dataset.participation["source_id"] == REPORT)
    ]
    assert sorted(named["iso3"]) == ["BRA", "EGY", "ETH", "KAZ"]


def test_named_organizations_and_third_party_partners(dataset):
    p = dataset.participation[dataset.participation["source_id"] == REPORT]
    orgs = p[p["channel"] == "regional_organization_alignment"]
    assert set(orgs["party"]) == {"ASEAN", "African Union", "CELAC"}
    assert orgs["iso3"].isna().all()
    tpm = p[p["channel"] == "third_party_market_cooperation"]
    assert set(tpm["iso3"]) == {"FRA", "ITA", "ESP", "JPN", "PRT"}


def test_the_two_named_zones(dataset):
    assert sorted(dataset.zones["iso3"]) == ["KAZ", "LAO"]


def test_seventeen_mechanisms_two_without_country_members(dataset):
    mechanisms = dataset.mechanisms
    assert len(mechanisms) == 17
    assert set(mechanisms.loc[mechanisms["country_membership"] == "no", "mechanism_id"]) == {
        "wef",
        "boao_forum",
    }
    assert (mechanisms["source_id"] == REPORT).all()


def test_events_and_regional_expos(dataset):
    events = dataset.events.set_index("event_id")
    assert events.loc["brf_2017", "start_date"] == pd.Timestamp("2017-05-14")
    assert events.loc["brf_2017", "iso3"] == "CHN"
    assert set(dataset.events["series_id"]) >= {"belt_and_road_forum", "ciie", "hongqiao_forum"}
    ciie = dataset.events[dataset.events["series_id"] == "ciie"]
    assert sorted(ciie["edition"]) == list(range(1, 9))
    expos = dataset.series[dataset.series["kind"] == "expo"]
    assert len(expos) >= 8 and expos["city"].notna().all()


def test_initiative_counts_of_march_2019(dataset):
    facts = dataset.facts[
        (dataset.facts["subject"] == "bri") & (dataset.facts["as_of"] == pd.Timestamp("2019-03-31"))
    ]
    by_indicator = dict(zip(facts["indicator"], facts["value"], strict=False))
    assert by_indicator["cooperation_documents"] == 173
    assert by_indicator["countries_signed"] == 125
    assert by_indicator["organizations_signed"] == 29


def test_unconfirmed_facts_are_marked_unverified(dataset):
    brief = dataset.facts[dataset.facts["source_id"] == "facts_brief"]
    assert not brief.empty and (brief["confidence"] == "unverified").all()
    exits = dataset.participation[dataset.participation["left"].notna()]
    assert {"Italy", "Panama"} <= set(exits["party"])
