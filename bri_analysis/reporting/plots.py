"""Charts for the reports: frames in, matplotlib Figures out, all in the house style.

Every chart has a title, labelled axes and a source line, and keeps stated bounds visible:
a lower, upper or approximate figure is a hollow marker or a hatched bar, explained in the
legend, and its value label reads "≥ 1,600", "≤ 10%" or "≈ 6,000". pyplot does not keep
the figures (nothing accumulates during a batch build, nothing is shown twice): save one
with ``fig.savefig`` or show it in Jupyter as a cell's last expression or with ``display``.
matplotlib and pandas are imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bri_analysis.analysis.facts import reference_values
from bri_analysis.dataset.schemas import BOUNDS
from bri_analysis.reporting import style
from bri_analysis.reporting.figure import bounds as bounds_of
from bri_analysis.reporting.figure import (
    check_palette,
    finish,
    new_figure,
    new_grid,
    no_math,
    numbers,
    require_columns,
    require_text,
    styled,
)
from bri_analysis.reporting.format import display_value, point_displays

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Hatches for bars whose figure is a bound (exact bars are solid).
BOUND_HATCH = {"lower": "///", "upper": "\\\\\\", "approx": "..."}
# Marker colours for the confidence of each source in series charts.
CONFIDENCE_COLORS = {
    "verified": style.PALETTE[0],
    "secondary": style.PALETTE[1],
    "unverified": style.PALETTE[5],
}
CONFIDENCE_LABELS = {
    "verified": "verified in the cited source",
    "secondary": "secondary source",
    "unverified": "unverified",
}
DISPUTE_COLOR = "#888888"
LABEL_BOX = {"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.85}
LABEL_WIDTH = 28  # characters per line of a category label before it wraps
UPRIGHT_MAX = 6  # a vertical bar chart with more categories slants its labels
SERIES_COLUMNS = ("point", "label", "value", "bound", "confidence", "disputed")


@styled
def bar_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    bound: str | None = "bound",
    title: str,
    xlabel: str,
    ylabel: str,
    source_note: str,
    horizontal: bool = True,
    value_labels: str | bool | None = None,
) -> Figure:
    """One bar per row, in the frame's order (first row on top when horizontal).

    ``bound`` names the column of bounds (exact/lower/upper/approx); bounded bars are
    hatched and their labels read "≥ 40". Pass ``bound=None`` when every value is exact.
    ``value_labels``: None writes each value (bound kept), a column name writes that
    column's texts, False writes none. ``xlabel``/``ylabel`` label the horizontal and
    vertical axes as drawn.
    """
    require_text(title=title, xlabel=xlabel, ylabel=ylabel)
    require_columns(
        frame, [category, value, bound, value_labels if isinstance(value_labels, str) else None]
    )
    values = numbers(frame, value, category)
    bounds = bounds_of(frame, bound)
    if value_labels is None:
        labels = [display_value(v, b) for v, b in zip(values, bounds, strict=True)]
    elif value_labels is False:
        labels = None
    else:
        labels = [str(text) for text in frame[value_labels]]
    categories = [str(c) for c in frame[category]]
    fig, ax = _bar_axes(len(frame), horizontal, categories)
    _draw_bars(ax, categories, values, bounds, labels, horizontal)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    _bound_legend(ax, bounds)
    finish(fig, ax, title, source_note)
    return fig


@styled
def share_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    share: str,
    title: str,
    source_note: str,
    bound: str | None = None,
    xlabel: str = "Share (%)",
    ylabel: str | None = None,
) -> Figure:
    """Horizontal bars of shares (fractions 0-1) drawn as percentages on a 0-100% axis.

    A grey bar behind each share marks the whole (100%). ``bound`` optionally names a
    column of bounds for the shares (a share of "more than 40" is at most: "≤ 10%").
    ``ylabel`` defaults to the category column's name, capitalised.
    """
    from matplotlib.ticker import PercentFormatter

    require_text(title=title, xlabel=xlabel)
    require_columns(frame, [category, share, bound])
    shares = numbers(frame, share, category)
    outside = [str(c) for c, s in zip(frame[category], shares, strict=True) if not 0 <= s <= 1]
    if outside:
        raise ValueError(
            f"share_chart: shares must be fractions between 0 and 1; column {share!r} is "
            f"outside that range for: {', '.join(outside)}"
        )
    bounds = bounds_of(frame, bound)
    percents = [100 * s for s in shares]
    labels = [display_value(p, b, "percent") for p, b in zip(percents, bounds, strict=True)]
    categories = [str(c) for c in frame[category]]
    fig, ax = _bar_axes(len(frame), horizontal=True, labels=categories)
    ax.barh(range(len(categories)), [100] * len(categories), color=style.NO_DATA_COLOR, height=0.7)
    _draw_bars(ax, categories, percents, bounds, labels, horizontal=True)
    ax.set_xlim(0, 100)
    ax.xaxis.set_major_formatter(PercentFormatter(100))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel if ylabel is not None else category.replace("_", " ").capitalize())
    _bound_legend(ax, bounds)
    finish(fig, ax, title, source_note)
    return fig


@styled
def series_chart(
    points: pd.DataFrame,
    *,
    title: str,
    ylabel: str,
    source_note: str,
    xlabel: str | None = None,
) -> Figure:
    """One indicator over time from a ``facts.series`` frame (several sources per point).

    A line joins the reference values; every source's figure is a marker, filled when
    exact and hollow when a bound (▲ lower, ▼ upper, ○ approximate), coloured by the
    source's confidence. Where sources disagree a grey capped bar spans their range and
    the label shows it ("≈ 1,500 – ≥ 1,600"). Each point is a tick: edition and year for
    an event series ("2nd / 2019"), else the frame's ``label``. The value axis is written
    like the labels ("10,000", "US$80 bn"). ``xlabel`` defaults to "Edition" or "Date".
    """
    require_text(title=title, ylabel=ylabel)
    require_columns(points, list(SERIES_COLUMNS))
    if points.empty:
        raise ValueError("series_chart: the series has no points to draw")
    fig, ax = new_figure((10.0, 5.5))
    ref = reference_values(points)
    ax.plot(ref["point"], ref["value"], color=style.PALETTE[0], linewidth=1.6, zorder=2)
    for confidence, rows in points.groupby("confidence"):
        color = CONFIDENCE_COLORS.get(confidence, style.NOTE_COLOR)
        for b, group in rows.groupby("bound"):
            ax.plot(group["point"], group["value"], color=color, zorder=3, **style.bound_marker(b))
    disputes = _draw_disputes(ax, points)
    texts = point_displays(points)
    spans = points.groupby("point")["value"].agg(["min", "max"])
    stagger = len(ref) > 5  # crowded labels alternate above and below the points
    labels = []
    for i, point in enumerate(ref["point"]):
        below = stagger and i % 2 == 1
        labels.append(
            ax.annotate(
                texts[point],
                (point, spans.at[point, "min" if below else "max"]),
                xytext=(0, -12 if below else 10),
                textcoords="offset points",
                ha="center",
                va="top" if below else "bottom",
                fontsize=style.TICK_SIZE - 1,
                bbox=LABEL_BOX,
                zorder=4,
            )
        )
    has_editions = "edition" in points and points["edition"].notna().all()
    if has_editions:
        ticks = [
            f"{_ordinal(e)}\n{p.year}" for e, p in zip(ref["edition"], ref["point"], strict=True)
        ]
    else:
        ticks = [textwrap.fill(str(label), 12) for label in ref["label"]]
    crowded = len(ref) > 8
    ax.set_xticks(
        ref["point"], ticks, rotation=45 if crowded else 0, ha="right" if crowded else "center"
    )
    ax.tick_params(axis="x", labelsize=style.TICK_SIZE - 1)
    ax.margins(x=0.12, y=0.2)
    _from_zero(ax, points["value"])
    _value_axis(ax.yaxis, points)
    ax.grid(axis="x", visible=False)
    ax.set_xlabel(xlabel or ("Edition" if has_editions else "Date"))
    ax.set_ylabel(ylabel)
    if not stagger:  # with the limits final, so that label boxes are where they will be
        ax.autoscale_view()
        _lift_crowded_labels(fig, labels)
    handles = [_line_handle(style.PALETTE[0], "reference value (best-confirmed source)")]
    handles += [
        _marker_handle(
            "exact", CONFIDENCE_COLORS.get(c, style.NOTE_COLOR), CONFIDENCE_LABELS.get(c, c)
        )
        for c in sorted(set(points["confidence"]), key=list(CONFIDENCE_COLORS).index)
    ]
    handles += _bound_handles(points["bound"]) + disputes
    _outside_legend(fig, handles)
    finish(fig, ax, title, source_note)
    return fig


@styled
def multi_series_chart(
    frames_by_label: Mapping[str, pd.DataFrame],
    *,
    title: str,
    ylabel: str,
    source_note: str,
    xlabel: str = "Date",
) -> Figure:
    """Several ``facts.series`` frames on one date axis, one colour per label.

    Each series is a line through its reference values with every source's figure as a
    marker (hollow for bounds, a grey capped bar where sources disagree); the latest
    point of each series is labelled with its value, bound kept.
    """
    import pandas as pd

    require_text(title=title, ylabel=ylabel, xlabel=xlabel)
    if not frames_by_label:
        raise ValueError("multi_series_chart: no series given")
    check_palette(len(frames_by_label), "series", "multi_series_chart")
    for label, frame in frames_by_label.items():
        require_columns(frame, list(SERIES_COLUMNS), what=f"series {label!r}")
        if frame.empty:
            raise ValueError(f"multi_series_chart: series {label!r} has no points")
    fig, ax = new_figure((10.0, 5.5))
    handles, disputes, ends = [], [], []
    for (label, frame), color in zip(frames_by_label.items(), style.PALETTE, strict=False):
        ref = reference_values(frame)
        ax.plot(ref["point"], ref["value"], color=color, linewidth=1.6, zorder=2)
        for b, group in frame.groupby("bound"):
            ax.plot(group["point"], group["value"], color=color, zorder=3, **style.bound_marker(b))
        disputes += _draw_disputes(ax, frame)
        last = ref.iloc[-1]
        ends.append((point_displays(frame)[last["point"]], last["point"], last["value"], color))
        handles.append(_line_handle(color, label))
    all_points = pd.concat(list(frames_by_label.values()), ignore_index=True)
    _label_ends(ax, ends, all_points["value"])
    ax.margins(x=0.12, y=0.12)
    _from_zero(ax, all_points["value"])
    _value_axis(ax.yaxis, all_points)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    handles += _bound_handles(all_points["bound"]) + disputes[:1]
    _outside_legend(fig, handles)
    finish(fig, ax, title, source_note)
    return fig


@styled
def heatmap(
    matrix: pd.DataFrame,
    *,
    title: str,
    source_note: str,
    xlabel: str,
    ylabel: str,
    fmt: str | None = ".2f",
    cmap: str = style.SEQUENTIAL_CMAP,
    annotate: bool = True,
    bool_labels: tuple[str, str] = ("yes", "no"),
    vmin: float | None = None,
    vmax: float | None = None,
) -> Figure:
    """A matrix as coloured cells: booleans in two colours, numbers on a colour scale.

    Boolean matrices (membership) get a two-entry legend named by ``bool_labels``; numeric
    ones (Jaccard overlap) a colour bar from ``vmin`` to ``vmax`` (default: the data's
    range; pass 0 and 1 for shares), and with ``annotate`` and ``fmt`` each cell shows its
    number. Missing cells stay blank, and the legend or colour bar says so. The figure
    grows with the matrix and uses small fonts, so ~150 rows x 15 columns stays readable;
    tall matrices repeat the column labels on top.
    """
    import numpy as np
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    require_text(title=title, xlabel=xlabel, ylabel=ylabel)
    if matrix.empty:
        raise ValueError("heatmap: the matrix is empty")
    kinds = {c: matrix[c].dtype.kind for c in matrix.columns}
    wrong = [str(c) for c, k in kinds.items() if k not in "biuf"]
    if wrong:
        raise ValueError(
            f"heatmap: every column must be boolean or numeric; not so: {', '.join(wrong)} "
            "(select the matrix columns first)"
        )
    is_bool = all(k == "b" for k in kinds.values())
    values = matrix.to_numpy(dtype=float, na_value=np.nan)
    rows, cols = values.shape
    row_labels = [textwrap.shorten(str(r), 40) for r in matrix.index]
    col_labels = [textwrap.shorten(str(c), 30) for c in matrix.columns]
    small = rows > 40 or cols > 20
    tick = 7.0 if small else style.TICK_SIZE - 1
    char_in = tick * 0.6 / 72  # a character's width in inches at the tick font size
    left = max(len(label) for label in row_labels) * char_in + 0.8
    top = max(len(label) for label in col_labels) * char_in + 0.4
    cell_w, cell_h = (0.42, 0.19) if small else (0.6, 0.4)
    width = max(6.5, min(18.0, left + cols * cell_w + 1.8))
    height = max(3.5, rows * cell_h + top * (2 if rows > 30 else 1) + 1.6)
    fig, ax = new_figure((width, height))
    base = ListedColormap([style.NO_DATA_COLOR, style.PALETTE[0]]) if is_bool else colormaps[cmap]
    mesh = ax.pcolormesh(
        np.ma.masked_invalid(values),
        cmap=base.with_extremes(bad="white"),
        edgecolors="white",
        linewidth=0.5,
        vmin=vmin if vmin is not None else (0 if is_bool else None),
        vmax=vmax if vmax is not None else (1 if is_bool else None),
    )
    ax.set_xlim(0, cols)
    ax.set_ylim(rows, 0)
    ax.set_xticks(
        np.arange(cols) + 0.5,
        col_labels,
        rotation=90 if cols > 8 else 45,
        ha="center" if cols > 8 else "right",
    )
    ax.set_yticks(np.arange(rows) + 0.5, row_labels)
    ax.tick_params(labelsize=tick, length=0, labeltop=rows > 30)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    missing = bool(np.isnan(values).any())
    if is_bool:
        handles = [
            Patch(facecolor=style.PALETTE[0], label=bool_labels[0]),
            Patch(facecolor=style.NO_DATA_COLOR, label=bool_labels[1]),
        ]
        if missing:
            handles.append(Patch(facecolor="white", edgecolor=style.NOTE_COLOR, label="no value"))
        ax.legend(
            handles=handles,
            loc="lower left",
            bbox_to_anchor=(1.01, 1.0),
            frameon=False,
            fontsize=tick,
        )
    else:
        bar = fig.colorbar(mesh, ax=ax, shrink=min(1.0, 4.0 / height), aspect=25)
        bar.ax.tick_params(labelsize=tick)
        if missing:
            bar.set_label("blank cell: no value", fontsize=tick)
        if annotate and fmt:
            _annotate_cells(ax, mesh, values, fmt, tick)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    finish(fig, ax, title, source_note)
    return fig


def heatmap_panels(
    panels: Mapping[str, pd.DataFrame], *, title: str, source_note: str, **options: Any
) -> list[Figure]:
    """One ``heatmap`` per panel (e.g. per continent), titled "{title}: {panel}", so that
    a matrix too big for one screen is read in pieces."""
    return [
        heatmap(matrix, title=f"{title}: {name}", source_note=source_note, **options)
        for name, matrix in panels.items()
    ]


def line_panels(
    panels: Mapping[str, Mapping[str, pd.DataFrame]],
    *,
    title: str,
    ylabel: str,
    source_note: Callable[[Iterable[pd.DataFrame]], str],
) -> list[Figure]:
    """``multi_series_chart``s for groups of series (e.g. one per currency), each group
    split into charts of at most as many series as the palette has colours.
    ``source_note`` makes a chart's note from its frames."""
    figures = []
    size = len(style.PALETTE)
    for group, frames in panels.items():
        items = list(frames.items())
        for start in range(0, len(items), size):
            part = dict(items[start : start + size])
            suffix = f" ({group})" if len(panels) > 1 else ""
            figures.append(
                multi_series_chart(
                    part,
                    title=f"{title}{suffix}",
                    ylabel=ylabel,
                    source_note=source_note(part.values()),
                )
            )
    return figures


