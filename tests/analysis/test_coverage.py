"""Coverage of the multilateral mechanisms: matrix, regions, overlap, ranking and changes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bri_analysis.analysis.coverage import (
    coverage_change,
    mechanism_choices,
    membership_matrix,
    overlap,
    reach_ranking,
    regional_coverage,
    without_country_membership,
)
from bri_analysis.analysis.memberships import members
from bri_analysis.errors import UnknownChoiceError

REPORT_DAY = "2019-04-22"
ASEAN_2019 = ["BRN", "IDN", "KHM", "LAO", "MMR", "MYS", "PHL", "SGP", "THA", "VNM"]


# --- fixture data ------------------------------------------------------------------------


def test_matrix_leaves_china_out_and_follows_joins_and_exits(fixture_dataset):
    assert membership_matrix(fixture_dataset, "2018-01-01").index.tolist() == ["IND", "KAZ"]
    # Holland joined "2019" (counts from 2019-12-31) and left "2021-05"
    assert membership_matrix(fixture_dataset, "2019-12-31").index.tolist() == ["IND", "KAZ", "NLD"]
    assert "NLD" not in membership_matrix(fixture_dataset, "2021-05-01").index
    assert "CHN" in membership_matrix(fixture_dataset, "2018-01-01", exclude=()).index
    matrix = membership_matrix(fixture_dataset, "2020-01-01")
    assert matrix.columns.tolist() == ["country", "continent", "un_region", "source_ids", "club"]
    assert matrix["club"].dtype == bool and matrix["club"].all()
    assert matrix.loc["NLD", ["country", "source_ids"]].tolist() == ["Netherlands", ["news"]]


def test_observers_only_when_asked_and_organizations_never(fixture_dataset):
    assert "IRN" not in membership_matrix(fixture_dataset, "2020-01-01").index
    with_observers = membership_matrix(
        fixture_dataset, "2020-01-01", member_types=("state", "observer")
    )
    assert "IRN" in with_observers.index
    choices = "convener, dialogue_partner, observer, state"
    with pytest.raises(UnknownChoiceError, match=f"member type.*{choices}"):
        membership_matrix(fixture_dataset, member_types=("organization",))


def test_mechanisms_without_country_members_are_reported_not_counted(fixture_dataset):
    assert mechanism_choices(fixture_dataset) == ["club"]
    assert "foundation" not in membership_matrix(fixture_dataset).columns
    report = without_country_membership(fixture_dataset)
    assert report["mechanism_id"].tolist() == ["foundation"]
    assert report.loc[0, "reason"].startswith("a foundation")
    assert report.loc[0, "source_id"] == "report"
    with pytest.raises(UnknownChoiceError, match="'foundation' has no country members.*club"):
        regional_coverage(fixture_dataset, mechanisms=["foundation"])
    with pytest.raises(UnknownChoiceError, match="mechanism 'nato'; choose from: club"):
        overlap(fixture_dataset, mechanisms=["nato"])


def test_regional_coverage_counts_un_member_states_without_china(fixture_dataset):
    cov = regional_coverage(fixture_dataset, "2020-01-01").set_index("region")
    assert cov.index.tolist() == ["Africa", "America", "Asia", "Europe", "Oceania"]
    assert cov.loc["Asia", ["un_member_states", "reached"]].tolist() == [46, 2]  # 47 less China
    assert cov.loc["Asia", "share"] == pytest.approx(2 / 46)
    assert cov.loc["Europe", "reached"] == 1
    assert cov.loc["Africa", ["reached", "share", "source_ids"]].tolist() == [0, 0.0, []]
    with pytest.raises(UnknownChoiceError, match="region scheme"):
        regional_coverage(fixture_dataset, scheme="континент")


def test_coverage_change_balances_the_member_counts(fixture_dataset):
    changes = coverage_change(fixture_dataset, "2018-01-01", "2024-01-01")
    assert list(zip(changes["member"], changes["change"], strict=True)) == [
        ("Holland", "joined"),
        ("Holland", "left"),
        ("Iran", "joined"),
    ]
    # a join counts on the day it is certain (the end of "2019"), shown with its precision
    assert changes.loc[0, ["date", "date_precision", "date_from"]].tolist() == [
        pd.Timestamp("2019-12-31"),
        "year",
        "joined",
    ]
    before = len(members(fixture_dataset, "club", "2018-01-01"))
    after = len(members(fixture_dataset, "club", "2024-01-01"))
    joined = (changes["change"] == "joined").sum()
    assert after - before == joined - (changes["change"] == "left").sum()
    with pytest.raises(ValueError, match="after end"):
        coverage_change(fixture_dataset, "2024-01-01", "2018-01-01")
    with pytest.raises(ValueError, match="not a date: '2024'.*ISO day"):
        coverage_change(fixture_dataset, "2024", "2018-01-01")


def test_a_mechanism_founded_in_the_period_brings_its_founders_in_on_its_founding(
    fixture_dataset,
):
    changes = coverage_change(fixture_dataset, "2000-01-01", "2002-01-01")
    founders = changes[changes["date_from"] == "founding"]
    assert sorted(founders["member"]) == ["China", "Kazakhstan"]
    assert set(founders["date"]) == {pd.Timestamp("2001-12-31")}


# --- shipped data ------------------------------------------------------------------------


def test_sco_has_eight_member_states_on_the_report_day(dataset):
    matrix = membership_matrix(dataset, REPORT_DAY, exclude=())
    assert matrix["sco"].sum() == 8
    assert matrix["sco"].sum() == len(members(dataset, "sco", REPORT_DAY))


def test_china_asean_reaches_the_ten_asean_states(dataset):
    matrix = membership_matrix(dataset, REPORT_DAY)
    assert sorted(matrix.index[matrix["china_asean"]]) == ASEAN_2019


@pytest.mark.parametrize(
    ("day", "count"), [("2019-04-11", 16), ("2019-05-01", 17), ("2023-01-01", 14)]
)
def test_china_ceec_membership_over_time(dataset, day, count):
    assert membership_matrix(dataset, day)["china_ceec"].sum() == count


def test_china_ceec_changes_name_greece_and_the_baltic_exits(dataset):
    changes = coverage_change(dataset, "2019-01-01", "2023-01-01", mechanisms=["china_ceec"])
    assert sorted(changes.loc[changes["change"] == "joined", "iso3"]) == ["GRC"]
    assert sorted(changes.loc[changes["change"] == "left", "iso3"]) == ["EST", "LTU", "LVA"]
    assert changes["source_id"].notna().all()


def test_overlap_is_a_symmetric_similarity(dataset):
    sim = overlap(dataset, REPORT_DAY)
    assert sim.index.tolist() == sim.columns.tolist()
    assert sorted(sim.index) == mechanism_choices(dataset)
    assert np.allclose(np.diag(sim), 1.0)
    assert np.allclose(sim.to_numpy(), sim.T.to_numpy())
    assert ((sim >= 0) & (sim <= 1)).all().all()
    sets = membership_matrix(dataset, REPORT_DAY)
    sco, cica = set(sets.index[sets["sco"]]), set(sets.index[sets["cica"]])
    assert sim.loc["sco", "cica"] == pytest.approx(len(sco & cica) / len(sco | cica))


def test_regional_coverage_on_the_report_day(dataset):
    cov = regional_coverage(dataset, REPORT_DAY).set_index("region")
    assert cov["share"].between(0, 1).all()
    assert cov["reached"].le(cov["un_member_states"]).all()
    # Asia: 46 UN member states besides China; Armenia, the Maldives, North Korea, Syria
    # (suspended from the Arab League) and Timor-Leste are in none of the 15 mechanisms.
    assert cov.loc["Asia", ["un_member_states", "reached"]].tolist() == [46, 41]
    assert cov.loc["Asia", "share"] == pytest.approx(41 / 46)  # 0.89
    assert cov.loc["America", "share"] == 1.0
    assert cov.loc["Asia", "also_reached"] == ["Palestine"]
    assert cov.loc["Oceania", "also_reached"] == ["Cook Islands", "Niue"]
    matrix = membership_matrix(dataset, REPORT_DAY)
    assert {"ARM", "MDV", "PRK", "SYR", "TLS"}.isdisjoint(matrix.index)


def test_wef_and_boao_are_reported_and_absent_from_the_matrix(dataset):
    report = without_country_membership(dataset)
    assert report["mechanism_id"].tolist() == ["boao_forum", "wef"]
    matrix = membership_matrix(dataset, REPORT_DAY)
    assert not {"wef", "boao_forum"} & set(matrix.columns)
    assert not {"wef", "boao_forum"} & set(mechanism_choices(dataset))


def test_reach_ranking_counts_mechanisms_per_country(dataset):
    ranking = reach_ranking(dataset, REPORT_DAY)
    assert ranking["mechanisms"].is_monotonic_decreasing
    assert "CHN" not in set(ranking["iso3"])
    top = ranking.iloc[0]
    assert len(top["mechanism_list"].split(", ")) == top["mechanisms"]
    matrix = membership_matrix(dataset, REPORT_DAY)
    ids = mechanism_choices(dataset)
    assert top["mechanisms"] == matrix.loc[top["iso3"], ids].sum()
