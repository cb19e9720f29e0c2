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
        ("ciie_2018", "exhibitors_outside_china", "more than 3,600", 3600, "lower"),
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
    assert (brief["confidence"] == "unverified").all()


# --- signatories of BRI cooperation documents (participation-brief.md) --------------------

# The 152 countries of the Belt and Road Portal's list (S01 of the participation brief).
OFFICIAL_LIST = """
AFG AGO ALB ARE ARG ARM ATG AUT AZE BDI BEN BFA BGD BGR BHR BIH BLR BOL BRB BRN BWA CAF CHL
CIV CMR COD COG COK COM CPV CRI CUB CYP CZE DJI DMA DOM DZA ECU EGY ERI EST ETH FJI FSM GAB
GEO GHA GIN GMB GNB GNQ GRC GRD GUY HND HRV HUN IDN IRN IRQ ITA JAM KAZ KEN KGZ KHM KIR KOR
KWT LAO LBN LBR LBY LKA LSO LTU LUX LVA MAR MDA MDG MDV MKD MLI MLT MMR MNE MNG MOZ MRT MWI
MYS NAM NER NGA NIC NIU NPL NZL OMN PAK PAN PER PHL PNG POL PRT PSE QAT ROU RUS RWA SAU SDN
SEN SGP SLB SLE SLV SOM SRB SSD STP SUR SVK SVN SYC SYR TCD TGO THA TJK TKM TLS TON TTO TUN
TUR TZA UGA UKR URY UZB VEN VNM VUT WSM YEM ZAF ZMB ZWE
""".split()  # noqa: SIM905 (152 codes read better as a block)
BRI_DOCUMENTS = ["bri_cooperation_document"]


def _signatories(dataset, day: str) -> set[str]:
    import bri_analysis as bri

    return set(bri.parties(dataset, day, BRI_DOCUMENTS)["iso3"].dropna())


def test_every_country_of_the_official_list_is_a_signatory_with_a_source(dataset):
    assert len(OFFICIAL_LIST) == 152
    rows = dataset.participation[dataset.participation["channel"] == BRI_DOCUMENTS[0]]
    assert set(OFFICIAL_LIST) <= set(rows["iso3"])
    assert rows["source_id"].notna().all() and rows["locator"].notna().all()
    # on the day the list was copied, every listed country counts (Italy had not left yet)
    assert set(OFFICIAL_LIST) <= _signatories(dataset, "2023-10-19")


def test_map_years_are_secondary_never_verified(dataset):
    rows = dataset.participation[
        dataset.participation["source_id"] == "bri_project_2022_03_24_membership"
    ]
    assert len(rows) >= 130
    assert (rows["confidence"] == "secondary").all()
    assert rows["note"].str.contains("map", case=False).all()


def test_signatories_on_the_days_the_issue_names(dataset):
    assert "HUN" in _signatories(dataset, "2016-01-01")  # signed 6 June 2015
    assert {"PAK", "RUS"} <= _signatories(dataset, "2019-04-22")
    assert "ITA" in _signatories(dataset, "2023-06-30")
    assert "ITA" not in _signatories(dataset, "2024-06-30")  # the memorandum lapsed in March 2024
    assert "PAN" not in _signatories(dataset, "2025-06-30")


def test_china_celac_has_no_members_before_it_was_founded(dataset):
    import bri_analysis as bri

    assert bri.members(dataset, "China-CELAC", "2014-06-30").empty
    assert len(bri.members(dataset, "china_celac_forum", "2019-04-22")) >= 30
    counts = bri.member_counts(dataset, ["china_celac_forum"], ["2000-01-01", "2019-04-22"])
    assert counts["members"].isna().tolist() == [True, False]  # no count before founding