def series_charts(charts: Iterable[Mapping[str, Any]]) -> list[Figure]:
    """One ``series_chart`` per keyword mapping (see ``reporting.tables.edition_charts``)."""
    return [series_chart(**chart) for chart in charts]


@styled
def small_multiples(
    frames_by_label: Mapping[str, pd.DataFrame],
    *,
    title: str,
    ylabel: str,
    source_note: str,
    columns: int = 3,
) -> Figure:
    """One small line chart per series (``facts.series``-like frames: point, value), on a
    shared time axis, each from zero: many series compared without a palette of colours.
    A series starts where its first point is (a mechanism's founding), never at zero
    before it."""
    import math

    from matplotlib.ticker import MaxNLocator

    require_text(title=title, ylabel=ylabel)
    if not frames_by_label:
        raise ValueError("small_multiples: no series given")
    rows = math.ceil(len(frames_by_label) / columns)
    fig, axes = new_grid((10.0, 1.9 * rows + 1.2), rows, columns, sharex=True)
    for ax, (label, frame) in zip(axes.flat, frames_by_label.items(), strict=False):
        require_columns(frame, ["point", "value"], what=f"series {label!r}")
        ax.plot(frame["point"], frame["value"], color=style.PALETTE[0], linewidth=1.4)
        ax.set_title(_wrap(label, 30), loc="left", fontsize=style.TICK_SIZE)
        ax.set_ylim(bottom=0, top=max(1.0, float(frame["value"].max()) * 1.15))
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=3))
        ax.tick_params(labelsize=style.TICK_SIZE - 2)
        ax.grid(axis="x", visible=False)
    for ax in list(axes.flat)[len(frames_by_label) :]:
        ax.set_visible(False)
    fig.supylabel(ylabel, fontsize=style.LABEL_SIZE)
    fig.suptitle(title, x=0.01, ha="left", fontsize=style.TITLE_SIZE, fontweight="bold")
    style.add_source_note(fig, source_note)
    no_math(fig)
    return fig


