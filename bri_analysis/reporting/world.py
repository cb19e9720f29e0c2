"""The world the maps draw: Natural Earth 1:110m countries in the Equal Earth projection.

Shapes are read with pyshp from ``data/external/naturalearth_110m/`` (provenance in its
SOURCE.yml); nothing is downloaded and no GDAL is needed. Countries too small to have a
polygon at 1:110m (Singapore, Maldives, most island states) get a label point derived from
Natural Earth 1:50m, so a map can draw them as dots. Data and geometry only: drawing is
``maps``. numpy is imported inside the functions, so importing this module stays cheap.
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

from bri_analysis.paths import EXTERNAL_DATA_DIR

if TYPE_CHECKING:  # pragma: no cover - for type checkers only
    import numpy as np

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
ISO3 = re.compile(r"^[A-Z]{3}$")


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
            if not ISO3.match(iso3):
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


MAP_EXTENT = (-2.75, 2.75, -1.02, 1.30)  # the whole map: about 58°S to the north of Greenland


def extent(iso3s: Iterable[str], margin: float = 0.06) -> tuple[float, float, float, float]:
    """The projected box (xmin, xmax, ymin, ymax) around the given countries, with a margin,
    never larger than the whole map. A region that wraps around the map (Oceania across the
    antimeridian) keeps the map's full width."""
    import numpy as np

    shapes = world_shapes()
    xs: list[float] = []
    ys: list[float] = []
    for code in set(iso3s):
        if code in shapes.countries:
            points = np.concatenate(shapes.countries[code].rings)
            xs += [float(points[:, 0].min()), float(points[:, 0].max())]
            ys += [float(points[:, 1].min()), float(points[:, 1].max())]
        elif code in shapes.label_points:
            x, y = shapes.label_points[code].xy
            xs += [x, x]
            ys += [y, y]
    x0, x1, y0, y1 = MAP_EXTENT
    if not xs:
        return MAP_EXTENT
    left, right = max(x0, min(xs) - margin), min(x1, max(xs) + margin)
    bottom, top = max(y0, min(ys) - margin), min(y1, max(ys) + margin)
    if right - left > 0.6 * (x1 - x0):
        left, right = x0, x1
    return left, right, bottom, top
