"""The time model: each rule of dataset.timeline on the fixture data, and its validation."""

from __future__ import annotations

import pandas as pd
import pytest

from bri_analysis import DataValidationError, load_dataset
from bri_analysis.dataset.timeline import certain_from, counts_from, flow_period
from tests.helpers import append_rows


def _days(*texts: str) -> pd.Series:
    return pd.Series(pd.to_datetime(list(texts)))


def test_a_partial_date_is_certain_at_the_end_of_its_period():
    start = _days("2019-01-01", "2019-04-01", "2019-04-22")
    precision = pd.Series(["year", "month", "day"])
    assert certain_from(start, precision).tolist() == list(
        _days("2019-12-31", "2019-04-30", "2019-04-22")
    )


def test_a_row_without_a_date_takes_the_first_fallback_never_nothing_invented():
    own = pd.Series(pd.to_datetime(["2015-06-06", None, None]), name="joined")
    frame = counts_from(
        own,
        pd.Series(["day", None, None]),
        {"source published": (pd.Series(pd.to_datetime([None, "2019-05-01", None])),
                              pd.Series([None, "month", None]))},
    )  # fmt: skip
    assert frame["since"].tolist()[:2] == [pd.Timestamp("2015-06-06"), pd.Timestamp("2019-05-31")]
    assert pd.isna(frame["since"].iloc[2])
    assert frame["since_from"].tolist() == ["joined", "source published", "undated"]
    assert frame["since_precision"].tolist()[:2] == ["day", "month"]


def test_flow_periods_tell_annual_part_year_and_cumulative_apart():
    start = _days("2018-01-01", "2019-01-01", "2013-01-01")
    start[3] = pd.NaT
    labels = flow_period(
        start, pd.Series(["year", "month", "year", None]),
        _days("2018-12-31", "2019-09-30", "2018-12-31", "2019-04-22"),
    )  # fmt: skip
    assert labels.tolist() == ["calendar year", "Jan–Sep", "since 2013", ""]


def test_participation_rows_count_from_their_own_date_else_the_source_else_never(
    fixture_dataset,
):
    rows = fixture_dataset.participation.set_index(["party", "source_id"])
    assert rows.loc[("Hungary", "news"), ["since", "since_from"]].tolist() == [
        pd.Timestamp("2015-06-06"),
        "joined",
    ]
    assert rows.loc[("Italy", "report"), "since"] == pd.Timestamp("2019-03-31")
    # no joined: the report's publication day, never its accessed date
    assert rows.loc[("Kenya", "report"), ["since", "since_from"]].tolist() == [
        pd.Timestamp("2019-04-22"),
        "source published",
    ]
    assert pd.isna(rows.loc[("Greece", "blank"), "since"])
    assert rows.loc[("Greece", "blank"), "since_from"] == "undated"
    assert rows.loc[("Italy", "later"), "exit_only"]


def test_a_founding_member_counts_from_the_founding_never_before(fixture_dataset):
    members = fixture_dataset.memberships.set_index(["member", "member_type"])
    assert members.loc[("Kazakhstan", "state"), ["since", "since_from"]].tolist() == [
        pd.Timestamp("2001-12-31"),
        "founding",
    ]
    assert members.loc[("India", "state"), "since_from"] == "joined"


def test_facts_know_their_period_and_previews(fixture_dataset):
    facts = fixture_dataset.facts.set_index("fact_id")
    assert facts.loc["trade_2018", "period"] == "calendar year"
    assert facts.loc["trade_2013_2018", "period"] == "since 2013"
    assert facts.loc["forum_2019_participants_preview", "preview"]
    assert not facts.loc["forum_2019_participants", "preview"]
    assert facts.loc["forum_2019_participants", "as_of"] == pd.Timestamp("2019-04-27")


@pytest.mark.parametrize(
    ("table", "row", "column", "message"),
    [
        (
            "memberships",
            "club,Laos,state,1999,,report,II.1,verified,",
            "joined",
            "before club was founded (2001-01-01)",
        ),
        (
            "participation",
            "Laos,country,bri_cooperation_document,2012,,,,report,p,verified,",
            "joined",
            "before bri_cooperation_document was founded (2013-09-07)",
        ),
        (
            "participation",
            "Hungary,country,bri_cooperation_document,,2014-01,,,later,p,secondary,",
            "left",
            "exit 2014-01-01 is before Hungary's first signing",
        ),
        (
            "mechanisms",
            "forum_club,Forum Club,FC,intergovernmental_forum,yes,2010,report,p,,report,p,"
            "verified,",
            "established_confidence",
            "required when established is given",
        ),
        ("events", "forum_2109,forum,3,Third,2109-05-01,,Beijing,China,planned,news,p,secondary,",
         "start_date", "year 2109 is outside 1900-2100"),
        ("series", "fair,US$1 to US$2 Fair,Fair,expo,Beijing,China,,report,p,verified,", "name",
         "two '$'"),
    ],
)  # fmt: skip
def test_validation_rejects_dates_the_time_model_cannot_hold(
    fixture_data, table, row, column, message
):
    line = append_rows(fixture_data, table, row)
    with pytest.raises(DataValidationError) as info:
        load_dataset(fixture_data)
    found = [p for p in info.value.problems if p.file == f"{table}.csv"]
    assert [(p.row, p.column) for p in found] == [(line, column)], found
    assert message in found[0].message
