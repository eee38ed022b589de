"""Distances for the SQL of the AIS checks and events (DuckDB macros), and areas:
a polygon read once from GeoJSON and a point-in-polygon test (ray casting, even-odd
rule) that tests each point only against the edges that span its latitude."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from hermit.errors import SourceError

if TYPE_CHECKING:
    import duckdb
    from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_NM = 1.852
MACROS = f"""
CREATE OR REPLACE TEMP MACRO hav_km(lat1, lon1, lat2, lon2) AS
  2 * {EARTH_RADIUS_KM} * asin(sqrt(
    pow(sin(radians(lat2 - lat1) / 2), 2)
    + cos(radians(lat1)) * cos(radians(lat2)) * pow(sin(radians(lon2 - lon1) / 2), 2)));
"""


def hav_km_np(
    lat1: NDArray[Any], lon1: NDArray[Any], lat2: NDArray[Any], lon2: NDArray[Any]
) -> NDArray[Any]:
    """``hav_km`` of MACROS on arrays, the same operations in the same order."""
    import numpy as np

    rad = np.pi / 180.0
    a = (
        np.sin((lat2 - lat1) * rad / 2) ** 2
        + np.cos(lat1 * rad) * np.cos(lat2 * rad) * np.sin((lon2 - lon1) * rad / 2) ** 2
    )
    out: NDArray[Any] = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))
    return out


def add_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS)


Ring = tuple[tuple[float, float], ...]  # (lon, lat) vertices, closed implicitly


@dataclass(frozen=True)
class Area:
    """A (multi)polygon of lon/lat rings; holes count by the even-odd rule (a point in
    a hole crosses the outer ring and the hole). ``bands`` holds, for each latitude band
    between consecutive vertex latitudes, the edges that span it, so a point is tested
    against a handful of edges, not thousands."""

    name: str
    source: str
    rings: tuple[Ring, ...]
    bbox: tuple[float, float, float, float]  # lon0, lat0, lon1, lat1
    cuts: tuple[float, ...]  # sorted distinct vertex latitudes
    bands: tuple[tuple[tuple[float, float, float, float], ...], ...]

    @classmethod
    def of(cls, name: str, source: str, rings: list[Ring]) -> Area:
        edges = []
        for ring in rings:
            for i, (x1, y1) in enumerate(ring):
                x2, y2 = ring[(i + 1) % len(ring)]
                if y1 != y2:  # horizontal edges never cross a horizontal ray
                    edges.append((x1, y1, x2, y2))
        cuts = sorted({y for ring in rings for _, y in ring})
        bands: list[list[tuple[float, float, float, float]]] = [[] for _ in cuts]
        for e in edges:
            lo, hi = sorted((e[1], e[3]))
            for k in range(bisect.bisect_left(cuts, lo), bisect.bisect_left(cuts, hi)):
                bands[k].append(e)
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        return cls(
            name,
            source,
            tuple(rings),
            (min(xs), min(ys), max(xs), max(ys)),
            tuple(cuts),
            tuple(tuple(b) for b in bands),
        )

    def contains(self, lon: float, lat: float) -> bool:
        """Inside (even-odd rule). A point exactly on an edge may fall either side."""
        x0, y0, x1, y1 = self.bbox
        if not (x0 <= lon <= x1 and y0 <= lat <= y1):
            return False
        k = bisect.bisect_right(self.cuts, lat) - 1
        if k < 0 or k >= len(self.bands):
            return False
        inside = False
        for ax, ay, bx, by in self.bands[k]:
            if (ay > lat) != (by > lat) and lon < ax + (lat - ay) * (bx - ax) / (by - ay):
                inside = not inside
        return inside


def _rings(geometry: dict[str, Any], where: str) -> list[Ring]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        polygons = [coords]
    elif kind == "MultiPolygon":
        polygons = coords
    else:
        raise SourceError(where, f"geometry type {kind!r}: only Polygon and MultiPolygon")
    out = []
    for polygon in polygons:
        for ring in polygon:
            points = tuple((float(p[0]), float(p[1])) for p in ring)
            if points and points[0] == points[-1]:
                points = points[:-1]
            if len(points) < 3:
                raise SourceError(where, f"a ring of {len(points)} points")
            out.append(points)
    return out


@cache
def read_area(path: Path, name: str) -> Area:
    """The polygons of a GeoJSON file (FeatureCollection, Feature or geometry), read
    once per process. An unclosed ring is closed (GFW's DPRK EEZ file ends one vertex
    short of its first)."""
    where = str(path)
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise SourceError(where, f"cannot read GeoJSON: {exc}") from None
    if not isinstance(data, dict):
        raise SourceError(where, "not a GeoJSON object")
    if data.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") or {} for f in data.get("features") or []]
    elif data.get("type") == "Feature":
        geometries = [data.get("geometry") or {}]
    else:
        geometries = [data]
    rings = [r for g in geometries for r in _rings(g, where)]
    if not rings:
        raise SourceError(where, "no polygon")
    return Area.of(name, where, rings)
