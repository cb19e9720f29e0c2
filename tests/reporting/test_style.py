"""The house style: markers show bounds, source notes fit, the style stays in its context."""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pytest

from bri_analysis.dataset.schemas import BOUNDS
from bri_analysis.reporting import style


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_bound_marker_fills_exact_and_hollows_bounds():
    fig, ax = plt.subplots()
    lines = {
        bound: ax.plot([1], [1], color="#0072B2", **style.bound_marker(bound))[0]
        for bound in BOUNDS
    }
    assert lines["exact"].get_markerfacecolor() == "#0072B2"
    for bound in ("lower", "upper", "approx"):
        assert lines[bound].get_markerfacecolor() == "none", bound
        assert lines[bound].get_markeredgecolor() == "#0072B2", bound
    # lower and upper bounds point in opposite directions
    assert lines["lower"].get_marker() != lines["upper"].get_marker()


def test_bound_marker_rejects_unknown_bound():
    with pytest.raises(ValueError, match="unknown bound 'min'"):
        style.bound_marker("min")


def test_add_source_note_adds_grey_text_with_the_note():
    fig, ax = plt.subplots()
    style.add_source_note(fig, "Source: State Council Information Office, 2019")
    notes = [t for t in fig.texts if "State Council Information Office" in t.get_text()]
    assert len(notes) == 1
    assert matplotlib.colors.same_color(notes[0].get_color(), style.NOTE_COLOR)


def test_add_source_note_wraps_inside_the_figure_and_replaces_an_old_note():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([0, 1], [0, 1])
    style.add_source_note(fig, "first note")
    long_note = "Source: " + " ".join(["a long citation of the Belt and Road report"] * 8)
    style.add_source_note(fig, long_note)
    texts = [t.get_text() for t in fig.texts]
    assert not any("first note" in t for t in texts)
    (note,) = [t for t in fig.texts if "citation" in t.get_text()]
    assert note.get_text().count("\n") >= 2  # wrapped onto several lines
    assert " ".join(note.get_text().split()) == " ".join(long_note.split())  # nothing lost
    fig.canvas.draw()
    box = note.get_window_extent()
    assert box.x0 >= 0 and box.y0 >= 0
    assert box.x1 <= fig.bbox.x1 and box.y1 <= fig.bbox.y1


def test_add_source_note_rejects_empty_text():
    fig, _ = plt.subplots()
    with pytest.raises(ValueError, match="non-empty"):
        style.add_source_note(fig, "  ")


def test_apply_house_style_sets_palette_and_font_sizes():
    with matplotlib.rc_context():
        style.apply_house_style()
        cycle = matplotlib.rcParams["axes.prop_cycle"].by_key()["color"]
        assert matplotlib.colors.same_color(cycle[0], style.PALETTE[0])
        assert matplotlib.rcParams["axes.titlesize"] == style.TITLE_SIZE
        assert matplotlib.rcParams["xtick.labelsize"] == style.TICK_SIZE
