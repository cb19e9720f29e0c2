"""Offline world maps: the vendored shapes, the ISO3 fixes, and figures that render."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from bri_analysis.reporting import maps, style, world
from tests.helpers import modules_loaded_by

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _save_png(fig, path) -> np.ndarray:
    fig.savefig(path, dpi=100)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 20_000  # a drawn world, not an empty canvas
    return plt.imread(path)


def _pixel(fig, ax, xy) -> np.ndarray:
    """RGB (0-1) of the rendered figure at data point xy."""
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())
    x, y = ax.transData.transform(xy)
    return image[int(round(image.shape[0] - y)), int(round(x)), :3] / 255


def test_choropleth_renders_a_png_with_colour_bar_title_and_note(tmp_path):
    shapes = world.world_shapes()
    values = pd.Series(np.arange(len(shapes), dtype=float), index=list(shapes.countries))
    fig = maps.choropleth(
        values, title="Documents signed", source_note="Source: test note", label="Documents"
    )
    image = _save_png(fig, tmp_path / "choropleth.png")
    assert image.shape[:2] == (550, 1000)
    assert len(np.unique(image.reshape(-1, image.shape[2]), axis=0)) > 50
    map_ax, bar_ax = fig.axes
    assert map_ax.get_title(loc="left") == "Documents signed"
    assert bar_ax.get_xlabel() == "Documents"
    assert any(t.get_text() == "Source: test note" for t in fig.texts)


def test_choropleth_greys_countries_without_value():
    shapes = world.world_shapes()
    fig = maps.choropleth(
        pd.Series({"ZAF": 1.0, "KAZ": 2.0}), title="t", source_note="s", label="l", cmap="Reds"
    )
    ax = fig.axes[0]
    no_data = matplotlib.colors.to_rgb(style.NO_DATA_COLOR)
    for code in ["LSO", "BRA"]:
        assert _pixel(fig, ax, shapes.countries[code].label_xy) == pytest.approx(no_data, abs=0.02)
    for code in ["ZAF", "KAZ"]:
        assert _pixel(fig, ax, shapes.countries[code].label_xy) != pytest.approx(no_data, abs=0.02)


def test_holes_stay_holes():
    # Lesotho is a hole in South Africa's rings: South Africa's fill must leave it empty
    shapes = world.world_shapes()
    fig, ax = plt.subplots()
    south_africa = Path.make_compound_path(
        *(Path(ring, closed=True) for ring in shapes.countries["ZAF"].rings)
    )
    ax.add_patch(PathPatch(south_africa, facecolor="black", edgecolor="none"))
    ax.set_xlim(0.2, 0.6)
    ax.set_ylim(-0.75, -0.45)
    assert _pixel(fig, ax, shapes.countries["ZAF"].label_xy) == pytest.approx((0, 0, 0))
    assert _pixel(fig, ax, shapes.countries["LSO"].label_xy) == pytest.approx((1, 1, 1))


def test_choropleth_categorical_legend_counts_categories_and_marks_china():
    values = pd.Series(
        {"KAZ": "MoU", "LAO": "MoU", "PAK": "Zone", "SGP": "Zone", "CHN": None}, dtype=object
    )
    fig = maps.choropleth(values, title="t", source_note="s", label="Channel", categorical=True)
    legend = fig.axes[0].get_legend()
    labels = [t.get_text() for t in legend.get_texts()]
    assert legend.get_title().get_text() == "Channel"
    assert labels[:2] == ["MoU (2)", "Zone (2)"]
    assert "No value" in labels and "China (no value)" in labels
    assert "too small to draw (dot)" in labels  # Singapore is a dot


def test_choropleth_outlines_china_when_it_has_a_value():
    fig = maps.choropleth(
        pd.Series({"CHN": 5.0, "KAZ": 1.0}), title="t", source_note="s", label="l"
    )
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "China" in labels and "China (no value)" not in labels


def test_choropleth_with_codes_off_the_map_does_not_crash_and_says_so(tmp_path):
    values = pd.Series({"KAZ": 3.0, "SGP": 2.0, "TUV": 1.0, "ZZZ": 4.0})
    fig = maps.choropleth(values, title="t", source_note="s", label="l")
    _save_png(fig, tmp_path / "off_map.png")
    assert world.not_on_map(values.index) == ["SGP", "TUV", "ZZZ"]
    notes = [t.get_text() for t in fig.axes[0].texts]
    assert any("TUV" in n and "ZZZ" in n for n in notes)
    assert not any("SGP" in n for n in notes)  # Singapore is drawn as a dot instead


@pytest.mark.parametrize(
    ("values", "kwargs", "message"),
    [
        (pd.Series({"China": 1.0}), {}, "not ISO3: \\['China'\\]"),
        (pd.Series([1.0, 2.0], index=["KAZ", "KAZ"]), {}, "more than one value for: \\['KAZ'\\]"),
        (pd.Series({"KAZ": "MoU"}), {}, "categorical=True"),
        (pd.Series({"KAZ": np.inf}), {}, "infinite for: \\['KAZ'\\]"),
        (pd.Series({"KAZ": 1.0}), {"title": ""}, "title must be a non-empty string"),
        (
            pd.Series({c: c for c in ["KAZ", "LAO", "PAK", "IND", "IRN", "TUR", "EGY", "KEN"]}),
            {"categorical": True},
            "8 categories",
        ),
    ],
)
def test_choropleth_rejects_bad_input_clearly(values, kwargs, message):
    arguments = {"title": "t", "source_note": "s", "label": "l", **kwargs}
    with pytest.raises(ValueError, match=message):
        maps.choropleth(values, **arguments)


def test_choropleth_draws_into_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4), layout="constrained")
    returned = maps.choropleth(
        pd.Series({"KAZ": 1.0}), title="t", source_note="s", label="l", ax=right
    )
    assert returned is fig
    assert right.get_title(loc="left") == "t" and left.get_title(loc="left") == ""


def test_locator_map_highlights_the_country(tmp_path):
    fig = maps.locator_map("KAZ", title="Kazakhstan", source_note="Map: Natural Earth")
    image = _save_png(fig, tmp_path / "locator.png")
    highlight = np.array(matplotlib.colors.to_rgb(style.HIGHLIGHT_COLOR))
    highlighted = np.all(np.abs(image[..., :3] - highlight) < 0.02, axis=-1).sum()
    assert highlighted > 500


@pytest.mark.parametrize("code", ["LUX", "SGP"])
def test_locator_map_rings_a_country_too_small_to_see(code):
    fig = maps.locator_map(code, title="t", source_note="s")
    ring = [
        c
        for c in fig.axes[0].collections
        if len(c.get_facecolors()) == 0 or c.get_facecolors()[0][3] == 0  # hollow marker
    ]
    assert len(ring) == 1


def test_locator_map_notes_a_country_it_cannot_place(tmp_path):
    fig = maps.locator_map("TUV", title="Tuvalu", source_note="s")
    _save_png(fig, tmp_path / "tuvalu.png")
    assert any("TUV has no shape" in t.get_text() for t in fig.axes[0].texts)


def test_locator_map_rejects_a_name_instead_of_a_code():
    with pytest.raises(ValueError, match="'Kazakhstan'"):
        maps.locator_map("Kazakhstan", title="t", source_note="s")


def test_importing_maps_loads_no_plotting_or_data_libraries():
    heavy = ["matplotlib", "pandas", "numpy", "seaborn"]
    assert modules_loaded_by("import bri_analysis.reporting.maps", heavy) == []


@pytest.mark.parametrize("draw", ["choropleth", "locator_map"])
def test_map_texts_with_dollar_signs_are_not_mathematics(draw):
    # maps once had their own finishing step without the guard the charts had
    title = "US$1 bn and US$2 bn"
    if draw == "choropleth":
        fig = maps.choropleth(pd.Series({"KAZ": 1.0}), title=title, source_note=title, label=title)
    else:
        fig = maps.locator_map("KAZ", title=title, source_note=title)
    fig.canvas.draw()
    texts = [t for t in fig.findobj(matplotlib.text.Text) if "$" in t.get_text()]
    assert texts and not [t for t in texts if t.get_parse_math()]
