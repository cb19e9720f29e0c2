"""The house chart style: one theme, palette, source line and bound notation for every figure.

Charts state where a number comes from and whether it is a bound ("more than 1,600" is drawn
and written as "≥ 1,600"), so every plot and report takes its colours, markers and number
formats from here. matplotlib and seaborn are imported inside the functions that need them.
"""

from __future__ import annotations

import math
import numbers
import textwrap
from typing import TYPE_CHECKING, Any

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

BOUNDS: tuple[str, ...] = ("exact", "lower", "upper", "approx")
# Legend wording for each bound, matching the prefixes of format_value.
BOUND_LABELS: dict[str, str] = {
    "exact": "as stated",
    "lower": "at least (≥)",
    "upper": "at most (≤)",
    "approx": "about (≈)",
}
_BOUND_PREFIX = {"exact": "", "lower": "≥ ", "upper": "≤ ", "approx": "≈ "}
_BOUND_MARKER = {"exact": "o", "lower": "^", "upper": "v", "approx": "o"}

_CURRENCY_PREFIX = {"USD": "US$", "US$": "US$", "CNY": "RMB ", "RMB": "RMB ", "EUR": "€"}
_PERCENT_UNITS = {"percent", "%"}
_MONEY_SCALES = ((1e12, "tn"), (1e9, "bn"), (1e6, "mn"))


def apply_house_style() -> None:
    """Set the seaborn theme, palette and readable font sizes for all figures drawn after it."""
    import seaborn as sns

    sns.set_theme(
        context="notebook",
        style="whitegrid",
        palette=list(PALETTE),
        rc={
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
        },
    )


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
    _check_bound(bound)
    style: dict[str, Any] = {"marker": _BOUND_MARKER[bound], "markersize": 8, "linestyle": "none"}
    if bound == "exact":
        style["fillstyle"] = "full"
    else:
        style.update(fillstyle="none", markeredgewidth=1.8)
    return style


def format_value(value: float, bound: str, unit: str | None = None) -> str:
    """A number as a reader should see it, bound kept: "≥ 1,600", "US$57.8 bn", "69.1%".

    Currencies (USD, CNY/RMB, EUR) get a symbol and bn/tn scale, percent a % sign; any other
    unit ("countries", "persons") is written after the number. NaN units count as none.
    """
    _check_bound(bound)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"format_value needs a finite number, got {value!r}")
    if isinstance(unit, float) and math.isnan(unit):
        unit = None
    if unit is not None and not isinstance(unit, str):
        raise ValueError(f"unit must be a string or None, got {unit!r}")
    unit = (unit or "").strip()
    if unit in _CURRENCY_PREFIX:
        text = _CURRENCY_PREFIX[unit] + _money(value)
    elif unit in _PERCENT_UNITS:
        text = f"{_number(value)}%"
    else:
        text = _number(value) + (f" {unit}" if unit else "")
    return _BOUND_PREFIX[bound] + text


def _money(value: float) -> str:
    for scale, suffix in _MONEY_SCALES:
        if abs(value) >= scale:
            return f"{_number(value / scale)} {suffix}"
    return _number(value)


def _number(value: float) -> str:
    """Thousands separators; one decimal unless the value is whole."""
    rounded = round(value, 1)
    return f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.1f}"


def _check_bound(bound: str) -> None:
    if bound not in BOUNDS:
        raise ValueError(f"unknown bound {bound!r}; expected one of {', '.join(BOUNDS)}")