@styled
def stacked_region_chart(
    region_counts_frame: pd.DataFrame,
    *,
    title: str,
    source_note: str,
    region: str = "region",
    stack: str = "channel",
    value: str = "countries",
    stack_names: Mapping[str, str] | None = None,
    xlabel: str = "Countries (counted once per channel)",
    ylabel: str = "Region",
) -> Figure:
    """Counts by region and channel (a long frame such as ``participation.region_counts``).

    One horizontal bar per region (largest total on top), one coloured segment per
    channel with its count inside when it fits, and the total at the end. ``stack_names``
    maps channel ids to legend names (default: the id with spaces for underscores). A
    country taking part through several channels is counted once per channel: the total is
    a sum of channel counts, not of distinct countries, and the default x label says so.
    """
    import pandas as pd
    from matplotlib.transforms import offset_copy

    require_text(title=title, xlabel=xlabel, ylabel=ylabel)
    require_columns(region_counts_frame, [region, stack, value])
    numbers(region_counts_frame, value, region)
    doubled = region_counts_frame.duplicated([region, stack])
    if doubled.any():
        pairs = (
            region_counts_frame.loc[doubled, [region, stack]].astype(str).agg(" / ".join, axis=1)
        )
        raise ValueError(f"stacked_region_chart: more than one row for: {', '.join(pairs)}")
    wide = region_counts_frame.pivot(index=region, columns=stack, values=value).fillna(0)
    totals = wide.sum(axis=1).sort_values(ascending=False, kind="stable")
    wide = wide.loc[totals.index]
    check_palette(wide.shape[1], "channels", "stacked_region_chart")
    names = dict(stack_names or {})
    fig, ax = _bar_axes(len(wide), horizontal=True, labels=[str(r) for r in wide.index])
    left = pd.Series(0.0, index=wide.index)
    positions = range(len(wide))
    # a channel keeps its colour from chart to chart: its place in stack_names, if named
    order = [c for c in names if c in wide.columns] + [c for c in wide.columns if c not in names]
    wide = wide[order]
    colours = {c: style.PALETTE[list(names).index(c) % len(style.PALETTE)] for c in names}
    spare = iter(p for p in style.PALETTE if p not in colours.values())
    for channel in wide.columns:
        color = colours.get(channel) or next(spare, style.NO_DATA_COLOR)
        counts = wide[channel]
        bars = ax.barh(
            positions,
            counts,
            left=left,
            color=color,
            height=0.7,
            label=names.get(channel, str(channel).replace("_", " ")),
        )
        fits = counts >= 0.06 * totals.max()
        ax.bar_label(
            bars,
            labels=[f"{c:,.0f}" if f else "" for c, f in zip(counts, fits, strict=True)],
            label_type="center",
            fontsize=style.TICK_SIZE - 1,
            color="white",
        )
        left += counts
    for y, total in zip(positions, totals, strict=True):
        ax.annotate(
            f"{total:,.0f}",
            (total, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=style.TICK_SIZE,
        )
    ax.set_yticks(list(positions), [_wrap(r) for r in wide.index])
    ax.invert_yaxis()
    ax.margins(x=0.08)
    ax.grid(axis="y", visible=False)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(  # under the chart: channel names are long, and a legend beside it squeezes it
        title="Channel",
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),  # 36 points under the axes: below the tick and axis labels
        bbox_transform=offset_copy(ax.transAxes, fig=fig, y=-36, units="points"),
        ncols=2,
        frameon=False,
        fontsize=style.TICK_SIZE - 1,
        title_fontsize=style.TICK_SIZE,
    )
    finish(fig, ax, title, source_note)
    return fig


