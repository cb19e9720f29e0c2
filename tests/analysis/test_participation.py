"""Participation by channel: the as-of rule, exits, first signings, regions, disclosure gaps."""

from __future__ import annotations

import pandas as pd
import pytest

import bri_analysis as bri
from bri_analysis import load_dataset
from bri_analysis.analysis.participation import (
    all_parties,
    channel_choices,
    channel_table,
    counts_over_time,
    disclosure_gap,
    first_signings,
    named_over_time,
    parties,
    region_choices,
    region_counts,
    regional_shares,
    undated_parties,
)
from bri_analysis.errors import UnknownChoiceError
from tests.helpers import append_rows

INDUSTRIAL = "industrial_cooperation_agreement"
THIRD_PARTY = "third_party_market_cooperation"
BRI = "bri_cooperation_document"
REPORT_DAY = "2019-04-22"  # the 2019 progress report's release


def _parties(ds, day, channel=None) -> list[str]:
    rows = parties(ds, day, [channel] if channel else None)
    return sorted(rows["party"])


# --- fixture data ------------------------------------------------------------------------


def test_zones_are_a_channel_and_undated_rows_count_from_their_source(fixture_dataset):
    rows = parties(fixture_dataset, REPORT_DAY)
    assert sorted(zip(rows["channel"], rows["party"], strict=True)) == [
        (BRI, "Hungary"),
        (BRI, "Italy"),
        (BRI, "Kenya"),
        ("cooperation_zone", "Kazakhstan"),
        (INDUSTRIAL, "African Union"),
        (INDUSTRIAL, "Kazakhstan"),
        (INDUSTRIAL, "Lao PDR"),
    ]
    zone = rows[rows["channel"] == "cooperation_zone"].iloc[0]
    assert (zone["iso3"], zone["source_id"], zone["locator"]) == ("KAZ", "report", "I.6 item 3")
    kaz = rows[(rows["channel"] == INDUSTRIAL) & (rows["party"] == "Kazakhstan")].iloc[0]
    assert pd.isna(kaz["joined"])
    assert (kaz["since"], kaz["since_precision"], kaz["since_from"]) == (
        pd.Timestamp(REPORT_DAY),
        "day",
        "source published",
    )
    # the day before the report: only what a dated row places
    assert _parties(fixture_dataset, "2019-04-21") == ["Hungary", "Italy", "Lao PDR"]
    assert _parties(fixture_dataset, "2015-06-05") == []


def test_a_partial_date_counts_once_its_period_is_over_and_an_exit_from_its_first_day(
    fixture_data,
):
    append_rows(
        fixture_data,
        "participation",
        "Egypt,country,industrial_cooperation_agreement,,,,,news,para 9,secondary,",
        "Ethiopia,country,industrial_cooperation_agreement,2018,2019-03,,,news,para 9,secondary,",
    )
    ds = load_dataset(fixture_data)
    egypt = parties(ds, "2019-06-01").set_index("party").loc["Egypt"]
    # the source is dated "2019-05": certain from the end of May
    assert (egypt["since"], egypt["since_precision"]) == (pd.Timestamp("2019-05-31"), "month")
    assert "Egypt" not in _parties(ds, "2019-05-30")
    assert "Egypt" in _parties(ds, "2019-05-31")
    # joined "2018" counts from the last day of 2018; left "2019-03" from its first day
    assert "Ethiopia" not in _parties(ds, "2018-12-30")
    assert "Ethiopia" in _parties(ds, "2019-02-28")
    assert "Ethiopia" not in _parties(ds, "2019-03-01")


def test_a_row_no_source_dates_never_counts_and_is_counted_apart(fixture_dataset):
    # Greece is named only by a source without a publication date: never "today", never
    # the day the curator read it
    assert "Greece" not in _parties(fixture_dataset, "2100-01-01")
    assert undated_parties(fixture_dataset, BRI)["party"].tolist() == ["Greece"]
    over_time = named_over_time(fixture_dataset, ["2015-06-05", "2015-06-06", REPORT_DAY])
    assert over_time["named"].tolist() == [0, 1, 3]
    assert over_time["undated"].tolist() == [1, 1, 1]


def test_an_exit_is_recorded_once_and_ends_the_rows_of_every_source(fixture_dataset):
    assert "Italy" in _parties(fixture_dataset, "2024-02-29", BRI)
    assert "Italy" not in _parties(fixture_dataset, "2024-03-01", BRI)
    italy = all_parties(fixture_dataset, BRI).query("party == 'Italy'").set_index("source_id")
    assert (italy.loc["report", "left"], italy.loc["report", "left_source_id"]) == (
        pd.Timestamp("2024-03-01"),
        "later",
    )
    assert italy.loc["later", "exit_only"]  # the exit row itself is not a participation


