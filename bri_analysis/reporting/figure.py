"""What every chart and map shares: a new figure, the finishing touches and input checks.

One policy for all figures: created through pyplot (so Jupyter's inline backend knows how
to show them) and closed at once (so pyplot neither shows them twice nor keeps them during a
batch build), with an Agg canvas that can render (``fig.canvas.draw()`` works); drawn in the
house style without changing the caller's matplotlib settings (``styled``); finished with a
title and a source line, with "$" always a dollar sign, never mathematics (``finish``).
"""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar

from bri_analysis.dataset.schemas import BOUNDS
from bri_analysis.reporting import style

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

P = ParamSpec("P")
R = TypeVar("R")


def styled(draw: Callable[P, R]) -> Callable[P, R]:
    """Run a chart or map function inside ``style.house_style()``."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with style.house_style():
            return draw(*args, **kwargs)

    return wrapper


def new_figure(figsize: tuple[float, float], axes: bool = True) -> tuple[Figure, Axes | None]:
    """A constrained-layout figure (with one axes unless ``axes`` is false), not kept by
    pyplot and with a canvas that renders."""
    import matplotlib.pyplot as plt

    fig = _detached(plt.figure(figsize=figsize, layout="constrained"))
    return fig, (fig.add_subplot() if axes else None)


def new_grid(
    figsize: tuple[float, float], rows: int, columns: int, **options: Any
) -> tuple[Figure, Any]:
    """Like ``new_figure``, with a grid of axes (``plt.subplots`` options, e.g. sharex)."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(
        rows, columns, figsize=figsize, squeeze=False, layout="constrained", **options
    )
    return _detached(fig), axes


def _detached(fig: Figure) -> Figure:
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    plt.close(fig)  # the caller shows the returned figure; pyplot must not show it again
    FigureCanvasAgg(fig)  # closing detached the canvas; keep one that can render
    return fig


def finish(fig: Figure, ax: Axes, title: str, source_note: str, *, wrap_title: bool = True) -> None:
    """Title (wrapped to the axes' width) and source line; then every text of the figure is
    plain text, so "US$1 ... US$2" is never typeset as a formula."""
    width = max(30, int(ax.get_position().width * fig.get_figwidth() * 7))
    text = textwrap.fill(title, width) if wrap_title else title
    ax.set_title(text, loc="left", fontsize=style.TITLE_SIZE, fontweight="bold")
    style.add_source_note(fig, source_note)
    no_math(fig)


def no_math(fig: Figure) -> None:
    """Turn off mathtext on every text artist of ``fig`` (titles, labels, ticks, legends),
    and leave out characters the house font cannot draw (a Chinese name in parentheses
    would otherwise be a row of empty boxes)."""
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
        shown = text.get_text()
        drawable = drawable_text(shown)
        if drawable != shown:
            text.set_text(drawable)


def drawable_text(text: str) -> str:
    """``text`` without the characters the house font (DejaVu Sans) has no glyph for;
    parentheses and brackets left empty are removed too."""
    import re

    glyphs = _font_glyphs()
    if all(ord(c) in glyphs or c in "\n\t" for c in text):
        return text
    kept = "".join(c for c in text if ord(c) in glyphs or c in "\n\t")
    kept = re.sub(r"\(\s*\)|\[\s*\]|（\s*）", "", kept)
    return re.sub(r"[ \t]{2,}", " ", kept).strip()


@functools.cache
def _font_glyphs() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    return frozenset(FT2Font(path).get_charmap())


def require_text(**texts: Any) -> None:
    """Each keyword must be a non-empty string (titles, labels, source notes)."""
    for name, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"{name} must be a non-empty string, got {text!r}")


def require_columns(
    frame: pd.DataFrame, columns: Sequence[str | None], what: str = "frame"
) -> None:
    """``KeyError`` naming the columns (``None`` entries are skipped) that ``frame`` lacks."""
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise KeyError(
            f"{what} has no column(s) {', '.join(map(repr, missing))}; "
            f"it has: {', '.join(map(str, frame.columns))}"
        )


def numbers(frame: pd.DataFrame, column: str, category: str) -> list[float]:
    """The values of a column as floats; no rows, or a missing or non-numeric value, is an error."""
    import pandas as pd

    if frame.empty:
        raise ValueError("the frame has no rows to draw")
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = frame.loc[values.isna(), category]
    if len(bad):
        raise ValueError(
            f"column {column!r} has no number for: {', '.join(map(str, bad))} "
            "(drop or fill those rows first)"
        )
    return [float(v) for v in values]


def bounds(frame: pd.DataFrame, column: str | None) -> list[str]:
    """The bounds in ``column`` (all ``exact`` when ``column`` is None), each checked."""
    if column is None:
        return ["exact"] * len(frame)
    found = [str(b) for b in frame[column]]
    unknown = sorted(set(found) - set(BOUNDS))
    if unknown:
        raise ValueError(
            f"column {column!r} has unknown bound(s) {', '.join(unknown)}; "
            f"expected {', '.join(BOUNDS)}"
        )
    return found


def check_palette(count: int, what: str, chart: str) -> None:
    """A chart colours at most as many categories as the house palette has colours."""
    if count > len(style.PALETTE):
        raise ValueError(
            f"{chart}: {count} {what} but the house palette has {len(style.PALETTE)} colours; "
            "group or split them first"
        )
