"""Offline world maps: Natural Earth 1:110m countries in the Equal Earth projection.

The shapes come from ``world`` (vendored, nothing is downloaded) and are drawn with
matplotlib. Countries too small to have a polygon at 1:110m (Singapore, Maldives, most
island states) are drawn as dots, and every code that can be placed nowhere is named in the
figure. numpy, pandas and matplotlib are imported inside
the functions, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from bri_analysis.reporting import style
from bri_analysis.reporting.figure import check_palette, finish, new_figure, require_text, styled
from bri_analysis.reporting.world import (
    ISO3,
    MAP_EXTENT,
    CountryShape,
    WorldShapes,
    extent,
    not_on_map,
    world_shapes,
)

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

LEGEND_INSIDE = 5  # legend entries that fit in the empty south-east Pacific
HATCH = "xxxx"  # a bound; China without a value has "////"
NOT_DRAWN = frozenset({"ATA"})  # Antarctica: no BRI data, and it would take a fifth of the map
CHINA = "CHN"
FIGSIZE = (10.0, 5.5)  # report size; a locator map has no colour bar, so it is shorter
LOCATOR_FIGSIZE = (10.0, 5.0)
# Below this size (square root of projected area; the map is ~5.4 units wide) a country is
# hard to see at report size, so a locator map rings it.
SMALL_SIZE = 0.06


@styled
def choropleth(
    values: pd.Series,
    *,
    title: str,
    source_note: str,
    label: str,
    cmap: str = style.SEQUENTIAL_CMAP,
    categorical: bool = False,
    colors: Mapping[str, str] | None = None,
    hatched: Iterable[str] = (),
    hatch_label: str = "a bound, not an exact value",
    frame: Iterable[str] | None = None,
    no_value_label: str = "No value",
    ax: Axes | None = None,
) -> Figure:
    """A world map coloured by ``values`` (indexed by ISO3): a colour bar or a category legend.

    Countries without a value (or with NaN) are light grey; China is outlined, and hatched
    when it has no value. Countries with a value but no polygon at 1:110m are drawn as dots;
    codes that cannot be placed at all are named in a note on the map (see ``not_on_map``).
    Categories of an ordered categorical dtype get shades of ``cmap`` in their order,
    others the house palette; ``colors`` fixes the colour of some categories (e.g. "no
    date"). Countries in ``hatched`` are hatched (and drawn as squares when too small),
    explained in the legend by ``hatch_label``. ``frame`` crops the map to the box around
    those countries (a regional report draws its region, not the world);
    ``no_value_label`` names the grey of countries without a value.
    """
    import matplotlib as mpl
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    require_text(title=title, source_note=source_note, label=label)
    values = _checked_values(values, categorical)
    shapes = world_shapes()
    fig, ax = _map_axes(ax)

    present = values.dropna()
    handles: list[Any] = []
    marked = set(hatched) & set(present.index)
    if categorical:
        categories = _categories(present)
        colour_of = _category_colours(present, categories, cmap, colors or {})
        colours = {iso3: colour_of[value] for iso3, value in present.items()}
        counts = present.value_counts()
        handles += [
            Patch(facecolor=colour_of[c], edgecolor="white", label=f"{c} ({counts[c]})")
            for c in categories
        ]
    else:
        numbers = present.astype(float)
        vmin, vmax = (float(numbers.min()), float(numbers.max())) if len(numbers) else (0.0, 1.0)
        norm = mpl.colors.Normalize(vmin, vmax if vmax > vmin else vmin + 1)
        colormap = mpl.colormaps[cmap]
        colours = {iso3: colormap(norm(value)) for iso3, value in numbers.items()}

    _draw_countries(ax, shapes, colours)
    if frame is not None:
        left, right, bottom, top = extent(frame)
        ax.set_xlim(left, right)
        ax.set_ylim(bottom, top)
    if marked:
        _draw_hatches(ax, [shapes.countries[c] for c in marked if c in shapes.countries])
        handles.append(Patch(facecolor="white", edgecolor=style.OUTLINE_COLOR, hatch=HATCH,
                             label=f"hatched or square: {hatch_label}"))  # fmt: skip
    handles.append(Patch(facecolor=style.NO_DATA_COLOR, edgecolor="white", label=no_value_label))
    if CHINA in shapes.countries:
        handles.append(_draw_china(ax, shapes.countries[CHINA], colours.get(CHINA)))

    dots = [iso3 for iso3 in present.index if iso3 in shapes.label_points]
    if dots:
        for marker, group in (
            ("o", [d for d in dots if d not in marked]),
            ("s", [d for d in dots if d in marked]),
        ):
            if not group:
                continue
            xy = [shapes.label_points[iso3].xy for iso3 in group]
            ax.scatter(
                *zip(*xy, strict=True),
                s=22,
                marker=marker,
                c=[colours[iso3] for iso3 in group],
                edgecolors=style.OUTLINE_COLOR,
                linewidths=0.6,
                zorder=4,
            )
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="none",
                markerfacecolor="white",
                markeredgecolor=style.OUTLINE_COLOR,
                label="too small to draw (dot)",
            )
        )
    unplaced = [c for c in not_on_map(present.index) if c not in shapes.label_points]
    if unplaced:
        _map_note(ax, "Not on this map: " + ", ".join(unplaced))

    legend = {"handles": handles, "frameon": False, "fontsize": style.TICK_SIZE}
    if len(handles) > LEGEND_INSIDE:  # a long legend goes under the map, not over America
        ax.legend(**legend, title=label if categorical else None, loc="upper center",
                  bbox_to_anchor=(0.5, 0.0), ncols=2, title_fontsize=style.LABEL_SIZE)  # fmt: skip
    else:
        ax.legend(**legend, title=label if categorical else None, loc="lower left",
                  title_fontsize=style.LABEL_SIZE)  # fmt: skip
    if not categorical:
        mappable = mpl.cm.ScalarMappable(norm=norm, cmap=colormap)
        bar = fig.colorbar(
            mappable,
            ax=ax,
            orientation="horizontal",
            location="bottom",
            shrink=0.45,
            aspect=35,
            pad=0.01,
        )
        bar.set_label(label, fontsize=style.LABEL_SIZE)
        bar.ax.tick_params(labelsize=style.TICK_SIZE)
        bar.outline.set_visible(False)
    finish(fig, ax, title, source_note, wrap_title=False)
    return fig


@styled
def locator_map(iso3: str, *, title: str, source_note: str) -> Figure:
    """A world map with one country highlighted, for country profiles.

    A country too small to see is ringed at its label point; one the map cannot place at
    all gets a note in the figure instead.
    """
    require_text(title=title, source_note=source_note)
    if not isinstance(iso3, str) or not ISO3.match(iso3):
        raise ValueError(f"locator_map needs an ISO3 code such as 'KAZ', got {iso3!r}")
    shapes = world_shapes()
    fig, ax = _map_axes(None, figsize=LOCATOR_FIGSIZE)
    colours = {iso3: style.HIGHLIGHT_COLOR}
    _draw_countries(ax, shapes, colours)

    ring_at: tuple[float, float] | None = None
    if iso3 in shapes.countries:
        shape = shapes.countries[iso3]
        _draw_outline(ax, shape, style.OUTLINE_COLOR, linewidth=0.9)
        if shape.size < SMALL_SIZE:
            ring_at = shape.label_xy
    elif iso3 in shapes.label_points:
        ring_at = shapes.label_points[iso3].xy
        ax.scatter(*ring_at, s=30, color=style.HIGHLIGHT_COLOR, zorder=5)
    else:
        message = f"{iso3} has no shape or position on this 1:110m map"
        _map_note(ax, message, left=True, fontsize=style.LABEL_SIZE)
    if ring_at is not None:
        ax.scatter(
            *ring_at,
            s=420,
            facecolors="none",
            edgecolors=style.HIGHLIGHT_COLOR,
            linewidths=2.2,
            zorder=5,
        )
    finish(fig, ax, title, source_note, wrap_title=False)
    return fig


def _checked_values(values: pd.Series, categorical: bool) -> pd.Series:
    """The series, after checking its index is unique ISO3 codes and its dtype fits."""
    import pandas as pd

    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series indexed by ISO3, got {type(values)}")
    bad = [code for code in values.index if not (isinstance(code, str) and ISO3.match(code))]
    if bad:
        raise ValueError(f"values must be indexed by ISO3 codes (e.g. 'KAZ'); not ISO3: {bad}")
    duplicated = sorted(set(values.index[values.index.duplicated()]))
    if duplicated:
        raise ValueError(f"values has more than one value for: {duplicated}")
    if not categorical:
        is_numeric = pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(
            values
        )
        if not is_numeric:
            raise ValueError(
                f"values are not numeric (dtype {values.dtype}); pass categorical=True "
                "to colour by category"
            )
        infinite = values.index[values.abs() == float("inf")].tolist()
        if infinite:
            raise ValueError(f"values are infinite for: {infinite}")
    return values


def _categories(present: pd.Series) -> list[Any]:
    """Category order: the dtype's own order if categorical, else sorted."""
    import pandas as pd

    if isinstance(present.dtype, pd.CategoricalDtype):
        used = set(present)
        return [c for c in present.cat.categories if c in used]
    return sorted(present.unique(), key=str)


def _category_colours(
    present: pd.Series, categories: list[Any], cmap: str, fixed: Mapping[str, str]
) -> dict[Any, Any]:
    """A colour per category: ``fixed`` ones first; an ordered categorical gets shades of
    ``cmap`` from light to dark in its order, anything else the house palette."""
    import matplotlib as mpl
    import pandas as pd

    free = [c for c in categories if c not in fixed]
    if isinstance(present.dtype, pd.CategoricalDtype) and present.dtype.ordered:
        colormap = mpl.colormaps[cmap]
        steps = [0.3 + 0.7 * i / max(1, len(free) - 1) for i in range(len(free))]
        shades = [colormap(step) for step in steps]
    else:
        check_palette(len(free), "categories", "choropleth")
        shades = list(style.PALETTE)
    return {
        **dict(zip(free, shades, strict=False)),
        **{c: fixed[c] for c in categories if c in fixed},
    }


def _draw_hatches(ax: Axes, countries: list[CountryShape]) -> None:
    from matplotlib.collections import PathCollection

    ax.add_collection(
        PathCollection(
            _paths(countries),
            facecolors="none",
            edgecolors=style.OUTLINE_COLOR,
            hatch=HATCH,
            linewidths=0.3,
            zorder=2,
        )
    )


def _map_axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    fig, ax = new_figure(figsize) if ax is None else (ax.figure, ax)
    ax.set_aspect("equal")
    ax.set_axis_off()
    return fig, ax


def _paths(shapes: Iterable[CountryShape]) -> list[Any]:
    """One compound path per country, so holes (Lesotho inside South Africa) stay holes."""
    from matplotlib.path import Path

    return [
        Path.make_compound_path(*(Path(ring, closed=True) for ring in shape.rings))
        for shape in shapes
    ]


def _draw_countries(ax: Axes, shapes: WorldShapes, colours: Mapping[str, Any]) -> None:
    from matplotlib.collections import PathCollection

    drawn = [s for s in shapes.countries.values() if s.iso3 not in NOT_DRAWN]
    collection = PathCollection(
        _paths(drawn),
        facecolors=[colours.get(s.iso3, style.NO_DATA_COLOR) for s in drawn],
        edgecolors="white",
        linewidths=0.4,
        zorder=1,
    )
    ax.add_collection(collection)
    ax.set_xlim(*MAP_EXTENT[:2])
    ax.set_ylim(*MAP_EXTENT[2:])


def _draw_outline(ax: Axes, shape: CountryShape, colour: str, linewidth: float) -> None:
    from matplotlib.patches import PathPatch

    (path,) = _paths([shape])
    ax.add_patch(PathPatch(path, facecolor="none", edgecolor=colour, lw=linewidth, zorder=3))


def _draw_china(ax: Axes, china: CountryShape, colour: Any) -> Any:
    """Outline China; hatch it when it has no value. Returns its legend handle."""
    from matplotlib.patches import Patch, PathPatch

    (path,) = _paths([china])
    hatch = None if colour is not None else "////"
    ax.add_patch(
        PathPatch(
            path,
            facecolor=colour if colour is not None else style.NO_DATA_COLOR,
            edgecolor=style.OUTLINE_COLOR,
            hatch=hatch,
            lw=1.1,
            zorder=3,
        )
    )
    return Patch(
        facecolor=colour if colour is not None else style.NO_DATA_COLOR,
        edgecolor=style.OUTLINE_COLOR,
        hatch=hatch,
        label="China" if colour is not None else "China (no value)",
    )


def _map_note(
    ax: Axes, text: str, *, left: bool = False, fontsize: float = style.NOTE_SIZE
) -> None:
    """Small print in empty ocean: the south-east Pacific (left) or south of Australia."""
    import textwrap

    ax.text(
        0.01 if left else 0.99,
        0.15 if left else 0.01,
        textwrap.fill(text, 30 if left else 60),
        transform=ax.transAxes,
        ha="left" if left else "right",
        va="bottom",
        fontsize=fontsize,
        color=style.NOTE_COLOR,
    )