# --- drawing helpers -------------------------------------------------------------------


def _lift_crowded_labels(fig: Figure, labels: list[Any]) -> None:
    """Raise a point label above the label before it when the two would overprint (two
    editions close in time), so that every figure stays readable."""
    renderer = fig.canvas.get_renderer()
    previous = None
    for label in labels:
        box = label.get_window_extent(renderer)
        if previous is not None and box.expanded(1.1, 1.0).overlaps(previous):
            x, y = label.xyann  # offset in points from the point: lift it past the other
            label.xyann = (x, y + (previous.y1 - box.y0) * 72 / fig.dpi + 2)
            box = label.get_window_extent(renderer)
        previous = box


def _label_ends(ax: Axes, ends: Sequence[tuple[str, Any, float, str]], values: pd.Series) -> None:
    """Write each series' latest value at its last point; labels of ends that nearly
    coincide (within 4% of the value range) are stacked one line apart, not drawn over
    each other."""
    spread = float(values.max() - values.min()) or abs(float(values.max())) or 1.0
    placed: list[tuple[Any, float, int]] = []  # (x, value, line) of the labels so far
    for text, x, value, color in sorted(ends, key=lambda end: end[2]):
        near = [line for px, pv, line in placed if abs(pv - value) < 0.04 * spread]
        line = max(near) + 1 if near else 0
        placed.append((x, value, line))
        ax.annotate(
            text,
            (x, value),
            xytext=(6, 12 * line),
            textcoords="offset points",
            va="center",
            color=color,
            fontsize=style.TICK_SIZE - 1,
            bbox=LABEL_BOX,
            zorder=4,
        )


