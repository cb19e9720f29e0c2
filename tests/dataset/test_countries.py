"""Country harmonization: the coco pandas-3 shim, tricky names, misses, aliases, regions."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd
import pytest

from bri_analysis.dataset import countries
from bri_analysis.dataset.countries import (
    country_regions,
    harmonize,
    load_aliases,
    to_iso3,
    un_member_states,
)
from bri_analysis.errors import DataValidationError, UnknownCountryError
from bri_analysis.paths import DATA_DIR
from tests.helpers import modules_loaded_by

HEADER = "alias,iso3,note\n"


def _write(tmp_path: Path, text: str, name: str = "country_aliases.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the coco 1.3.2 / pandas 3 shim -------------------------------------------------------


def test_plain_country_converter_still_fails_on_this_pandas():
    """When this test fails, coco loads its own table again: drop ``_coco_table`` (pass
    nothing to ``CountryConverter``) and relax the exact country_converter pin."""
    import country_converter as coco

    with pytest.raises(TypeError, match="first argument must be string or compiled pattern"):
        coco.CountryConverter()


def test_shim_keeps_namibia_iso2_and_types_integer_columns():
    table = countries._coco_table()
    namibia = table[table["name_short"] == "Namibia"].iloc[0]
    assert namibia["ISO2"] == "NA"
    assert namibia["ISO3"] == "NAM"
    assert namibia["UNmember"] == 1990
    for column in countries._COCO_INT_COLUMNS:
        assert table[column].dtype == "Int64", column
    # Empty cells of non-string columns are missing, not "" (coco filters obsolete rows on it).
    assert table["obsolete"].notna().sum() == 6
    assert set(countries._COCO_STRING_COLUMNS) <= set(table.columns)


def test_shimmed_converter_matches_namibia_by_name_iso2_and_iso3():
    assert to_iso3(["Namibia", "NA", "NAM"], aliases={}).tolist() == ["NAM"] * 3


def test_every_coco_short_and_official_name_maps_back_to_its_own_code():
    data = countries._converter().data
    for column in ("name_short", "name_official"):
        got = to_iso3(data[column], aliases={})
        wrong = data.loc[got != data["ISO3"], [column, "ISO3"]]
        assert wrong.empty, wrong


# --- matching names ------------------------------------------------------------------------

TRICKY = {
    "Laos": "LAO",
    "Lao PDR": "LAO",
    "Côte d'Ivoire": "CIV",
    "Cote d'Ivoire": "CIV",
    "Ivory Coast": "CIV",
    "Türkiye": "TUR",
    "Turkey": "TUR",
    "Czechia": "CZE",
    "Czech Republic": "CZE",
    "DR Congo": "COD",
    "Democratic Republic of the Congo": "COD",
    "Congo": "COG",
    "Republic of the Congo": "COG",
    "Congo-Brazzaville": "COG",
    "Micronesia": "FSM",
    "Palestine": "PSE",
    "State of Palestine": "PSE",
    "Kosovo": "XKX",
    "Republic of Korea": "KOR",
    "Korea, Rep.": "KOR",
    "South Korea": "KOR",
    "North Korea": "PRK",
    "Macedonia": "MKD",
    "North Macedonia": "MKD",
    "Swaziland": "SWZ",
    "Eswatini": "SWZ",
    "Burma": "MMR",
    "Cape Verde": "CPV",
    "East Timor": "TLS",
    "Timor-Leste": "TLS",
    "St. Lucia": "LCA",
    "UK": "GBR",
    "UAE": "ARE",
    "Cook Islands": "COK",
    "Niue": "NIU",
    "São Tomé and Príncipe": "STP",
    "The Gambia": "GMB",
    "Niger": "NER",
    "Nigeria": "NGA",
    "Dominica": "DMA",
    "Dominican Republic": "DOM",
    "CHN": "CHN",
    # Curators may write "&": coco's patterns match these without aliases.
    "Bosnia & Herzegovina": "BIH",
    "Antigua & Barbuda": "ATG",
    "St Kitts & Nevis": "KNA",
    "St Vincent & Grenadines": "VCT",
    "Trinidad & Tobago": "TTO",
}


def test_tricky_names_match_the_right_country():
    got = to_iso3(list(TRICKY), aliases={})
    assert dict(zip(TRICKY, got, strict=True)) == TRICKY


def test_all_unknown_names_are_reported_at_once():
    with pytest.raises(UnknownCountryError) as info:
        to_iso3(["China", "Atlantis", "Europe", "Yugoslavia", "Atlantis"], aliases={})
    assert info.value.names == ["Atlantis", "Europe", "Yugoslavia"]
    assert "Atlantis" in str(info.value) and "Yugoslavia" in str(info.value)


def test_holland_needs_an_alias():
    with pytest.raises(UnknownCountryError, match="Holland"):
        to_iso3(["Holland"], aliases={})
    assert to_iso3(["Holland", "Netherlands"], aliases={"Holland": "NLD"}).tolist() == [
        "NLD",
        "NLD",
    ]


def test_aliases_take_precedence_over_coco():
    assert to_iso3(["Korea"], aliases={"Korea": "PRK"}).tolist() == ["PRK"]


def test_alias_to_an_unknown_code_is_rejected():
    with pytest.raises(ValueError, match="'Atlantis': 'ATL'"):
        to_iso3(["China"], aliases={"Atlantis": "ATL"})


def test_a_name_matching_several_countries_is_a_miss_not_a_guess():
    iso3, unmatched = harmonize(pd.Series(["China and India", "China"]), {})
    assert iso3.isna().tolist() == [True, False]
    assert unmatched == ["China and India"]


def test_blank_name_is_a_miss():
    iso3, unmatched = harmonize(pd.Series(["", "China"]), {})
    assert unmatched == [""]
    assert iso3.isna().tolist() == [True, False]


# --- harmonize / to_iso3 contracts ---------------------------------------------------------


def test_harmonize_keeps_index_marks_misses_and_lists_them_once_in_order():
    names = pd.Series(
        ["Kazakhstan", "Atlantis", None, "Holland", "Atlantis", "Lao PDR"],
        index=[10, 11, 12, 13, 14, 15],
    )
    iso3, unmatched = harmonize(names, {"Holland": "NLD"})
    assert iso3.index.tolist() == [10, 11, 12, 13, 14, 15]
    assert iso3.dtype == "string"
    assert iso3.tolist() == ["KAZ", pd.NA, pd.NA, "NLD", pd.NA, "LAO"]
    assert unmatched == ["Atlantis"]  # the missing name is not a miss


def test_harmonize_rejects_non_string_names():
    with pytest.raises(TypeError, match="156"):
        harmonize(pd.Series(["China", 156], dtype=object), {})


def test_to_iso3_returns_string_series_with_the_input_index():
    result = to_iso3(pd.Series(["Kenya", "Peru"], index=["a", "b"]), aliases={})
    assert result.dtype == "string"
    assert result.to_dict() == {"a": "KEN", "b": "PER"}
    assert to_iso3(("Kenya", "Peru"), aliases={}).index.tolist() == [0, 1]


def test_to_iso3_takes_a_single_name_or_code_in_any_case():
    assert to_iso3("Pakistan", aliases={}) == "PAK"
    assert to_iso3("pak", aliases={}) == "PAK"
    assert to_iso3("lao pdr", aliases={}) == "LAO"
    with pytest.raises(UnknownCountryError, match="'Pakistn' \\(did you mean Pakistan\\?\\)"):
        to_iso3("Pakistn", aliases={})


def test_to_iso3_refuses_missing_names():
    with pytest.raises(ValueError, match=r"missing country name at index \['b'\]"):
        to_iso3(pd.Series(["China", None], index=["a", "b"]), aliases={})


def test_to_iso3_reads_the_alias_file_of_the_data_dir_load_dataset_uses(tmp_path, monkeypatch):
    _write(tmp_path, HEADER + "Holland,NLD,\n")
    monkeypatch.setenv("BRI_DATA_DIR", str(tmp_path))
    assert to_iso3(["Holland"]).tolist() == ["NLD"]


def test_coco_warnings_are_captured_not_printed(caplog, capfd):
    caplog.set_level(logging.DEBUG)
    _, unmatched = harmonize(pd.Series(["Atlantis", "China and India"]), {})
    assert unmatched == ["Atlantis", "China and India"]
    assert not [r for r in caplog.records if r.name.startswith("country_converter")]
    assert capfd.readouterr().err == ""
    assert logging.getLogger(countries._COCO_LOGGER).filters == []


def test_importing_the_module_loads_neither_pandas_nor_coco():
    assert (
        modules_loaded_by("import bri_analysis.dataset.countries", ["pandas", "country_converter"])
        == []
    )


# --- the alias file ------------------------------------------------------------------------


def test_load_aliases_reads_a_valid_file_with_bom(tmp_path):
    path = _write(tmp_path, "\ufeff" + HEADER + "Holland,NLD,example\nRep. of Atlantis,GRC,\n")
    assert load_aliases(path) == {"Holland": "NLD", "Rep. of Atlantis": "GRC"}


def test_load_aliases_reports_every_bad_line(tmp_path):
    path = _write(
        tmp_path,
        HEADER
        + "Holland,NLD,\n"  # line 2
        + "Holland,NLD,\n"  # 3: duplicate
        + "Atlantis,atl,\n"  # 4: malformed
        + "Lemuria,LEM,\n"  # 5: well-formed but unknown
        + ",FRA,\n",  # 6: empty alias
    )
    with pytest.raises(DataValidationError) as info:
        load_aliases(path)
    found = {(p.row, p.column) for p in info.value.problems}
    assert found == {(3, "alias"), (4, "iso3"), (5, "iso3"), (6, "alias")}
    text = str(info.value)
    assert "duplicate key ('Holland'); first on line 2" in text
    assert "country_aliases.csv:4:iso3: 'atl' is not an ISO 3166 alpha-3 code" in text
    assert "'LEM' is not a code country_converter knows" in text


def test_load_aliases_reads_like_the_loader(tmp_path):
    path = _write(tmp_path, HEADER + " Gaul ,FRA,\nPrussia,DEU,x,extra\n")
    with pytest.raises(DataValidationError, match="3: has 4 fields, the header has 3"):
        load_aliases(path)
    path = _write(tmp_path, HEADER + " Gaul ,FRA,\n")
    assert load_aliases(path) == {"Gaul": "FRA"}  # cells are stripped, as on load


def test_load_aliases_rejects_a_wrong_header(tmp_path):
    path = _write(tmp_path, "name,code\nHolland,NLD\n")
    with pytest.raises(DataValidationError, match="header lacks required column"):
        load_aliases(path)


def test_project_aliases_only_hold_names_coco_does_not_already_match():
    aliases = load_aliases(DATA_DIR / countries.ALIAS_FILE)
    iso3, _ = harmonize(pd.Series(list(aliases), dtype=object), {})
    redundant = {
        a: c for a, c, got in zip(aliases, aliases.values(), iso3, strict=True) if got == c
    }
    assert not redundant, f"coco already matches these; drop them from the alias file: {redundant}"


# --- regions -------------------------------------------------------------------------------


def test_country_regions_covers_every_country_coco_knows():
    table = country_regions()
    assert list(table.columns) == list(countries.REGION_COLUMNS)
    assert len(table) == 250 and table["iso3"].is_unique
    assert table["un_member"].dtype == bool
    assert set(table["continent"]) == {
        "Africa",
        "America",
        "Asia",
        "Europe",
        "Oceania",
        "Antarctica",
    }
    assert table[["iso3", "name", "continent", "un_region"]].notna().all().all()


def test_country_regions_for_given_codes_once_each_in_order():
    table = country_regions(pd.Series(["XKX", "CHN", pd.NA, "XKX"]))
    assert table.to_dict("records") == [
        {
            "iso3": "XKX",
            "name": "Kosovo",
            "continent": "Europe",
            "un_region": "Southern Europe",
            "un_member": False,
        },
        {
            "iso3": "CHN",
            "name": "China",
            "continent": "Asia",
            "un_region": "Eastern Asia",
            "un_member": True,
        },
    ]


def test_country_regions_rejects_unknown_codes():
    with pytest.raises(ValueError, match="'XXX', 'yug'"):
        country_regions(["CHN", "XXX", "yug"])


def test_country_regions_returns_a_copy():
    table = country_regions()
    table.loc[0, "name"] = "changed"
    assert country_regions().loc[0, "name"] != "changed"


def test_un_member_states_are_the_193():
    members = un_member_states()
    assert len(members) == 193
    assert list(members.columns) == list(countries.REGION_COLUMNS)
    assert members["un_member"].all()
    assert {"CHN", "KAZ", "SSD", "MNE", "PRK"} <= set(members["iso3"])
    assert not {"TWN", "XKX", "PSE", "VAT", "HKG", "COK", "NIU"} & set(members["iso3"])
