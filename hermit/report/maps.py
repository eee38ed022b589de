"""Static maps as inline SVG, drawn from a map block of the report data: vessel tracks
as lines over longitude/latitude axes (equirectangular, the longitude scaled by the
cosine of the middle latitude), area outlines (the DPRK EEZ polygon given), and places
(ports, events) as labelled markers, with a legend. hermit vendors no basemap or
coastline: the map says so in its corner. Fixed decimals, so the same data gives the
same markup; every text escaped.

A map block: ``{"type": "map", "id", "title", "bbox": [lon0, lat0, lon1, lat1],
"tracks": [{"label", "points": [[lon, lat], ...]}], "outlines": [{"label", "points"}],
"places": [{"label", "lon", "lat", "kind"}], "cite": [...], "how": "..."}``.
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

from hermit.report.charts import COLOURS, DASHES

WIDTH, HEIGHT = 640.0, 440.0
LEFT, RIGHT, TOP, BOTTOM = 56.0, 180.0, 24.0, 40.0
PLACE_STYLE = {
    "kims_port": ("#000000", "square"),
    "dprk_port": ("#c0504d", "triangle"),
    "event": ("#e59c28", "circle"),
}


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
    for outline in block.get("outlines", []):
        pts = " ".join(f"{_f(px(a))},{_f(py(b))}" for a, b in outline["points"])
        out.append(
            f'<polygon points="{pts}" fill="#c0504d" fill-opacity="0.06" stroke="#c0504d" '
            'stroke-width="0.9" stroke-dasharray="5 3"/>'
        )
    for i, track in enumerate(block.get("tracks", [])):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        pts = " ".join(f"{_f(px(a))},{_f(py(b))}" for a, b in track["points"])
        extra = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.1"{extra}/>'
        )
    for place in block.get("places", []):
        colour, shape = PLACE_STYLE.get(place.get("kind", "event"), PLACE_STYLE["event"])
        x, y = px(float(place["lon"])), py(float(place["lat"]))
        if shape == "square":
            mark = (
                f'<rect x="{_f(x - 3.5)}" y="{_f(y - 3.5)}" width="7" height="7" fill="{colour}"/>'
            )
        elif shape == "triangle":
            mark = (
                f'<polygon points="{_f(x)},{_f(y - 4)} {_f(x - 4)},{_f(y + 3)} '
                f'{_f(x + 4)},{_f(y + 3)}" fill="{colour}"/>'
            )
        else:
            mark = f'<circle cx="{_f(x)}" cy="{_f(y)}" r="2.5" fill="{colour}"/>'
        out.append(
            mark + f'<text x="{_f(x + 6)}" y="{_f(y + 3)}" font-size="8.5">'
            f"{escape(place['label'])}</text>"
        )
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
    for kind, label in (("kims_port", "KIMS Act port"), ("dprk_port", "DPRK port")):
        if any(p.get("kind") == kind for p in block.get("places", [])):
            y += 12
            colour, _ = PLACE_STYLE[kind]
            out.append(
                f'<rect x="{_f(lx + 5)}" y="{_f(y - 7)}" width="7" height="7" fill="{colour}"/>'
                f'<text x="{_f(lx + 22)}" y="{_f(y)}" font-size="8.5">{label}</text>'
            )
    out.append(
        f'<text x="{_f(LEFT + 4)}" y="{_f(TOP + plot_h - 5)}" font-size="8" fill="#606060">'
        "No coastline or basemap: positions on longitude/latitude axes only</text>"
    )
    out.append("</svg>")
    return "".join(out)
