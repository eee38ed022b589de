"""Static maps as inline SVG, drawn from a map block of the report data: vessel tracks
as lines over longitude/latitude axes (equirectangular, the longitude scaled by the
cosine of the middle latitude), area outlines (the DPRK EEZ polygon given), and places
(ports, events) as labelled markers, with a legend and a scale bar in nautical miles
and kilometres. Land is drawn from hermit's offline outline (``basemap``: the version of
resources/geo/land_nwpacific.json, Natural Earth 1:10m, see its README) where the map
lies within its box; no tile server, nothing fetched. Fixed decimals, so the same data
gives the same markup; every text escaped.

A map block: ``{"type": "map", "id", "title", "bbox": [lon0, lat0, lon1, lat1],
"basemap": "natural-earth-land-10m-nwpacific@1" (optional), "tracks": [{"label",
"points": [[lon, lat], ...], "breaks" (optional): [index of the point that begins a
piece after a gap, ...]}], "outlines": [{"label", "points"}], "places": [{"label",
"lon", "lat", "kind"}], "cite": [...], "how": "..."}``.
"""

from __future__ import annotations

import itertools
import json
import math
from functools import cache
from html import escape
from importlib import resources
from typing import Any

from hermit.report.charts import COLOURS, DASHES

WIDTH, HEIGHT = 640.0, 440.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 180.0, 24.0, 40.0
PLACE_STYLE = {
    "kims_port": ("#000000", "square"),
    "dprk_port": ("#c0504d", "triangle"),
    "port": ("#1f3b73", "square"),
    "event": ("#e59c28", "circle"),
}
PLACE_LEGEND = (
    ("kims_port", "KIMS Act port"),
    ("dprk_port", "DPRK port"),
    ("port", "Port call"),
    ("event", "Event (encounter, gap …)"),
)
LAND_FILL, LAND_EDGE, SEA_FILL = "#e9e4d4", "#8a8a7a", "#f4f7fb"
#: Land points closer than this (px) to the last one drawn are left out.
MIN_STEP_PX = 0.7
NM_M, KM_M = 1852.0, 1000.0
EARTH_M_PER_DEG = 111_320.0


@cache
def land() -> dict[str, Any]:
    """The offline land outline (resources/geo/land_nwpacific.json)."""
    path = resources.files("hermit") / "resources" / "geo" / "land_nwpacific.json"
    body: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return body


def basemap() -> str:
    """The versioned name of the land outline a map block names as its ``basemap``."""
    return str(land()["name"])


def add_map(sec: Any, map_id: str, title: str, bbox: list[float], **fields: Any) -> None:
    """A map block in section ``sec`` over hermit's land outline: ``bbox`` rounded to
    4 decimals; ``fields`` the block's tracks, outlines, places, cite and how."""
    sec.block(
        "map",
        id=map_id,
        title=title,
        bbox=[round(v, 4) for v in bbox],
        basemap=basemap(),
        **fields,
    )


def _f(x: float) -> str:
    return f"{x:.1f}"


def _step(span: float) -> float:
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1.0
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _fit(bbox: list[float]) -> tuple[float, float, float, float, float]:
    """The bbox widened to the plot's aspect: lon0, lat0, lon1, lat1, px per degree."""
    lon0, lat0, lon1, lat1 = bbox
    lon1, lat1 = max(lon1, lon0 + 0.05), max(lat1, lat0 + 0.05)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    scale = min(plot_w / ((lon1 - lon0) * k), plot_h / (lat1 - lat0))
    cx, cy = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    half_lon, half_lat = plot_w / scale / k / 2, plot_h / scale / 2
    return cx - half_lon, cy - half_lat, cx + half_lon, cy + half_lat, scale


def _short(label: str, most: int = 30) -> str:
    """A legend label that fits beside the map: a long name cut in its middle, the MMSI
    (in parentheses at the end) kept."""
    if len(label) <= most:
        return label
    head, sep, tail = label.rpartition(" (")
    if not sep:
        return label[: most - 1] + "…"
    keep = most - len(tail) - 3
    return head[: max(keep, 4)] + "… (" + tail


