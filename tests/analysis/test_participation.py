"""Participation by channel: the as-of rule, zones as a channel, regions and disclosure gaps."""

from __future__ import annotations

import pandas as pd
import pytest

from bri_analysis import load_dataset
from bri_analysis.analysis.participation import (
    all_parties,
    channel_choices,
    channel_table,
    counts_over_time,
    disclosure_gap,
    parties,
    region_choices,
    region_counts,
)
from bri_analysis.errors import UnknownChoiceError

INDUSTRIAL = "industrial_cooperation_agreement"
THIRD_PARTY = "third_party_market_cooperation"
REPORT_DAY = "2019-04-22"  # the 2019 progress report's release


def _append(path, table: str, lines: str) -> None:
    with (path / f"{table}.csv").open("a", encoding="utf-8") as handle:
        handle.write(lines)


# --- fixture data ------------------------------------------------------------------------


def test_zones_are_a_channel_and_rows_without_a_date_count_from_their_source(fixture_dataset):
    rows = parties(fixture_dataset, REPORT_DAY)
    assert sorted(zip(rows["channel"], rows["party"], strict=True)) == [
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
    # the day before the report only the dated Lao agreement is known
    assert parties(fixture_dataset, "2019-04-21")["party"].tolist() == ["Lao PDR"]
    assert parties(fixture_dataset, "2018-05-08").empty


def test_a_month_dated_source_counts_once_its_month_is_over_and_left_ends_a_row(fixture_data):
    _append(
        fixture_data,
        "participation",
        "Egypt,country,industrial_cooperation_agreement,,,,,news,para 9,secondary,\n"
        "Ethiopia,country,industrial_cooperation_agreement,2018,2019-03,,,news,para 9,secondary,\n",
    )
    ds = load_dataset(fixture_data)
    egypt = parties(ds, "2019-06-01").set_index("party").loc["Egypt"]
    assert (egypt["since"], egypt["since_precision"]) == (pd.Timestamp("2019-05-01"), "month")
    assert "Egypt" not in set(parties(ds, "2019-05-30")["party"])
    assert "Egypt" in set(parties(ds, "2019-05-31")["party"])
    # joined "2018" counts from the last day of 2018; left "2019-03" from its first day
    assert "Ethiopia" not in set(parties(ds, "2018-12-30")["party"])
    assert "Ethiopia" in set(parties(ds, "2019-02-28")["party"])
    assert "Ethiopia" not in set(parties(ds, "2019-03-01")["party"])


def test_a_source_without_publication_date_counts_from_when_it_was_read(fixture_data):
    _append(
        fixture_data,
        "sources",
        "read,Undated page,Someone,,https://example.org/a,news,2026-11-26,\n"
        "blank,Undated note,Someone,,,research_notes,,\n",
    )
    _append(
        fixture_data,
        "participation",
        "Brazil,country,industrial_cooperation_agreement,,,,,read,p,secondary,\n"
        "Egypt,country,industrial_cooperation_agreement,,,,,blank,p,unverified,\n",
    )
    ds = load_dataset(fixture_data)
    rows = parties(ds).set_index("party")
    assert rows.loc["Brazil", ["since", "since_from"]].tolist() == [
        pd.Timestamp("2026-11-26"),
        "source accessed",
    ]
    assert rows.loc["Egypt", "since"] == pd.Timestamp.today().normalize()
    assert rows.loc["Egypt", "since_from"].startswith("no date")
    assert "Brazil" not in set(parties(ds, "2026-11-25")["party"])
    yesterday = pd.Timestamp.today().normalize() - pd.Timedelta(days=1)
    assert "Egypt" not in set(parties(ds, yesterday)["party"])


def test_an_exit_from_one_source_ends_the_rows_of_other_sources(fixture_data):
    _append(fixture_data, "sources", "later,Later news,Agency,2023-02-01,,news,2026-11-26,\n")
    _append(
        fixture_data,
        "participation",
        "Kazakhstan,country,industrial_cooperation_agreement,,2020-06,,,news,para 9,secondary,\n"
        "Kazakhstan,country,industrial_cooperation_agreement,2022-03-01,,,,later,p 2,secondary,\n",
    )
    ds = load_dataset(fixture_data)

    def kazakh_sources(day: str) -> list[str]:
        rows = parties(ds, day, channels=[INDUSTRIAL])
        return sorted(rows.loc[rows["iso3"] == "KAZ", "source_id"])

    assert kazakh_sources("2020-05-31") == ["news", "report"]
    assert kazakh_sources("2020-06-01") == []  # the exit ends the report's row too
    assert kazakh_sources("2023-03-01") == ["later"]  # a later return is not cut short
    report_row = all_parties(ds).query("source_id == 'report' and iso3 == 'KAZ'")
    ended = report_row[report_row["channel"] == INDUSTRIAL].iloc[0]
    assert (ended["left"], ended["left_source_id"]) == (pd.Timestamp("2020-06-01"), "news")


def test_planned_zones_are_not_participation(fixture_data):
    _append(
        fixture_data,
        "zones",
        "planned_zone,Planned Zone,Mongolia,cross_border_economic_cooperation_zone,planned,,"
        "report,I.6 item 3,verified,\n",
    )
    ds = load_dataset(fixture_data)
    assert "Mongolia" not in set(parties(ds)["party"])
    assert "Mongolia" in set(ds.zones["partner_country"])


def test_channel_filter_and_unknown_channel(fixture_dataset):
    rows = parties(fixture_dataset, REPORT_DAY, channels=["cooperation_zone"])
    assert rows["channel"].unique().tolist() == ["cooperation_zone"]
    assert channel_choices(fixture_dataset) == ["cooperation_zone", INDUSTRIAL]
    with pytest.raises(UnknownChoiceError, match="channel 'fdi'.*cooperation_zone"):
        parties(fixture_dataset, channels=["fdi"])


def test_region_counts_count_distinct_countries_and_skip_organizations(fixture_dataset):
    counts = region_counts(fixture_dataset, REPORT_DAY)
    assert counts.to_dict("records") == [
        {"region": "Asia", "channel": "cooperation_zone", "countries": 1,
         "names": "Kazakhstan", "source_ids": "report"},
        {"region": "Asia", "channel": INDUSTRIAL, "countries": 2,
         "names": "Kazakhstan, Laos", "source_ids": "news, report"},
    ]  # fmt: skip
    by_sub = region_counts(fixture_dataset, REPORT_DAY, scheme="un_region", channels=[INDUSTRIAL])
    assert dict(zip(by_sub["region"], by_sub["countries"], strict=True)) == {
        "Central Asia": 1,
        "South-eastern Asia": 1,
    }
    with pytest.raises(UnknownChoiceError, match="region scheme 'planet'.*continent, un_region"):
        region_counts(fixture_dataset, scheme="planet")


def test_channel_table_has_one_row_per_country_sorted_by_channels(fixture_dataset):
    table = channel_table(fixture_dataset, REPORT_DAY)
    assert table["iso3"].tolist() == ["KAZ", "LAO"]
    assert table[["cooperation_zone", INDUSTRIAL, "channels"]].values.tolist() == [
        [True, True, 2],
        [False, True, 1],
    ]
    assert table["source_ids"].tolist() == ["report", "news"]


def test_disclosure_gap_keeps_the_bound_of_the_stated_total(fixture_dataset):
    gap = disclosure_gap(fixture_dataset, REPORT_DAY).iloc[0]
    assert (gap["stated_text"], gap["stated_value"], gap["stated_bound"]) == (
        "more than 40",
        40.0,
        "lower",
    )
    assert (gap["named"], gap["names"]) == (2, "Kazakhstan, Laos")
    assert gap["share_named"] == pytest.approx(0.05)
    assert gap["share_bound"] == "upper"
    assert (gap["source_id"], gap["locator"]) == ("report", "I.6 item 2")
    # before the total was stated there is nothing to compare with
    assert disclosure_gap(fixture_dataset, "2019-03-31").empty


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
    assert row["names"] == "Brazil, Egypt, Ethiopia, Kazakhstan"
    assert row["share_named"] == pytest.approx(0.10)
    assert row["share_bound"] == "upper"


def test_third_party_market_partners_named_in_the_report(dataset):
    rows = parties(dataset, REPORT_DAY, channels=[THIRD_PARTY])
    assert {"FRA", "ITA", "ESP", "JPN", "PRT"} <= set(rows["iso3"])


def test_the_two_named_zones_are_with_kazakhstan_and_laos(dataset):
    zones = parties(dataset, REPORT_DAY, channels=["cooperation_zone"])
    assert sorted(zones["iso3"]) == ["KAZ", "LAO"]


def test_every_party_row_cites_a_source(dataset):
    rows = parties(dataset)
    assert rows["source_id"].notna().all() and rows["locator"].notna().all()
    assert rows["since"].notna().all()


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
        ]
    )
    assert {"bound", "value_text", "source_id", "locator", "disputed"} <= set(counts.columns)
    with pytest.raises(UnknownChoiceError, match="indicator 'gdp'"):
        counts_over_time(dataset, indicators=["gdp"])


def test_italy_leaves_the_bri_documents_whatever_source_named_its_signing(dataset):
    def signed(day: str) -> set[str]:
        return set(parties(dataset, day, channels=["bri_cooperation_document"])["iso3"])

    assert "ITA" in signed("2023-11-30")
    assert "ITA" not in signed("2024-01-01")  # did not renew, December 2023
    assert "PAN" not in signed("2025-03-01")  # announced withdrawal, February 2025
