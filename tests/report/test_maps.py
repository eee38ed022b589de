"""The report maps' land and scale bar (hermit/report/maps.py): land from hermit's
offline outline (Natural Earth 1:10m of the NW Pacific) where a map lies in its box,
said to be missing where it does not, the outline's version checked, and a scale bar
whose length is the nautical miles it says."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from hermit.report import maps
from hermit.report.document import ReportError

VLADIVOSTOK = (131.883333, 43.1)  # lon, lat (NGA WPI)


def block(bbox: list[float], **extra: object) -> dict[str, object]:
    return {
        "type": "map",
        "id": "m",
        "title": "A map",
        "bbox": bbox,
        "tracks": [{"label": "SHIP (445000001)", "points": [[131.5, 42.9], [131.9, 43.1]]}],
        "places": [
            {
                "label": "Vladivostok",
                "lon": VLADIVOSTOK[0],
                "lat": VLADIVOSTOK[1],
                "kind": "kims_port",
            }
        ],
        **extra,
    }


def test_the_outline_is_natural_earth_in_the_box_it_says() -> None:
    land = maps.land()
    assert maps.basemap() == land["name"] == "natural-earth-land-10m-nwpacific@1"
    lon0, lat0, lon1, lat1 = land["box"]
    points = [p for poly in land["polygons"] for ring in poly for p in ring]
    assert len(points) > 10_000
    assert all(lon0 <= lon <= lon1 and lat0 <= lat <= lat1 for lon, lat in points)
    assert "Natural Earth" in land["source"] and "world-atlas 2.0.2" in land["source"]


def test_land_is_drawn_under_a_map_of_peter_the_great_bay() -> None:
    svg = maps.svg(block([131.0, 42.5, 133.5, 43.6], basemap=maps.basemap()))
    land = re.search(r'<path d="([^"]+)" fill="#e9e4d4"', svg)
    assert land is not None and land.group(1).count("M") >= 3  # the mainland and islands
    assert svg.index("#e9e4d4") < svg.index("<polyline")  # the tracks over the land
    assert "Land (Natural Earth)" in svg and "No coastline" not in svg
    assert maps.svg(block([131.0, 42.5, 133.5, 43.6], basemap=maps.basemap())) == svg


def test_a_map_outside_the_box_or_without_a_basemap_says_so() -> None:
    atlantic = maps.svg(block([-40.0, 30.0, -30.0, 40.0], basemap=maps.basemap()))
    assert "No coastline here: the land outline covers 110-150°E, 24-55°N only" in atlantic
    assert "#e9e4d4" not in atlantic
    bare = maps.svg(block([131.0, 42.5, 133.5, 43.6]))
    assert "No coastline: positions on longitude/latitude axes only" in bare
    with pytest.raises(ReportError, match="basemap"):
        maps.svg(block([131.0, 42.5, 133.5, 43.6], basemap="natural-earth-land-10m-nwpacific@0"))


def test_the_scale_bar_is_as_long_as_it_says() -> None:
    bbox = [131.0, 42.5, 133.5, 43.6]
    svg = maps.svg(block(bbox, basemap=maps.basemap()))
    said = re.search(r">([\d.]+) nm \(([\d,]+) km\) at (\d+)°N<", svg)
    assert said is not None
    nm = float(said.group(1))
    assert int(said.group(2).replace(",", "")) == round(nm * 1.852)
    bar = re.search(
        r'<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="\2" stroke="#000" '
        r'stroke-width="2"/>',
        svg,
    )
    assert bar is not None
    px = float(bar.group(3)) - float(bar.group(1))
    lon0, lat0, lon1, lat1, _ = maps._fit(bbox)
    k = math.cos(math.radians((lat0 + lat1) / 2))
    metres_per_px = (lon1 - lon0) * k * 111_320.0 / (maps.WIDTH - maps.LEFT - maps.RIGHT)
    assert px * metres_per_px == pytest.approx(nm * 1852, rel=0.01)
    assert 20 <= px <= 140


def test_a_track_is_cut_at_its_gaps_and_drawn_in_pieces(tmp_path: Path) -> None:
    """The KIMS maps' tracks (kims.track_points, hermit-kims-map-tracks@2): a new piece
    after a silence of the gap detector's min_gap_h (6 h), none after a shorter one; the
    map draws one line a piece, never a straight line across the gap."""
    import datetime as dt

    from hermit.maritime import params
    from hermit.maritime.store import AisStore
    from hermit.report.kims import track_points
    from tests.maritime.fixtures import HEADER, track

    assert params.gaps().min_gap_h == 6.0
    rows = track(445000001, 0, 6, 38.0, 124.0)  # 00:00-00:50
    rows += track(445000001, 8, 6, 38.1, 124.0)  # after 7 h 10 min of silence: a gap
    rows += track(445000001, 13, 6, 38.2, 124.0)  # after 4 h 10 min: no gap
    path = tmp_path / "p.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    with AisStore(tmp_path / "s.ais.duckdb") as store:
        lid = store.load([path]).load_id
        day = dt.datetime(2020, 1, 1)
        found = track_points(store.con, lid, [445000001], day, day + dt.timedelta(days=1))
    pieces = found[445000001]
    assert [len(p) for p in pieces] == [2, 4]  # one position per 30 min
    assert pieces[1][0] == (124.0, 38.1)
    line = {"label": "SHIP", "points": [list(p) for q in pieces for p in q], "breaks": [2]}
    svg = maps.svg({**block([123.5, 37.5, 124.5, 38.5]), "tracks": [line]})
    assert svg.count("<polyline") == 2
    whole = maps.svg({**block([123.5, 37.5, 124.5, 38.5]), "tracks": [{**line, "breaks": []}]})
    assert whole.count("<polyline") == 1