def _bar_axes(count: int, horizontal: bool, labels: Sequence[str] = ()) -> tuple[Figure, Axes]:
    """A figure sized for ``count`` bars; horizontal bars get room for their wrapped labels."""
    if horizontal:
        lines = max((_wrap(label).count("\n") + 1 for label in labels), default=1)
        per_bar = max(0.32, 0.17 * lines + 0.1)
        return new_figure((10.0, max(3.0, per_bar * count + 1.8)))
    per_bar = 0.55 if count > UPRIGHT_MAX else 1.4  # upright labels need room side by side
    return new_figure((max(6.0, min(18.0, per_bar * count + 3.5)), 5.5))


def _draw_bars(
    ax: Axes,
    categories: Sequence[str],
    values: Sequence[float],
    bounds: Sequence[str],
    labels: Sequence[str] | None,
    horizontal: bool,
) -> None:
    positions = range(len(categories))
    draw = ax.barh if horizontal else ax.bar
    bars = draw(positions, values, 0.7, color=style.PALETTE[0])
    for patch, b in zip(bars, bounds, strict=True):
        if b != "exact":
            patch.set(**_bounded_bar(b))
    if labels is not None:
        ax.bar_label(bars, labels=labels, padding=3, fontsize=style.TICK_SIZE - 1)
    small = len(categories) > 40
    if horizontal:
        ax.set_yticks(list(positions), [_wrap(c) for c in categories])
        ax.set_ylim(len(categories) - 0.4, -0.6)  # first row on top, no empty band
        ax.margins(x=0.12)
        ax.grid(axis="y", visible=False)
        _value_axis(ax.xaxis, values=values)
        if small:  # a tall chart: smaller names, and the scale on top as well
            ax.tick_params(axis="y", labelsize=7)
            ax.tick_params(axis="x", labeltop=True)
    else:
        upright = len(categories) <= UPRIGHT_MAX
        ax.set_xticks(
            list(positions),
            [_wrap(c, 14 if upright else LABEL_WIDTH) for c in categories],
            rotation=0 if upright else 45,
            ha="center" if upright else "right",
            rotation_mode="anchor",
        )
        ax.set_xlim(-0.6, len(categories) - 0.4)
        ax.margins(y=0.12)
        ax.grid(axis="x", visible=False)
        _value_axis(ax.yaxis, values=values)