def svg(block: dict[str, Any]) -> str:
    lon0, lat0, lon1, lat1, _ = _fit([float(v) for v in block["bbox"]])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def px(lon: float) -> float:
        return LEFT + plot_w * (lon - lon0) / (lon1 - lon0)

    def py(lat: float) -> float:
        return TOP + plot_h * (1 - (lat - lat0) / (lat1 - lat0))

    title = escape(block["title"])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {WIDTH:.0f} '
        f'{HEIGHT:.0f}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
        f'<defs><clipPath id="clip-{escape(block["id"])}"><rect x="{_f(LEFT)}" y="{_f(TOP)}" '
        f'width="{_f(plot_w)}" height="{_f(plot_h)}"/></clipPath></defs>',
        f'<rect x="{_f(LEFT)}" y="{_f(TOP)}" width="{_f(plot_w)}" height="{_f(plot_h)}" '
        'fill="#f4f7fb" stroke="#404040" stroke-width="0.8"/>',
    ]
    step = _step(max(lon1 - lon0, lat1 - lat0))
    decimals = 0 if step >= 1 else (1 if step >= 0.1 else 2)
    v = math.ceil(lon0 / step) * step
    while v <= lon1:
        x = px(v)
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(TOP)}" x2="{_f(x)}" y2="{_f(TOP + plot_h)}" '
            'stroke="#d0d0d0" stroke-width="0.5"/>'
            f'<text x="{_f(x)}" y="{_f(TOP + plot_h + 14)}" font-size="9" '
            f'text-anchor="middle">{v:.{decimals}f}°E</text>'
        )
        v += step
    v = math.ceil(lat0 / step) * step
    while v <= lat1:
        y = py(v)
        out.append(
            f'<line x1="{_f(LEFT)}" y1="{_f(y)}" x2="{_f(LEFT + plot_w)}" y2="{_f(y)}" '
            'stroke="#d0d0d0" stroke-width="0.5"/>'
            f'<text x="{_f(LEFT - 4)}" y="{_f(y + 3)}" font-size="9" '
            f'text-anchor="end">{v:.{decimals}f}°N</text>'
        )
        v += step
    out.append(f'<g clip-path="url(#clip-{escape(block["id"])})">')
    drawn_land = False
    if block.get("basemap") is not None:
        drawn_land = _land(out, block["basemap"], (lon0, lat0, lon1, lat1), px, py)
    for outline in block.get("outlines", []):
        pts = " ".join(f"{_f(px(a))},{_f(py(b))}" for a, b in outline["points"])
        out.append(
            f'<polygon points="{pts}" fill="#c0504d" fill-opacity="0.06" stroke="#c0504d" '
            'stroke-width="0.9" stroke-dasharray="5 3"/>'
        )
    for i, track in enumerate(block.get("tracks", [])):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        cuts = [0, *track.get("breaks", []), len(track["points"])]
        for a0, a1 in itertools.pairwise(cuts):
            pts = " ".join(f"{_f(px(a))},{_f(py(b))}" for a, b in track["points"][a0:a1])
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{colour}" '
                f'stroke-width="1.1"{extra}/>'
            )
    for place in block.get("places", []):
        colour, shape = PLACE_STYLE.get(place.get("kind", "event"), PLACE_STYLE["event"])
        x, y = px(float(place["lon"])), py(float(place["lat"]))
        out.append(_mark(shape, colour, x, y) + _text(x + 6, y + 3, place["label"]))
    out.append("</g>")
    lx, ly = WIDTH - RIGHT + 10, TOP + 6
    out.append(f'<text x="{_f(lx)}" y="{_f(ly)}" font-size="9" font-weight="bold">Tracks</text>')
    for i, track in enumerate(block.get("tracks", [])[:24]):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        y = ly + 12 * (i + 1)
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<line x1="{_f(lx)}" y1="{_f(y - 3)}" x2="{_f(lx + 18)}" y2="{_f(y - 3)}" '
            f'stroke="{colour}" stroke-width="1.6"{extra}/>'
            f'<text x="{_f(lx + 22)}" y="{_f(y)}" font-size="8.5">'
            f"{escape(_short(track['label']))}</text>"
        )
    hidden = len(block.get("tracks", [])) - 24
    y = ly + 12 * (min(len(block.get("tracks", [])), 24) + 1)
    if hidden > 0:
        out.append(f'<text x="{_f(lx)}" y="{_f(y)}" font-size="8.5">and {hidden} more</text>')
        y += 12
    for outline in block.get("outlines", []):
        y += 12
        out.append(
            f'<rect x="{_f(lx)}" y="{_f(y - 8)}" width="18" height="8" fill="#c0504d" '
            'fill-opacity="0.1" stroke="#c0504d" stroke-dasharray="5 3"/>'
            f'<text x="{_f(lx + 22)}" y="{_f(y)}" font-size="8.5">'
            f"{escape(outline['label'])}</text>"
        )
    for kind, label in PLACE_LEGEND:
        if any(p.get("kind", "event") == kind for p in block.get("places", [])):
            y += 12
            colour, shape = PLACE_STYLE[kind]
            out.append(_mark(shape, colour, lx + 8.5, y - 3.5) + _text(lx + 22, y, label))
    if drawn_land:
        y += 12
        out.append(
            f'<rect x="{_f(lx)}" y="{_f(y - 8)}" width="18" height="8" fill="{LAND_FILL}" '
            f'stroke="{LAND_EDGE}" stroke-width="0.5"/>' + _text(lx + 22, y, "Land (Natural Earth)")
        )
    _scale_bar(out, (lon0, lat0, lon1, lat1), lx, HEIGHT - BOTTOM - 4)
    if block.get("basemap") is None or not drawn_land:
        why = (
            "No coastline: positions on longitude/latitude axes only"
            if block.get("basemap") is None
            else "No coastline here: the land outline covers " + _box_text(land()["box"]) + " only"
        )
        out.append(
            f'<text x="{_f(LEFT + 4)}" y="{_f(TOP + plot_h - 5)}" font-size="8" fill="#606060">'
            f"{escape(why)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def _text(x: float, y: float, label: str) -> str:
    return f'<text x="{_f(x)}" y="{_f(y)}" font-size="8.5">{escape(label)}</text>'


def _mark(shape: str, colour: str, x: float, y: float) -> str:
    if shape == "square":
        return f'<rect x="{_f(x - 3.5)}" y="{_f(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return (
            f'<polygon points="{_f(x)},{_f(y - 4)} {_f(x - 4)},{_f(y + 3)} '
            f'{_f(x + 4)},{_f(y + 3)}" fill="{colour}"/>'
        )
    return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="2.5" fill="{colour}"/>'


