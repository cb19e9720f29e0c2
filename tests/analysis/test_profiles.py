"""Country profiles: every record about one country, and the list of countries to profile."""

from __future__ import annotations

import dataclasses

import pytest

from bri_analysis.analysis.profiles import countries_with_records, country_profile
from bri_analysis.errors import UnknownChoiceError

# --- fixture data ------------------------------------------------------------------------


def test_profile_gathers_the_rows_of_every_table(fixture_dataset):
    kaz = country_profile(fixture_dataset, "KAZ")
    assert (kaz.name, kaz.continent, kaz.un_region) == ("Kazakhstan", "Asia", "Central Asia")
    assert kaz.has_records
    assert sorted(kaz.channels["channel"]) == [
        "cooperation_zone",
        "industrial_cooperation_agreement",
    ]
    assert kaz.mechanisms[["mechanism_id", "short_name", "member_type"]].values.tolist() == [
        ["club", "Club", "state"]
    ]
    assert kaz.zones["zone_id"].tolist() == ["border_center"]
    assert kaz.events_hosted.empty and kaz.facts.empty
    with pytest.raises(dataclasses.FrozenInstanceError):
        kaz.name = "other"  # type: ignore[misc]


def test_profile_keeps_every_membership_type_and_date(fixture_dataset):
    iran = country_profile(fixture_dataset, "IRN").mechanisms
    assert iran["member_type"].tolist() == ["observer", "state"]
    assert iran["left"].notna().tolist() == [True, False]


def test_host_country_gets_its_events_and_their_facts_with_sources(fixture_dataset):
    china = country_profile(fixture_dataset, "CHN")
    assert china.events_hosted["event_id"].tolist() == ["forum_2017", "forum_2019"]
    assert set(china.facts["subject"]) == {"forum_2017", "forum_2019"}
    assert set(china.facts["about"]) == {"event"}
    assert china.facts["source_id"].notna().all()
    # both sources of the disputed 2017 figure stay, bounds kept
    f2017 = china.facts[china.facts["subject"] == "forum_2017"]
    assert sorted(f2017["bound"]) == ["approx", "lower"]


def test_a_real_country_without_records_has_empty_frames(fixture_dataset):
    iceland = country_profile(fixture_dataset, "ISL")
    assert iceland.name == "Iceland"
    assert not iceland.has_records
    assert iceland.channels.empty and iceland.mechanisms.empty and iceland.facts.empty
    assert "source_id" in iceland.mechanisms.columns


@pytest.mark.parametrize("given", ["ISL", "isl", "Iceland", "iceland", " ICELAND "])
def test_a_country_is_a_code_or_a_name_in_any_case(fixture_dataset, given):
    assert country_profile(fixture_dataset, given).iso3 == "ISL"


@pytest.mark.parametrize(
    ("given", "hint"),
    [("XYZ", "choose from: ABW"), ("Icelnd", "did you mean 'Iceland'"), ("", "choose from")],
)
def test_an_unknown_country_raises_with_a_hint(fixture_dataset, given, hint):
    with pytest.raises(UnknownChoiceError, match=f"unknown country.*{hint}"):
        country_profile(fixture_dataset, given)


def test_countries_with_records_counts_each_table(fixture_dataset):
    table = countries_with_records(fixture_dataset).set_index("iso3")
    assert table.index.tolist() == [
        "CHN",
        "GRC",
        "HUN",
        "IND",
        "IRN",
        "ITA",
        "KAZ",
        "KEN",
        "LAO",
        "NLD",
    ]
    assert table.loc[
        "KAZ", ["records", "participation", "memberships", "zones", "events"]
    ].tolist() == [3, 1, 1, 1, 0]
    assert table.loc["CHN", "events"] == 2
    assert table.loc["LAO", "country"] == "Laos"


# --- shipped data ------------------------------------------------------------------------


def test_every_country_with_records_has_a_profile_with_records(dataset):
    table = countries_with_records(dataset)
    assert len(table) > 100
    assert (table["records"] > 0).all()
    for code in ("KAZ", "LAO", "ITA"):
        assert country_profile(dataset, code).has_records


def test_iceland_has_no_records_in_the_shipped_data(dataset):
    assert "ISL" not in set(countries_with_records(dataset)["iso3"])
    assert not country_profile(dataset, "ISL").has_records


def test_laos_profile_names_its_zone_and_mechanisms(dataset):
    laos = country_profile(dataset, "LAO")
    assert "cooperation_zone" in set(laos.channels["channel"])
    assert {"china_asean", "lancang_mekong", "gms"} <= set(laos.mechanisms["mechanism_id"])
    assert laos.zones["source_id"].notna().all()
