"""The next edition of a series is new rows only: no code change (data/README.md)."""

from __future__ import annotations

import csv

import bri_analysis as bri


def _append(path, row):
    with open(path, "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerow(row)


def test_a_third_forum_edition_is_picked_up_from_new_rows_only(fixture_data):
    _append(
        fixture_data / "sources.csv",
        ["news_2027", "Fixture news 2027", "Fixture agency", "2027-05-20",
         "https://example.org/2027", "news", "2027-05-21", ""],
    )  # fmt: skip
    _append(
        fixture_data / "events.csv",
        ["forum_2027", "forum", "3", "Third Fixture Forum", "2027-05-18", "2027-05-19",
         "Beijing", "China", "held", "news_2027", "para 1", "secondary", ""],
    )  # fmt: skip
    _append(
        fixture_data / "facts.csv",
        ["forum_2027_participants", "forum_2027", "participants", "nearly 7,000", "persons",
         "", "", "news_2027", "para 2", "secondary", ""],
    )  # fmt: skip
    ds = bri.load_dataset(fixture_data)

    points = bri.series(ds, "forum", "participants")
    assert points["edition"].dropna().unique().tolist() == [1, 2, 3]
    latest = points[points["edition"] == 3].iloc[0]
    assert (latest["value"], latest["bound"]) == (7000.0, "upper")
    assert latest["as_of"].date().isoformat() == "2027-05-19"  # the closing day

    growth = bri.growth(points)
    assert growth["to_label"].iloc[-1] == "Third Fixture Forum"
    assert growth["approximate"].iloc[-1]  # "nearly" is a bound

    table = bri.compare_events(ds, series="forum")
    assert len(table) == 3
