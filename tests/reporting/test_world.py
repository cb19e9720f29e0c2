"""The vendored Natural Earth shapes, the projection and small-country points."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
import yaml

from bri_analysis.reporting import world

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _source_entries() -> list[dict]:
    meta = yaml.safe_load((world.SHAPES_DIR / "SOURCE.yml").read_text(encoding="utf-8"))
    return meta["outs"] + meta["derived"]


@pytest.mark.parametrize("entry", _source_entries(), ids=lambda e: e["path"])
def test_vendored_file_matches_its_recorded_md5_and_size(entry):
    data = (world.SHAPES_DIR / entry["path"]).read_bytes()
    assert len(data) == entry["size"]
    assert hashlib.md5(data).hexdigest() == entry["md5"]


def test_every_vendored_data_file_is_recorded_in_source_yml():
    recorded = {e["path"] for e in _source_entries()}
    present = {
        p.name
        for p in world.SHAPES_DIR.iterdir()
        if p.suffix not in {".yml", ".py"} and p.is_file()
    }
    assert present == recorded


def test_equal_earth_matches_the_published_extent():
    x, y = world.equal_earth([180.0, 0.0, -180.0], [0.0, 90.0, 0.0])
    assert x[0] == pytest.approx(2.7066, abs=1e-3)
    assert x[2] == pytest.approx(-x[0])
    assert y[1] == pytest.approx(1.3174, abs=1e-3)
    assert x[0] / y[1] == pytest.approx(2.05, abs=0.01)  # the projection's width:height


def test_world_shapes_has_every_country_once_with_iso3_codes():
    shapes = world.world_shapes()
    assert 170 <= len(shapes) <= 177
    for code in ["NOR", "FRA", "CHN", "KAZ", "LAO", "XKX", "CYP", "SOM"]:
        assert code in shapes, code
    assert all(len(code) == 3 and code.isalpha() for code in shapes.countries)
    assert world.world_shapes() is shapes  # cached


def test_norway_and_france_get_their_codes_and_sit_in_europe():
    shapes = world.world_shapes()
    assert shapes.countries["NOR"].name == "Norway"
    assert shapes.countries["FRA"].name == "France"
    # label point = centroid of the largest part: mainland, not Svalbard or French Guiana
    for code, lon, lat in [("NOR", 11.0, 63.0), ("FRA", 2.5, 46.5)]:
        expected = np.array(world.equal_earth(lon, lat), dtype=float)
        assert np.hypot(*(np.array(shapes.countries[code].label_xy) - expected)) < 0.08, code


def test_multi_part_countries_keep_all_parts():
    shapes = world.world_shapes()
    assert len(shapes.countries["IDN"].rings) >= 10
    assert len(shapes.countries["CYP"].rings) == 2  # Cyprus and N. Cyprus, one country


def test_not_on_map_lists_states_without_a_polygon():
    assert world.not_on_map(["SGP", "MDV", "CHN"]) == ["SGP", "MDV"]
    small = ["BHR", "MLT", "MUS", "SYC", "WSM", "TON", "ATG", "HKG"]
    assert world.not_on_map(small) == small
    # small but drawn at 1:110m
    assert world.not_on_map(["LUX", "BRN", "QAT", "TTO", "PSE", "LBN"]) == []
    assert world.not_on_map(["SGP", "ZZZ", "SGP"]) == ["SGP", "ZZZ"]


def test_not_on_map_rejects_a_bare_string():
    with pytest.raises(TypeError, match="'SGP'"):
        world.not_on_map("SGP")
