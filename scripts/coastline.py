"""Make hermit/resources/geo/land_nwpacific.json, the offline land outline the report
maps draw: Natural Earth land polygons (public domain) as Mike Bostock's world-atlas
npm package ships them (TopoJSON, ISC licence), decoded, clipped to the North-West
Pacific box and rounded. Regenerate with the package unpacked from npm:

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python scripts/coastline.py package/land-10m.json --out hermit/resources/geo/land_nwpacific.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

#: lon0, lat0, lon1, lat1: the Yellow Sea, the Sea of Japan, the Tatar Strait (Vanino)
#: and the approaches, with a margin.
BOX = (110.0, 24.0, 150.0, 55.0)
DECIMALS = 3  # about 100 m


def decode(topo: dict[str, Any], name: str) -> list[list[list[tuple[float, float]]]]:
    """The polygons (rings of lon/lat) of object ``name`` of a quantized TopoJSON."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            pts = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    polygons = []
    for geom in topo["objects"][name]["geometries"]:
        shapes = geom["arcs"] if geom["type"] == "MultiPolygon" else [geom["arcs"]]
        for shape in shapes:
            polygons.append([ring(r) for r in shape])
    return polygons


def clip(ring: list[tuple[float, float]], box: tuple[float, float, float, float]):
    """Sutherland-Hodgman: the ring cut to the box (edges along the box where it left)."""
    lon0, lat0, lon1, lat1 = box
    edges = (
        (lambda p: p[0] >= lon0, lambda a, b: _at_x(a, b, lon0)),
        (lambda p: p[0] <= lon1, lambda a, b: _at_x(a, b, lon1)),
        (lambda p: p[1] >= lat0, lambda a, b: _at_y(a, b, lat0)),
        (lambda p: p[1] <= lat1, lambda a, b: _at_y(a, b, lat1)),
    )
    out = ring
    for inside, cross in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
    return out


def _at_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def rounded(ring):
    out = []
    for lon, lat in ring:
        p = [round(lon, DECIMALS), round(lat, DECIMALS)]
        if not out or out[-1] != p:
            out.append(p)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("topojson", type=Path, help="world-atlas's land-10m.json")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    raw = args.topojson.read_bytes()
    topo = json.loads(raw)
    polygons = []
    for poly in decode(topo, "land"):
        rings = [rounded(clip(r, BOX)) for r in poly]
        rings = [r for r in rings if len(r) >= 4]
        if rings:
            polygons.append(rings)
    body = {
        "name": "natural-earth-land-10m-nwpacific@1",
        "source": "Natural Earth 1:10m land (public domain), from the npm package "
        f"world-atlas 2.0.2 ({args.topojson.name}, sha256 "
        f"{hashlib.sha256(raw).hexdigest()}), decoded, clipped to the box and rounded "
        f"to {DECIMALS} decimals by scripts/coastline.py",
        "box": list(BOX),
        "polygons": polygons,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(body, separators=(",", ":")) + "\n", encoding="utf-8")
    print(
        f"{args.out}: {len(polygons)} polygons, {sum(len(r) for p in polygons for r in p)} points"
    )


if __name__ == "__main__":
    main()
