"""Offline world maps: Natural Earth 1:110m countries in the Equal Earth projection.

Shapes are read with pyshp from ``data/external/naturalearth_110m/`` (provenance in its
SOURCE.yml) and drawn with matplotlib; nothing is downloaded and no GDAL is needed.
Countries too small to have a polygon at 1:110m (Singapore, Maldives, most island states)
are drawn as dots at a label point derived from Natural Earth 1:50m, and every code that can
be placed nowhere is named in the figure. numpy, pandas and matplotlib are imported inside
the functions, so importing this module stays cheap.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from bri_analysis import style
from bri_analysis.paths import EXTERNAL_DATA_DIR

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import numpy as np
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

SHAPES_DIR = EXTERNAL_DATA_DIR / "naturalearth_110m"
SHAPEFILE = SHAPES_DIR / "naturalearth_lowres.shp"
SMALL_COUNTRIES_CSV = SHAPES_DIR / "small_countries.csv"

# The vendored file has iso_a3 = "-99" for these units; fixed by their Natural Earth name.
# ISO 3166 has no code for Northern Cyprus or Somaliland: like the UN, the map counts them
# as parts of Cyprus and Somalia. Kosovo gets XKX, the code country_converter gives it.
ISO3_FIXES: Mapping[str, str] = MappingProxyType(
    {
        "Norway": "NOR",
        "France": "FRA",
        "Kosovo": "XKX",
        "N. Cyprus": "CYP",
        "Somaliland": "SOM",
    }
)
NOT_DRAWN = frozenset({"ATA"})  # Antarctica: no BRI data, and it would take a fifth of the map
CHINA = "CHN"
FIGSIZE = (10.0, 5.5)  # report size; a locator map has no colour bar, so it is shorter
LOCATOR_FIGSIZE = (10.0, 5.0)
# Below this size (square root of projected area; the map is ~5.4 units wide) a country is
# hard to see at report size, so a locator map rings it.
SMALL_SIZE = 0.06

_ISO3 = re.compile(r"^[A-Z]{3}$")


@dataclass(frozen=True)
class CountryShape:
    """One country at 1:110m: projected rings (exteriors and holes) and a label point."""

    iso3: str
    name: str
    rings: tuple[np.ndarray, ...]
    label_xy: tuple[float, float]
    size: float  # square root of the projected area of the exterior rings


@dataclass(frozen=True)
class LabelPoint:
    """Where to put a dot for a country that has no polygon at 1:110m."""

    iso3: str
    name: str
    lon: float
    lat: float
    xy: tuple[float, float]


@dataclass(frozen=True)
class WorldShapes:
    """Countries with a polygon (by ISO3) and label points for the ones without."""

    countries: Mapping[str, CountryShape]
    label_points: Mapping[str, LabelPoint]

    def __contains__(self, iso3: object) -> bool:
        return iso3 in self.countries

    def __len__(self) -> int:
        return len(self.countries)


def equal_earth(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Project degrees to Equal Earth coordinates on the unit sphere (Šavrič et al. 2018).

    x spans about ±2.707 at the equator, y about ±1.317 at the poles.
    """
    import numpy as np

    a1, a2, a3, a4 = 1.340264, -0.081106, 0.000893, 0.003796
    lam = np.radians(np.asarray(lon, dtype=float))
    theta = np.arcsin(np.sqrt(3) / 2 * np.sin(np.radians(np.asarray(lat, dtype=float))))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    slope = 9 * a4 * t6 * t2 + 7 * a3 * t6 + 3 * a2 * t2 + a1
    x = 2 * np.sqrt(3) * lam * np.cos(theta) / (3 * slope)
    y = theta * (a4 * t6 * t2 + a3 * t6 + a2 * t2 + a1)
    return x, y


@functools.lru_cache(maxsize=1)
def world_shapes() -> WorldShapes:
    """Read the vendored shapefile and small-country points once, projected to Equal Earth."""
    import numpy as np
    import shapefile

    rings_by_iso3: dict[str, list[np.ndarray]] = {}
    names: dict[str, str] = {}
    with shapefile.Reader(str(SHAPEFILE), encoding="iso-8859-1") as reader:
        for item in reader.iterShapeRecords():
            name = item.record["name"]
            iso3 = ISO3_FIXES.get(name, item.record["iso_a3"])
            if not _ISO3.match(iso3):
                raise ValueError(f"{SHAPEFILE.name}: no ISO3 code for {name!r} ({iso3!r})")
            names.setdefault(iso3, name)  # first record names a merged country (Cyprus)
            points = np.asarray(item.shape.points, dtype=float)
            bounds = [*item.shape.parts, len(points)]
            for start, stop in itertools.pairwise(bounds):
                x, y = equal_earth(points[start:stop, 0], points[start:stop, 1])
                ring = np.column_stack([x, y])
                ring.flags.writeable = False
                rings_by_iso3.setdefault(iso3, []).append(ring)
    countries = {
        iso3: _country_shape(iso3, names[iso3], rings) for iso3, rings in rings_by_iso3.items()
    }
    return WorldShapes(
        countries=MappingProxyType(countries),
        label_points=MappingProxyType(_read_label_points(exclude=countries.keys())),
    )


def not_on_map(iso3s: Iterable[str]) -> list[str]:
    """The codes (in input order, once each) that have no polygon at 1:110m.

    These are small states and territories (Singapore, Maldives, Bahrain, ...) and codes the
    map does not know; reports list them so that no participant silently disappears.
    """
    if isinstance(iso3s, str):
        raise TypeError(f"not_on_map expects a collection of ISO3 codes, got the string {iso3s!r}")
    shapes = world_shapes()
    return list(dict.fromkeys(code for code in iso3s if code not in shapes.countries))


