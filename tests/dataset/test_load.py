"""Loading the tiny fixture data: types, parsing, harmonization, defaults and caching."""

from __future__ import annotations

import pandas as pd
import pytest

from bri_analysis import load_dataset
from bri_analysis.dataset import UnusedAliasWarning


@pytest.fixture
def ds(fixture_data):
    return load_dataset(fixture_data)


def test_every_table_loads_with_its_rows(ds):
    assert ds.row_counts() == {
        "sources": 4,
        "subjects": 4,
        "indicators": 5,
        "series": 1,
        "events": 2,
        "facts": 10,
        "participation": 8,
        "zones": 1,
        "mechanisms": 2,
        "memberships": 7,
        "country_aliases": 1,
    }


def test_values_keep_their_bounds_and_units(ds):
    facts = ds.facts.set_index("fact_id")
    assert facts.loc["forum_2017_participants", ["value", "bound", "unit"]].tolist() == [
        1600.0,
        "lower",
        "persons",
    ]
    assert facts.loc["forum_2017_participants_news", "bound"] == "approx"
    assert facts.loc["forum_2019_deals", ["value", "unit"]].tolist() == [64e9, "USD"]
    assert facts["value_text"].tolist()[0] == "more than 1,600"  # as stated, untouched


def test_as_of_is_the_end_of_the_period_a_fact_describes(ds):
    facts = ds.facts.set_index("fact_id")
    # an event's closing figure without as_of describes the event's last day
    assert facts.loc["forum_2017_participants", "as_of"] == pd.Timestamp("2017-05-15")
    assert facts.loc["forum_2017_participants", "as_of_from"] == "event"
    # "as of 2019-04" would be the end of April, but the report is of 22 April: no figure
    # describes a day after its source was published
    assert facts.loc["industrial_countries", "as_of"] == pd.Timestamp("2019-04-22")
    assert facts.loc["industrial_countries", "as_of_precision"] == "month"
    assert facts.loc["industrial_countries", "as_of_from"] == "stated"


def test_dates_are_timestamps_with_precision(ds):
    m = ds.memberships.set_index(["member", "member_type"])
    assert m.loc[("Holland", "state"), "joined"] == pd.Timestamp("2019-01-01")
    assert m.loc[("Holland", "state"), "joined_precision"] == "year"
    assert m.loc[("India", "state"), "joined_precision"] == "day"
    assert pd.isna(m.loc[("China", "state"), "joined"])


def test_country_names_become_iso3_with_regions_and_organizations_stay_unmatched(ds):
    p = ds.participation.set_index("party")
    assert p.loc["Lao PDR", ["iso3", "continent"]].tolist() == ["LAO", "Asia"]
    assert p.loc["Kazakhstan", "un_region"] == "Central Asia"
    assert pd.isna(p.loc["African Union", "iso3"])
    m = ds.memberships.set_index(["member", "member_type"])
    assert m.loc[("Holland", "state"), "iso3"] == "NLD"  # via country_aliases.csv
    assert pd.isna(m.loc[("European Union", "organization"), "iso3"])
    assert ds.events["iso3"].unique().tolist() == ["CHN"]


def test_every_row_keeps_its_source_and_line(ds):
    for name in ds.table_names:
        frame = getattr(ds, name)
        assert frame["line"].min() == 2, name
        if name not in {"sources", "subjects", "indicators", "country_aliases"}:
            assert frame["source_id"].notna().all() and frame["locator"].notna().all(), name


def test_load_is_cached_but_returns_independent_copies(fixture_data):
    first = load_dataset(fixture_data)
    first.facts.loc[:, "value"] = -1.0
    second = load_dataset(fixture_data)
    assert (second.facts["value"] > 0).all()


def test_changed_file_is_reloaded(fixture_data):
    before = load_dataset(fixture_data)
    path = fixture_data / "indicators.csv"
    path.write_text(path.read_text() + "visitors,Visitors,count,People visiting\n")
    assert len(load_dataset(fixture_data).indicators) == len(before.indicators) + 1


def test_data_dir_comes_from_the_environment(fixture_data, monkeypatch):
    monkeypatch.setenv("BRI_DATA_DIR", str(fixture_data))
    assert load_dataset().data_dir == fixture_data.resolve()


def test_unused_alias_warns(fixture_data):
    path = fixture_data / "country_aliases.csv"
    path.write_text(path.read_text() + "Nowhereland,NLD,never used\n")
    with pytest.warns(UnusedAliasWarning, match="Nowhereland"):
        load_dataset(fixture_data)