def _bounded_bar(bound: str) -> dict[str, Any]:
    from matplotlib.colors import to_rgba

    return {
        "facecolor": to_rgba(style.PALETTE[0], 0.3),
        "edgecolor": style.PALETTE[0],
        "hatch": BOUND_HATCH[bound],
        "linewidth": 1.0,
    }


def _bound_legend(ax: Axes, bounds: Sequence[str]) -> None:
    """A legend explaining hatched bars, only when the chart has a bounded figure."""
    from matplotlib.patches import Patch

    present = [b for b in BOUNDS if b in set(bounds)]
    if set(present) <= {"exact"}:
        return
    handles = [
        Patch(facecolor=style.PALETTE[0], label=style.BOUND_LABELS[b])
        if b == "exact"
        else Patch(**_bounded_bar(b), label=style.BOUND_LABELS[b])
        for b in present
    ]
    ax.figure.legend(
        handles=handles,
        title="Figure as stated",
        loc="outside right upper",
        frameon=False,
        fontsize=style.TICK_SIZE - 1,
        title_fontsize=style.TICK_SIZE,
    )


def _bound_handles(bounds: Any) -> list[Any]:
    present = set(bounds)
    return [_marker_handle(b, "#444444", style.BOUND_LABELS[b]) for b in BOUNDS if b in present]