def test_a_return_after_an_exit_is_not_cut_short(fixture_data):
    append_rows(
        fixture_data,
        "participation",
        "Italy,country,bri_cooperation_document,2025-01-10,,,,news,para 10,secondary,",
    )
    ds = load_dataset(fixture_data)
    assert "Italy" not in _parties(ds, "2024-06-30", BRI)
    assert "Italy" in _parties(ds, "2025-01-10", BRI)


def test_first_signings_keep_their_bound_and_the_undated_stay_listed(fixture_dataset):
    firsts = first_signings(fixture_dataset).set_index("party")
    assert firsts.loc["Hungary", ["first", "first_precision", "bound"]].tolist() == [
        pd.Timestamp("2015-06-06"),
        "day",
        "exact",  # the source calls it the first
    ]
    # Italy: the earliest dated document; the first signing was at the latest then
    assert firsts.loc["Italy", ["first_precision", "bound"]].tolist() == ["month", "upper"]
    assert firsts.loc["Italy", "exited"] == pd.Timestamp("2024-03-01")
    # Kenya: named by a source published on the report day, so signed by then
    assert firsts.loc["Kenya", ["first", "bound", "first_from"]].tolist() == [
        pd.Timestamp(REPORT_DAY),
        "upper",
        "source published",
    ]
    assert firsts.loc["Greece", "bound"] == "undated"
    assert pd.isna(firsts.loc["Greece", "first"])
    assert list(firsts.index) == ["Hungary", "Italy", "Kenya", "Greece"]  # by date, undated last


def test_planned_zones_are_not_participation(fixture_data):
    append_rows(
        fixture_data,
        "zones",
        "planned_zone,Planned Zone,Mongolia,cross_border_economic_cooperation_zone,planned,,"
        "report,I.6 item 3,verified,",
    )
    ds = load_dataset(fixture_data)
    assert "Mongolia" not in _parties(ds, "2100-01-01")
    assert "Mongolia" in set(ds.zones["partner_country"])


def test_channel_filter_and_unknown_channel(fixture_dataset):
    rows = parties(fixture_dataset, REPORT_DAY, channels=["cooperation_zone"])
    assert rows["channel"].unique().tolist() == ["cooperation_zone"]
    assert channel_choices(fixture_dataset) == [BRI, "cooperation_zone", INDUSTRIAL]
    # a channel's name works in any case, and a typo gets a hint
    by_name = parties(fixture_dataset, REPORT_DAY, channels="bri cooperation documents")
    assert set(by_name["channel"]) == {BRI}
    with pytest.raises(UnknownChoiceError, match="channel 'cooperation_zon'.*did you mean"):
        parties(fixture_dataset, channels=["cooperation_zon"])


def test_region_counts_count_distinct_countries_and_skip_organizations(fixture_dataset):
    counts = region_counts(fixture_dataset, REPORT_DAY, channels=[INDUSTRIAL, "cooperation_zone"])
    assert counts.to_dict("records") == [
        {"region": "Asia", "channel": "cooperation_zone", "channel_name": "Cooperation zones",
         "countries": 1, "names": ["Kazakhstan"], "source_ids": ["report"]},
        {"region": "Asia", "channel": INDUSTRIAL,
         "channel_name": "Industrial cooperation agreements", "countries": 2,
         "names": ["Kazakhstan", "Laos"], "source_ids": ["news", "report"]},
    ]  # fmt: skip
    by_sub = region_counts(fixture_dataset, REPORT_DAY, scheme="un_region", channels=[INDUSTRIAL])
    assert dict(zip(by_sub["region"], by_sub["countries"], strict=True)) == {
        "Central Asia": 1,
        "South-eastern Asia": 1,
    }
    europe = region_counts(fixture_dataset, REPORT_DAY, region="Europe")
    assert europe[["channel", "countries"]].values.tolist() == [[BRI, 2]]
    with pytest.raises(UnknownChoiceError, match="region scheme 'planet'.*continent, un_region"):
        region_counts(fixture_dataset, scheme="planet")


def test_regional_shares_of_un_member_states(fixture_dataset):
    shares = regional_shares(fixture_dataset, REPORT_DAY).set_index("region")
    assert shares.loc["Europe", "taking_part"] == 2
    assert shares.loc["Europe", "share"] == pytest.approx(
        2 / shares.loc["Europe", "un_member_states"]
    )
    assert shares.loc["Africa", "source_ids"] == ["report"]
    assert shares.loc["Oceania", "taking_part"] == 0


