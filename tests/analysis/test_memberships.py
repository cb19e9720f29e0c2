"""Membership as of a date, across joins, exits and changes of status (shipped data)."""

from __future__ import annotations

import pytest

import bri_analysis as bri
from bri_analysis import UnknownChoiceError


@pytest.mark.parametrize(
    ("mechanism", "day", "count"),
    [
        ("china_ceec", "2019-04-11", 16),
        ("china_ceec", "2019-04-12", 17),  # Greece counts from the day it joined
        ("china_ceec", "2021-04-30", 17),
        ("china_ceec", "2021-06-01", 16),  # Lithuania left in May 2021
        ("china_ceec", "2022-08-11", 14),  # Estonia and Latvia left
        ("sco", "2017-06-08", 6),
        ("sco", "2017-06-09", 8),  # India and Pakistan
        ("sco", "2023-07-03", 8),
        ("sco", "2023-07-04", 9),  # Iran
        ("sco", "2024-07-04", 10),  # Belarus
        ("acd", "2019-04-22", 34),  # Palestine joined in 2019: certain only once 2019 is over
        ("acd", "2020-01-01", 35),
        ("china_asean", "2019-04-22", 10),
        ("china_asean", "2025-10-26", 11),  # Timor-Leste
        ("cica", "2019-04-22", 27),
        ("cica", "2022-10-13", 28),  # Kuwait
    ],
)
def test_member_states_on_a_date(dataset, mechanism, day, count):
    assert len(bri.members(dataset, mechanism, as_of=day)) == count


def test_sco_members_by_name(dataset):
    names = set(bri.members(dataset, "sco", "2019-04-22")["member"])
    assert {"India", "Pakistan", "China", "Russia"} <= names
    assert "Iran" not in names


def test_observer_becomes_member_without_double_counting(dataset):
    observers = set(bri.members(dataset, "sco", "2019-04-22", member_types=["observer"])["member"])
    assert {"Afghanistan", "Belarus", "Iran", "Mongolia"} == observers
    later = bri.members(dataset, "sco", "2024-08-01", member_types=["state", "observer"])
    assert later["member"].value_counts().max() == 1  # Iran/Belarus once each, as states


def test_conveners_and_partners_are_separate_types(dataset):
    assert bri.members(dataset, "china_ceec", "2019-04-22", ["convener"])["member"].tolist() == [
        "China"
    ]
    assert len(bri.members(dataset, "carec", "2019-04-22", ["development_partner"])) == 6


def test_member_counts_over_dates(dataset):
    counts = bri.member_counts(dataset, ["china_ceec"], ["2019-01-01", "2020-01-01", "2023-01-01"])
    assert counts["members"].tolist() == [16, 17, 14]


def test_unknown_mechanism_names_the_choices(dataset):
    with pytest.raises(UnknownChoiceError, match="choose from: .*sco"):
        bri.members(dataset, "nato")
