"""Charts as inline SVG, drawn from a chart block of the report data: bars (grouped by
series) or lines over categorical x values, with axes, ticks, a legend, the units in
the axis titles, vertical markers and horizontal reference lines. No script, no fonts
of its own (the page's fonts draw the text), fixed decimals so the same data gives the
same markup."""

from __future__ import annotations

import math
from html import escape
from typing import Any

WIDTH, HEIGHT = 640.0, 300.0
LEFT, RIGHT, TOP, BOTTOM = 64.0, 16.0, 28.0, 64.0
#: Series colours, distinguishable in greyscale print too (dark to light).
COLOURS = ("#1f3b73", "#c0504d", "#6a9a3a", "#e59c28", "#7f5f9e", "#3c9bb0", "#8c8c8c")
DASHES = ("", "6 3", "2 2", "8 3 2 3", "", "6 3", "2 2")


def _f(x: float) -> str:
    return f"{x:.1f}"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``top``."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    n = math.ceil(top / step - 1e-9)
    return [i * step for i in range(n + 1)]


def _number(v: float) -> str:
    if abs(v) >= 1_000_000 and v % 100_000 == 0:
        return f"{v / 1_000_000:g}M"
    if abs(v) >= 10_000 and v % 1000 == 0:
        return f"{v / 1000:g}k"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}"


def _axis_title(axis: dict[str, Any]) -> str:
    unit = axis.get("unit")
    return str(axis["label"]) + (f" ({unit})" if unit else "")


def svg(block: dict[str, Any]) -> str:
    """The SVG markup of a chart block."""
    series = block["series"]
    xs: list[str] = []
    for s in series:
        for x, _ in s["points"]:
            if x not in xs:
                xs.append(x)
    values = [float(y) for s in series for _, y in s["points"]]
    values += [float(line["y"]) for line in block.get("lines", [])]
    ticks = nice_ticks(max(values, default=0.0))
    top = ticks[-1] or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    n = max(len(xs), 1)
    slot = plot_w / n

    def px(i: int) -> float:
        return LEFT + slot * (i + 0.5)

    def py(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH:.0f} '
        f'{HEIGHT:.0f}" role="img" aria-label="{escape(block["title"])}">',
        f"<title>{escape(block['title'])}</title>",
    ]
    for t in ticks:
        y = py(t)
        out.append(
            f'<line x1="{_f(LEFT)}" y1="{_f(y)}" x2="{_f(WIDTH - RIGHT)}" y2="{_f(y)}" '
            'class="grid" stroke="#d0d0d0" stroke-width="0.5"/>'
        )
        out.append(
            f'<text x="{_f(LEFT - 6)}" y="{_f(y + 3.5)}" text-anchor="end" font-size="10">'
            f"{_number(t)}</text>"
        )
    out.append(
        f'<line x1="{_f(LEFT)}" y1="{_f(TOP)}" x2="{_f(LEFT)}" y2="{_f(TOP + plot_h)}" '
        'stroke="#000" stroke-width="1"/>'
    )
    out.append(
        f'<line x1="{_f(LEFT)}" y1="{_f(TOP + plot_h)}" x2="{_f(WIDTH - RIGHT)}" '
        f'y2="{_f(TOP + plot_h)}" stroke="#000" stroke-width="1"/>'
    )
    every = max(1, math.ceil(len(xs) / 16))
    rotate = len(xs) > 8 or max((len(x) for x in xs), default=0) > 8
    for i, x in enumerate(xs):
        if i % every:
            continue
        cx, cy = px(i), TOP + plot_h + 12
        if rotate:
            out.append(
                f'<text x="{_f(cx)}" y="{_f(cy)}" font-size="9" text-anchor="end" '
                f'transform="rotate(-45 {_f(cx)} {_f(cy)})">{escape(x)}</text>'
            )
        else:
            out.append(
                f'<text x="{_f(cx)}" y="{_f(cy + 2)}" font-size="10" text-anchor="middle">'
                f"{escape(x)}</text>"
            )
    index = {x: i for i, x in enumerate(xs)}
    if block["kind"] == "bar":
        width = slot * 0.8 / max(len(series), 1)
        for k, s in enumerate(series):
            colour = COLOURS[k % len(COLOURS)]
            for x, y in s["points"]:
                left = LEFT + slot * index[x] + slot * 0.1 + width * k
                out.append(
                    f'<rect x="{_f(left)}" y="{_f(py(float(y)))}" width="{_f(width)}" '
                    f'height="{_f(plot_h * float(y) / top)}" fill="{colour}"/>'
                )
    else:
        for k, s in enumerate(series):
            colour, dash = COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]
            points = " ".join(f"{_f(px(index[x]))},{_f(py(float(y)))}" for x, y in s["points"])
            extra = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{points}" fill="none" stroke="{colour}" '
                f'stroke-width="1.6"{extra}/>'
            )
    for line in block.get("lines", []):
        y = py(float(line["y"]))
        out.append(
            f'<line x1="{_f(LEFT)}" y1="{_f(y)}" x2="{_f(WIDTH - RIGHT)}" y2="{_f(y)}" '
            'stroke="#000" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{_f(WIDTH - RIGHT - 2)}" y="{_f(y - 3)}" font-size="9" '
            f'text-anchor="end">{escape(line["label"])}</text>'
        )
    for k, m in enumerate(block.get("markers", [])):
        if m["x"] not in index:
            continue
        x = px(index[m["x"]])
        label_y = TOP + 8 + 9 * (k % 3)  # staggered: neighbouring marks do not overlap
        out.append(
            f'<line x1="{_f(x)}" y1="{_f(TOP)}" x2="{_f(x)}" y2="{_f(TOP + plot_h)}" '
            'stroke="#555" stroke-width="0.8" stroke-dasharray="2 2"/>'
        )
        out.append(
            f'<text x="{_f(x + 2)}" y="{_f(label_y)}" font-size="8">{escape(m["label"])}</text>'
        )
    out.append(
        f'<text x="12" y="{_f(TOP + plot_h / 2)}" font-size="10" text-anchor="middle" '
        f'transform="rotate(-90 12 {_f(TOP + plot_h / 2)})">{escape(_axis_title(block["y"]))}'
        "</text>"
    )
    out.append(
        f'<text x="{_f(LEFT + plot_w / 2)}" y="{_f(HEIGHT - 4)}" font-size="10" '
        f'text-anchor="middle">{escape(_axis_title(block["x"]))}</text>'
    )
    lx = LEFT
    for k, s in enumerate(series):
        colour = COLOURS[k % len(COLOURS)]
        out.append(
            f'<rect x="{_f(lx)}" y="8" width="10" height="10" fill="{colour}"/>'
            f'<text x="{_f(lx + 14)}" y="17" font-size="10">{escape(s["name"])}</text>'
        )
        lx += 24 + 6 * len(s["name"])
    out.append("</svg>")
    return "\n".join(out)
