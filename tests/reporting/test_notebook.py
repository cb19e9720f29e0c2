"""Report helpers: text from the data is escaped, citations name their sources, parameters
are checked with messages that name the valid choices."""

from __future__ import annotations

import pandas as pd
import pytest

from bri_analysis import UnknownChoiceError
from bri_analysis.reporting import notebook as reporting
from bri_analysis.reporting import params as parameters

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>"]


@pytest.mark.parametrize("text", HOSTILE)
def test_prose_escapes_text_from_the_data(text):
    md = reporting.say("Party: {party}.", party=text).data
    assert "<script" not in md and "<img" not in md
    assert "&lt;" in md


@pytest.mark.parametrize("text", HOSTILE)
def test_tables_escape_text_from_the_data(text):
    html = reporting.table(pd.DataFrame({"party": [text]})).data
    assert "<script" not in html and "<img" not in html
    assert "&lt;" in html


def test_markdown_syntax_in_data_is_literal():
    assert reporting.escape("*bold* [link](x)") == "\\*bold\\* \\[link\\](x)"


def test_source_note_names_publisher_year_and_id(dataset):
    note = reporting.source_note(dataset, ["bri_progress_2019", "bri_progress_2019"])
    assert note.startswith("Source: Office of the Leading Group")
    assert "2019 [bri_progress_2019]" in note


def test_source_note_shortens_long_lists(dataset):
    ids = list(dataset.sources["source_id"][:10])
    assert reporting.source_note(dataset, ids).endswith("and 6 more (see the sources table)")


def test_check_date():
    assert parameters.check_date("2019-04-22", "as_of") == pd.Timestamp("2019-04-22")
    with pytest.raises(ValueError, match="as_of must be a date"):
        parameters.check_date("last spring", "as_of")


def test_check_region_names_the_choices(dataset):
    assert parameters.check_region(dataset, "continent", "Asia") == ("continent", "Asia")
    assert parameters.check_region(dataset, "UN_Region", "western asia") == (
        "un_region",
        "Western Asia",
    )
    with pytest.raises(UnknownChoiceError, match="choose from: Africa, America, Asia"):
        parameters.check_region(dataset, "continent", "Atlantis")
    with pytest.raises(UnknownChoiceError, match="continent, un_region"):
        parameters.check_region(dataset, "planet", None)


def test_check_iso3_accepts_real_codes_and_lists_countries_with_records(dataset):
    assert parameters.check_iso3(dataset, "kaz") == "KAZ"
    assert parameters.check_iso3(dataset, "ISL") == "ISL"  # real, even without records
    with pytest.raises(UnknownChoiceError, match="countries with records: .*KAZ"):
        parameters.check_iso3(dataset, "XXX")


def test_check_years():
    assert parameters.check_years(2018, 2020) == (2018, 2020)
    with pytest.raises(ValueError, match="after end_year"):
        parameters.check_years(2021, 2020)
    with pytest.raises(TypeError, match="whole year"):
        parameters.check_years("2019", None)


def test_check_series_and_indicators(dataset):
    assert parameters.check_series(dataset, "ciie") == ["ciie"]
    with pytest.raises(UnknownChoiceError, match="belt_and_road_forum"):
        parameters.check_series(dataset, ["olympics"])
    every = parameters.check_indicators(dataset, None)
    assert every == list(dataset.indicators["indicator"])
    assert parameters.check_indicators(dataset, "heads of state and government") == [
        "heads_of_state_government"
    ]
    with pytest.raises(UnknownChoiceError, match="indicator"):
        parameters.check_indicators(dataset, ["happiness"])


def test_dates_are_shown_with_the_precision_the_source_gave():
    frame = pd.DataFrame(
        {
            "joined": pd.to_datetime(["1996-01-01", None, "2019-04-12"]),
            "joined_precision": ["year", None, "day"],
            "as_of": pd.to_datetime(["2019-03-31", None, None]),
        }
    )
    shown = reporting.dates_as_text(frame)
    assert list(shown.columns) == ["joined", "as_of"]
    assert shown["joined"].tolist() == ["1996", "–", "2019-04-12"]
    html = reporting.table(frame).data
    assert "1996-01-01" not in html and ">1996<" in html
    assert "NaT" not in html and "None" not in html
