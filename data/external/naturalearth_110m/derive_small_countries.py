"""Re-derive small_countries.csv: label points for countries with no polygon at 1:110m.

Provenance script, not part of the package. It reads Natural Earth 1:50m admin-0 countries
as redistributed by the npm package world-atlas 2.0.2 (countries-50m.json, TopoJSON), and
for every country whose ISO3 code has no polygon in world_shapes()
(bri_analysis.reporting.world) writes the planar (lon/lat) centroid of its largest polygon.
ISO numeric ids become ISO3 through country_converter's own table. See SOURCE.yml for the
exact inputs.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python derive_small_countries.py package/countries-50m.json > new.csv
    mv new.csv small_countries.csv  # world_shapes() reads the old file while this runs
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import country_converter

from bri_analysis.reporting.world import world_shapes

Point = tuple[float, float]


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute lon/lat points of every arc of a quantized, delta-encoded TopoJSON topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list[list[Point]]) -> list[Point]:
    """A ring's points from its arc indices (a negative index ~i means arc i reversed)."""
    points: list[Point] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def area_and_centroid(points: list[Point]) -> tuple[float, float, float]:
    """Planar area and centroid of a ring; a degenerate ring gives its mean point."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-12:
        n = len(points)
        return 0.0, sum(p[0] for p in points) / n, sum(p[1] for p in points) / n
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def iso3_by_numeric() -> dict[int, str]:
    table = Path(country_converter.__file__).with_name("country_data.tsv")
    with table.open(encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter="\t")
        return {int(r["ISOnumeric"]): r["ISO3"] for r in rows if r["ISOnumeric"].isdigit()}


def main(topojson_path: str) -> None:
    topology = json.loads(Path(topojson_path).read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    to_iso3 = iso3_by_numeric()
    on_map = world_shapes().countries
    rows = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        iso3 = to_iso3.get(int(geometry["id"])) if geometry.get("id", "").isdigit() else None
        if iso3 is None or iso3 in on_map:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        _, lon, lat = max(
            (area_and_centroid(ring_points(polygon[0], arcs)) for polygon in polygons),
            key=lambda t: t[0],
        )
        rows.append((iso3, geometry["properties"]["name"], f"{lon:.3f}", f"{lat:.3f}"))
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["iso3", "name_50m", "lon", "lat"])
    writer.writerows(sorted(rows))


if __name__ == "__main__":
    main(sys.argv[1])