def _marker_handle(bound: str, color: str, label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], color=color, label=label, **style.bound_marker(bound))


def _line_handle(color: str, label: str) -> Any:
    from matplotlib.lines import Line2D

    return Line2D([], [], color=color, linewidth=1.6, label=_wrap(label, 32))


def _draw_disputes(ax: Axes, points: pd.DataFrame) -> list[Any]:
    """A grey capped bar over the range of the sources at each disputed point.

    Returns the legend handle for it (an empty list when no point is disputed).
    """
    disputed = points[points["disputed"].astype(bool)]
    if disputed.empty:
        return []
    spans = disputed.groupby("point")["value"].agg(["min", "max"])
    bars = ax.errorbar(
        spans.index,
        spans["min"],
        yerr=[[0] * len(spans), spans["max"] - spans["min"]],
        fmt="none",
        ecolor=DISPUTE_COLOR,
        elinewidth=1.5,
        capsize=9,
        capthick=1.5,
        zorder=1,
        label="sources disagree (range)",
    )
    return [bars]


def _outside_legend(fig: Figure, handles: list[Any]) -> None:
    fig.legend(
        handles=handles, loc="outside right upper", frameon=False, fontsize=style.TICK_SIZE - 1
    )


def _annotate_cells(ax: Axes, mesh: Any, values: Any, fmt: str, size: float) -> None:
    """Write each number in its cell, white on dark colours and black on light ones."""
    import numpy as np

    rgba = mesh.to_rgba(np.ma.masked_invalid(values))
    for (row, col), number in np.ndenumerate(values):
        if np.isnan(number):
            continue
        r, g, b, _ = rgba[row, col]
        dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
        ax.text(
            col + 0.5,
            row + 0.5,
            format(number, fmt),
            ha="center",
            va="center",
            fontsize=size,
            color="white" if dark else "black",
        )


def _value_axis(
    axis: Any, points: pd.DataFrame | None = None, values: Sequence[float] | None = None
) -> None:
    """Tick numbers written like the value labels: "10,000", "US$80 bn", "25%".

    Uses the frame's ``unit`` when it has exactly one (a currency or percent shows on the
    axis; counted things such as "persons" belong in the axis label). Counts (every value
    a whole number, no currency or percent) get whole-number ticks only: one bar of 3
    countries has no tick at 2.5.
    """
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    units = set() if points is None or "unit" not in points else set(points["unit"].dropna())
    unit = units.pop() if len(units) == 1 else None
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: display_value(v, "exact", unit)))
    numbers = list(points["value"]) if values is None and points is not None else values
    if numbers is not None and unit is None and all(float(v).is_integer() for v in numbers):
        axis.set_major_locator(MaxNLocator(integer=True))


def _ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st."""
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def _from_zero(ax: Axes, values: pd.Series) -> None:
    """Counts and amounts read honestly from a zero baseline."""
    if (values >= 0).all():
        ax.set_ylim(bottom=0)


def _wrap(label: object, width: int = LABEL_WIDTH) -> str:
    return textwrap.fill(str(label), width)