def test_channel_table_has_one_row_per_country_sorted_by_channels(fixture_dataset):
    table = channel_table(fixture_dataset, REPORT_DAY, [INDUSTRIAL, "cooperation_zone"])
    assert table["iso3"].tolist() == ["KAZ", "LAO"]
    assert table[["cooperation_zone", INDUSTRIAL, "channels"]].values.tolist() == [
        [True, True, 2],
        [False, True, 1],
    ]
    assert table["source_ids"].tolist() == [["report"], ["news"]]
    assert channel_table(fixture_dataset, REPORT_DAY, region="Asia")["iso3"].tolist() == [
        "KAZ",
        "LAO",
    ]


def test_disclosure_gap_keeps_the_bound_of_the_stated_total(fixture_dataset):
    gap = disclosure_gap(fixture_dataset, REPORT_DAY).set_index("channel")
    industrial = gap.loc[INDUSTRIAL]
    assert (industrial["stated_text"], industrial["stated_bound"]) == ("more than 40", "lower")
    assert (industrial["named"], industrial["names"]) == (2, ["Kazakhstan", "Laos"])
    assert industrial["share_named"] == pytest.approx(0.05)
    assert industrial["share_bound"] == "upper"
    assert (industrial["source_id"], industrial["locator"]) == ("report", "I.6 item 2")


def test_the_bri_document_gap_compares_each_official_count_on_its_own_day(fixture_dataset):
    gap = disclosure_gap(fixture_dataset, REPORT_DAY).set_index("channel").loc[BRI]
    assert (gap["stated_value"], gap["stated_as_of"]) == (125, pd.Timestamp("2019-03-27"))
    # named on 2019-03-27, not on the day asked about: Hungary only (Italy: end of March)
    assert (gap["named"], gap["names"], gap["undated"]) == (1, ["Hungary"], 1)
    # before a total was stated there is nothing to compare with
    assert BRI not in set(disclosure_gap(fixture_dataset, "2019-03-26")["channel"])


def test_region_choices_cover_the_world_not_only_the_data(fixture_dataset):
    assert region_choices(fixture_dataset, "continent") == [
        "Africa",
        "America",
        "Asia",
        "Europe",
        "Oceania",
    ]
    assert "Polynesia" in region_choices(fixture_dataset, "un_region")
    with pytest.raises(UnknownChoiceError):
        region_choices(fixture_dataset, "Asia")


# --- shipped data ------------------------------------------------------------------------


def test_industrial_cooperation_gap_on_the_shipped_data(dataset):
    gap = disclosure_gap(dataset, REPORT_DAY)
    row = gap[gap["channel"] == INDUSTRIAL].iloc[0]
    assert (row["stated_value"], row["stated_bound"]) == (40.0, "lower")
    assert row["named"] == 4
    assert row["names"] == ["Brazil", "Egypt", "Ethiopia", "Kazakhstan"]
    assert row["share_named"] == pytest.approx(0.10)
    assert row["share_bound"] == "upper"


def test_third_party_market_partners_named_in_the_report(dataset):
    rows = parties(dataset, REPORT_DAY, channels=[THIRD_PARTY])
    assert {"FRA", "ITA", "ESP", "JPN", "PRT"} <= set(rows["iso3"])


def test_the_two_named_zones_are_with_kazakhstan_and_laos(dataset):
    zones = parties(dataset, REPORT_DAY, channels=["cooperation_zone"])
    assert sorted(zones["iso3"]) == ["KAZ", "LAO"]


def test_every_party_row_cites_a_source(dataset):
    rows = all_parties(dataset)
    assert rows["source_id"].notna().all() and rows["locator"].notna().all()


def test_counts_over_time_keep_every_source_and_bound(dataset):
    counts = counts_over_time(dataset)
    assert set(counts["indicator"]) <= {
        "cooperation_documents", "countries_signed", "organizations_signed",
        "countries_and_organizations_signed",
    }  # fmt: skip
    assert len(counts) == len(
        dataset.facts[
            (dataset.facts["subject"] == "bri")
            & dataset.facts["indicator"].isin(counts["indicator"].unique())
            & dataset.facts["as_of"].notna()
        ]
    )
    assert {"bound", "value_text", "source_id", "locator", "disputed"} <= set(counts.columns)
    with pytest.raises(UnknownChoiceError, match="indicator 'gdp'"):
        counts_over_time(dataset, indicators=["gdp"])


def test_organizations_are_listed_whatever_the_date_with_whether_they_count(fixture_dataset):
    orgs = bri.organizations(fixture_dataset, REPORT_DAY)
    assert orgs["party"].tolist() == ["African Union"]
    assert orgs["iso3"].isna().all()
    # undated, but its source (the report) was published by the report's day
    assert orgs["counted"].tolist() == [True]
    assert bri.organizations(fixture_dataset, "2015-01-01")["counted"].tolist() == [False]
    assert bri.organizations(fixture_dataset, REPORT_DAY, channels="cooperation_zone").empty