def test_a_status_two_sources_date_counts_once(dataset):
    import bri_analysis as bri

    # the Ufa decision and the later memoranda are separate rows for four of the six
    partners = bri.members(dataset, "SCO", "2019-04-22", ("dialogue_partner",))
    assert set(partners["iso3"]) == {"LKA", "TUR", "ARM", "AZE", "KHM", "NPL"}
    assert len(partners) > 6
    counts = bri.member_counts(dataset, ["sco"], ["2019-04-22"], ("dialogue_partner",))
    assert counts["members"].tolist() == [6]
    bodies = bri.members(dataset, "CICA", "2019-06-30", ("observer_organization",))
    assert len(bodies) == 5 and bodies["iso3"].isna().all()


def test_the_2019_04_22_disclosure_gap_names_its_official_count(dataset):
    import bri_analysis as bri

    gap = bri.disclosure_gap(dataset, "2019-04-22")
    bri_rows = gap[gap["channel"] == "bri_cooperation_document"]
    latest = bri_rows.sort_values("stated_as_of").iloc[-1]
    assert (latest["stated_value"], latest["stated_as_of"]) == (126, pd.Timestamp("2019-04-22"))
    assert 100 < latest["named"] <= 126
    assert latest["undated"] == 0


# --- the ten forum and expo series (issue: event scale) ------------------------------------

EDITIONS_TO_2025 = {
    "belt_and_road_forum": 3,
    "ciie": 8,
    "hongqiao_forum": 8,
    "silk_road_expo": 9,
    "china_asean_expo": 22,
    "china_eurasia_expo": 8,
    "china_arab_states_expo": 8,
    "china_south_asia_expo": 9,
    "china_northeast_asia_expo": 15,
    "western_china_international_fair": 20,
}
ONE_FIGURE_PER_SERIES = [
    ("brf_2023", "countries", "more than 140", "tass_2023_10_18_brf"),
    ("ciie_2025", "visitors", "over 460,000", "worldjournal_2025_11_12_ciie"),
    ("hongqiao_forum_2025", "forum_speakers", "more than 400", "worldjournal_2025_11_12_ciie"),
    ("silk_road_expo_2023", "countries_regions", "80", "sxworker_2023_11_21_silk_road_expo"),
    ("caexpo_2025", "exhibitor_countries", "60", "xinhua_de_2025_09_23_caexpo_22nd"),
    ("eurasia_expo_2024", "deal_value", "615.552 billion yuan", "urdu_cri_2024_07_02_eurasia_expo"),
    ("arab_expo_2025", "participants", "more than 17,800", "pt_people_2025_09_01_arab_expo"),
    ("csa_expo_2024", "exhibitors", "more than 2,000", "newswire_pk_2024_07_29_csa_expo_8th"),
    ("cnea_expo_2023", "countries_regions", "123", "prnewswire_2023_08_28_cnea_14th"),
    ("wcif_2025", "contracted_investment", "RMB 354.3 billion", "prnewswire_2025_05_31_wcif_20th"),
]


def test_every_edition_of_the_ten_series_to_2025(dataset):
    events = dataset.events[dataset.events["start_date"].dt.year <= 2025]
    counts = events.groupby("series_id").size()
    assert {s: int(counts.get(s, 0)) for s in EDITIONS_TO_2025} == EDITIONS_TO_2025
    assert events["city"].notna().all() and events["source_id"].notna().all()


def test_predecessors_are_series_of_their_own(dataset):
    series = dataset.series.set_index("series_id")
    assert series.loc["china_eurasia_expo", "predecessor"] == "urumqi_fair"
    assert series.loc["china_arab_states_expo", "predecessor"] == "china_arab_states_trade_forum"
    assert set(series["predecessor"].dropna()) <= set(series.index)


@pytest.mark.parametrize(("event", "indicator", "text", "source"), ONE_FIGURE_PER_SERIES)
def test_one_sourced_figure_per_series(dataset, event, indicator, text, source):
    rows = dataset.facts[
        (dataset.facts["subject"] == event)
        & (dataset.facts["indicator"] == indicator)
        & (dataset.facts["source_id"] == source)
    ]
    assert rows["value_text"].tolist() == [text]
    assert rows["locator"].notna().all()