def _box_text(box: list[float]) -> str:
    lon0, lat0, lon1, lat1 = box
    return f"{lon0:.0f}-{lon1:.0f}°E, {lat0:.0f}-{lat1:.0f}°N"


def _land(
    out: list[str], name: str, view: tuple[float, float, float, float], px: Any, py: Any
) -> bool:
    """The land polygons meeting ``view`` as one path (False: none, or the map lies
    outside the outline's box). A block naming another version than hermit's is an
    error: the map would not be the one its data describes."""
    from hermit.report.document import ReportError

    body = land()
    if name != body["name"]:
        raise ReportError(f"map basemap {name!r}: hermit has {body['name']!r}")
    lon0, lat0, lon1, lat1 = view
    b0, b1, b2, b3 = body["box"]
    if lon1 < b0 or lon0 > b2 or lat1 < b1 or lat0 > b3:
        return False
    parts = []
    for polygon in body["polygons"]:
        outer = polygon[0]
        xs = [p[0] for p in outer]
        ys = [p[1] for p in outer]
        if max(xs) < lon0 or min(xs) > lon1 or max(ys) < lat0 or min(ys) > lat1:
            continue
        for ring in polygon:
            pts: list[tuple[float, float]] = []
            for lon, lat in ring:
                x, y = px(lon), py(lat)
                if pts and abs(x - pts[-1][0]) + abs(y - pts[-1][1]) < MIN_STEP_PX:
                    continue
                pts.append((x, y))
            if len(pts) >= 3:
                parts.append("M" + " L".join(f"{_f(x)} {_f(y)}" for x, y in pts) + " Z")
    if not parts:
        return False
    out.append(
        f'<path d="{" ".join(parts)}" fill="{LAND_FILL}" stroke="{LAND_EDGE}" '
        'stroke-width="0.5" fill-rule="evenodd"/>'
    )
    return True


def _scale_bar(out: list[str], view: tuple[float, float, float, float], x: float, y: float) -> None:
    """A bar of a round number of nautical miles (with its kilometres) at the map's
    middle latitude, under the legend."""
    lon0, lat0, lon1, lat1 = view
    plot_w = WIDTH - LEFT - RIGHT
    k = math.cos(math.radians((lat0 + lat1) / 2))
    m_per_px = (lon1 - lon0) * k * EARTH_M_PER_DEG / plot_w
    most_nm = 140 * m_per_px / NM_M  # the bar fits in 140 px
    nm = next(
        (v for v in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1, 0.5, 0.2, 0.1) if v <= most_nm),
        0.1,
    )
    width = nm * NM_M / m_per_px
    out.append(
        f'<line x1="{_f(x)}" y1="{_f(y)}" x2="{_f(x + width)}" y2="{_f(y)}" stroke="#000" '
        'stroke-width="2"/>'
        f'<line x1="{_f(x)}" y1="{_f(y - 4)}" x2="{_f(x)}" y2="{_f(y + 1)}" stroke="#000"/>'
        f'<line x1="{_f(x + width)}" y1="{_f(y - 4)}" x2="{_f(x + width)}" y2="{_f(y + 1)}" '
        'stroke="#000"/>'
        + _text(x, y - 6, f"{nm:g} nm ({nm * NM_M / KM_M:,.0f} km) at {((lat0 + lat1) / 2):.0f}°N")
    )
