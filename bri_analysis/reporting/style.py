"""The house chart style: one theme, palette, source line and bound notation for every figure.

Charts state where a number comes from and whether it is a bound ("more than 1,600" is drawn
as a hollow marker), so every plot and map takes its colours, markers and sizes from here.
The style is applied in a context (``house_style``), never by changing the caller's
matplotlib settings behind their back. matplotlib and seaborn are imported inside the
functions that need them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from bri_analysis.reporting.format import check_bound

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    from matplotlib.figure import Figure

# Okabe-Ito colour-blind-safe palette (black left out, yellow last: it is weak on white).
PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
)
HIGHLIGHT_COLOR = "#D55E00"  # the one thing a chart points at (e.g. the country of a profile)
OUTLINE_COLOR = "#222222"  # outlines that must stand out (China on maps)
NO_DATA_COLOR = "#DCDCDC"  # countries or cells without a value
NOTE_COLOR = "#666666"  # source lines and small print
SEQUENTIAL_CMAP = "YlGnBu"  # numeric choropleths: its pale end stays distinct from NO_DATA_COLOR

TITLE_SIZE = 14.0
LABEL_SIZE = 11.0
TICK_SIZE = 10.0
NOTE_SIZE = 8.5

# Legend wording for each bound, matching the prefixes of format_value.
BOUND_LABELS: dict[str, str] = {
    "exact": "as stated",
    "lower": "at least (≥)",
    "upper": "at most (≤)",
    "approx": "about (≈)",
}
_BOUND_MARKER = {"exact": "o", "lower": "^", "upper": "v", "approx": "o"}


# The house rcParams on top of seaborn's "whitegrid" style and "notebook" context.
HOUSE_RC: dict[str, Any] = {
    "figure.figsize": (10.0, 5.5),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.constrained_layout.use": True,
    "font.size": LABEL_SIZE,
    "axes.titlesize": TITLE_SIZE,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": LABEL_SIZE,
    "xtick.labelsize": TICK_SIZE,
    "ytick.labelsize": TICK_SIZE,
    "legend.fontsize": TICK_SIZE,
    "legend.title_fontsize": LABEL_SIZE,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def house_rc() -> dict[str, Any]:
    """Every rcParam of the house style: what ``sns.set_theme`` would set, as a plain dict.

    seaborn's "whitegrid" style and "notebook" context, the palette as the colour cycle and
    ``HOUSE_RC``. Unlike ``sns.set_theme`` it changes nothing: apply it with
    ``house_style()`` (for one figure) or ``apply_house_style()`` (for a notebook).
    """
    import seaborn as sns
    from cycler import cycler

    rc: dict[str, Any] = dict(sns.axes_style("whitegrid", rc={"font.family": "sans-serif"}))
    rc.update(sns.plotting_context("notebook"))
    rc["axes.prop_cycle"] = cycler(color=sns.color_palette(list(PALETTE)))
    rc.update(HOUSE_RC)
    return rc


@contextmanager
def house_style() -> Iterator[None]:
    """The house style for the figures created inside the block; the caller's settings are
    restored afterwards (every chart and map function draws inside one)."""
    import matplotlib as mpl

    with mpl.rc_context(house_rc()):
        yield


def apply_house_style() -> None:
    """Make the house style the default for every figure drawn after it (notebook set-up)."""
    import matplotlib as mpl

    mpl.rcParams.update(house_rc())


def add_source_note(fig: Figure, text: str) -> None:
    """Write a small grey source line under the figure, wrapped to the figure's width.

    The note is the figure's bottom super-label, so a layout engine keeps room for it; a
    figure without one gets constrained layout. Calling it again replaces the note.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"a source note needs non-empty text, got {text!r}")
    # Width in characters: DejaVu Sans averages about 0.55 em per character; keep 4% margin.
    chars = max(20, int(fig.get_figwidth() * 72 * 0.96 / (NOTE_SIZE * 0.55)))
    wrapped = textwrap.fill(" ".join(text.split()), width=chars, break_long_words=True)
    if fig.get_layout_engine() is None:
        fig.set_layout_engine("constrained")
    fig.supxlabel(
        wrapped,
        x=0.01,
        ha="left",
        va="bottom",
        fontsize=NOTE_SIZE,
        color=NOTE_COLOR,
        wrap=True,
    )


def bound_marker(bound: str) -> dict[str, Any]:
    """Line2D marker keywords for a bound: filled for exact, hollow for lower/upper/approx.

    Lower bounds point up (^), upper bounds down (v), approximate values are hollow circles;
    pass the result to ``ax.plot(..., **bound_marker(b))`` with a colour of your choice.
    """
    check_bound(bound)
    style: dict[str, Any] = {"marker": _BOUND_MARKER[bound], "markersize": 8, "linestyle": "none"}
    if bound == "exact":
        style["fillstyle"] = "full"
    else:
        style.update(fillstyle="none", markeredgewidth=1.8)
    return style