def choropleth(
    values: pd.Series,
    *,
    title: str,
    source_note: str,
    label: str,
    cmap: str = style.SEQUENTIAL_CMAP,
    categorical: bool = False,
    ax: Axes | None = None,
) -> Figure:
    """A world map coloured by ``values`` (indexed by ISO3): a colour bar or a category legend.

    Countries without a value (or with NaN) are light grey; China is outlined, and hatched
    when it has no value. Countries with a value but no polygon at 1:110m are drawn as dots;
    codes that cannot be placed at all are named in a note on the map (see ``not_on_map``).
    """
    import matplotlib as mpl
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    _require_text(title=title, source_note=source_note, label=label)
    values = _checked_values(values, categorical)
    shapes = world_shapes()
    fig, ax = _map_axes(ax)

    present = values.dropna()
    handles: list[Any] = []
    if categorical:
        categories = _categories(present)
        if len(categories) > len(style.PALETTE):
            raise ValueError(
                f"{len(categories)} categories but the house palette has {len(style.PALETTE)} "
                f"colours; group them first: {categories}"
            )
        colour_of = dict(zip(categories, style.PALETTE, strict=False))
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
    handles.append(Patch(facecolor=style.NO_DATA_COLOR, edgecolor="white", label="No value"))
    if CHINA in shapes.countries:
        handles.append(_draw_china(ax, shapes.countries[CHINA], colours.get(CHINA)))

    dots = [iso3 for iso3 in present.index if iso3 in shapes.label_points]
    if dots:
        xy = [shapes.label_points[iso3].xy for iso3 in dots]
        ax.scatter(
            *zip(*xy, strict=True),
            s=22,
            c=[colours[iso3] for iso3 in dots],
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
                label="Too small to draw (dot)",
            )
        )
    unplaced = [c for c in not_on_map(present.index) if c not in shapes.label_points]
    if unplaced:
        _map_note(ax, "Not on this map: " + ", ".join(unplaced))

    ax.legend(
        handles=handles,
        title=label if categorical else None,
        loc="lower left",
        frameon=False,
        fontsize=style.TICK_SIZE,
        title_fontsize=style.LABEL_SIZE,
    )
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
    _finish(fig, ax, title, source_note)
    return fig


def locator_map(iso3: str, *, title: str, source_note: str) -> Figure:
    """A world map with one country highlighted, for country profiles.

    A country too small to see is ringed at its label point; one the map cannot place at
    all gets a note in the figure instead.
    """
    _require_text(title=title, source_note=source_note)
    if not isinstance(iso3, str) or not _ISO3.match(iso3):
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
    _finish(fig, ax, title, source_note)
    return fig


def _country_shape(iso3: str, name: str, rings: list[np.ndarray]) -> CountryShape:
    """Label point = centroid of the largest exterior ring; holes have positive signed area."""
    areas = [_signed_area(ring) for ring in rings]
    exterior = [(-area, ring) for area, ring in zip(areas, rings, strict=True) if area < 0]
    area, largest = max(exterior, key=lambda item: item[0])
    x, y = largest[:-1, 0], largest[:-1, 1]
    cross = x * _roll(y) - _roll(x) * y
    cx = float(((x + _roll(x)) * cross).sum() / (6 * -area))
    cy = float(((y + _roll(y)) * cross).sum() / (6 * -area))
    size = sum(a for a, _ in exterior) ** 0.5
    return CountryShape(iso3=iso3, name=name, rings=tuple(rings), label_xy=(cx, cy), size=size)


def _signed_area(ring: np.ndarray) -> float:
    """Shoelace area; negative for clockwise rings, which shapefiles use for exteriors."""
    x, y = ring[:-1, 0], ring[:-1, 1]
    return float((x * _roll(y) - _roll(x) * y).sum() / 2)


def _roll(a: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.roll(a, -1)


def _read_label_points(exclude: Iterable[str]) -> dict[str, LabelPoint]:
    skip = set(exclude)
    points: dict[str, LabelPoint] = {}
    with SMALL_COUNTRIES_CSV.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["iso3"] in skip:
                continue
            lon, lat = float(row["lon"]), float(row["lat"])
            x, y = equal_earth(lon, lat)
            points[row["iso3"]] = LabelPoint(
                row["iso3"], row["name_50m"], lon, lat, (float(x), float(y))
            )
    return points


def _require_text(**texts: str) -> None:
    for name, text in texts.items():
        if not isinstance(text, str) or not text.strip():
            raise ValueError(f"a map needs a non-empty {name}, got {text!r}")


def _checked_values(values: pd.Series, categorical: bool) -> pd.Series:
    """The series, after checking its index is unique ISO3 codes and its dtype fits."""
    import pandas as pd

    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series indexed by ISO3, got {type(values)}")
    bad = [code for code in values.index if not (isinstance(code, str) and _ISO3.match(code))]
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


def _map_axes(ax: Axes | None, figsize: tuple[float, float] = FIGSIZE) -> tuple[Figure, Axes]:
    import matplotlib.pyplot as plt

    if ax is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        fig, ax = plt.subplots(figsize=figsize, layout="constrained")
        plt.close(fig)  # the caller displays the returned figure; pyplot must not show it again
        FigureCanvasAgg(fig)  # closing detached the canvas; keep one that can render
    else:
        fig = ax.figure
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
    ax.set_xlim(-2.75, 2.75)
    ax.set_ylim(-1.02, 1.30)  # about 58°S (Cape Horn) to the north of Greenland


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


def _finish(fig: Figure, ax: Axes, title: str, source_note: str) -> None:
    ax.set_title(title, loc="left", fontsize=style.TITLE_SIZE, fontweight="bold")
    style.add_source_note(fig, source_note)
