"""Point in polygon (hermit/maritime/geo.py): the banded ray casting agrees with the
plain even-odd test over every edge, holes and concave rings included, and GFW's DPRK
EEZ (shared/data/geo) holds the sea off the DPRK's east coast and not Vladivostok."""

from __future__ import annotations

import math
import random
from pathlib import Path

import orjson
import pytest

from hermit.errors import SourceError
from hermit.maritime.geo import Area, read_area
from tests.conftest import shared_data_dir


def _plain(rings: list[list[tuple[float, float]]], x: float, y: float) -> bool:
    inside = False
    for ring in rings:
        for i, (ax, ay) in enumerate(ring):
            bx, by = ring[(i + 1) % len(ring)]
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                inside = not inside
    return inside


def _write(path: Path, geometry: object) -> Path:
    path.write_bytes(
        orjson.dumps(
            {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "properties": {}, "geometry": geometry}],
            }
        )
    )
    return path


def test_square_with_hole_and_open_ring(tmp_path: Path) -> None:
    outer = [[0, 0], [10, 0], [10, 10], [0, 10]]  # not closed: closed implicitly
    hole = [[4, 4], [6, 4], [6, 6], [4, 6], [4, 4]]
    area = read_area(
        _write(tmp_path / "a.json", {"type": "Polygon", "coordinates": [outer, hole]}), "a"
    )
    assert area.contains(1, 1) and area.contains(9.9, 5)
    assert not area.contains(5, 5)  # in the hole
    assert not area.contains(11, 5) and not area.contains(-1, 5) and not area.contains(5, 10.5)


def test_banded_agrees_with_plain_on_a_concave_multipolygon() -> None:
    rng = random.Random(7)
    rings = []
    for cx in (0.0, 30.0):  # two star-shaped (concave) rings of 40 vertices
        ring = []
        for k in range(40):
            r = 5 + (k % 2) * 7 + rng.random()

            a = 2 * math.pi * k / 40
            ring.append((cx + r * math.cos(a), r * math.sin(a)))
        rings.append(ring)
    area = Area.of("stars", "test", [tuple(r) for r in rings])
    for _ in range(5000):
        x, y = rng.uniform(-15, 45), rng.uniform(-15, 15)
        assert area.contains(x, y) == _plain(rings, x, y), (x, y)
    # on vertex latitudes exactly
    for ring in rings:
        for vx, vy in ring:
            for dx in (-0.5, 0.0, 0.5):
                assert area.contains(vx + dx, vy) == _plain(rings, vx + dx, vy)


def test_gfw_dprk_eez() -> None:
    path = shared_data_dir() / "geo" / "gfw_nk_eez_prk.json"
    area = read_area(path, "DPRK EEZ")
    assert area.contains(129.6, 40.3)  # offshore Kimchaek
    assert area.contains(130.5, 42.1)  # off Rajin
    assert area.contains(131.0, 40.0)  # far offshore, Sea of Japan
    assert not area.contains(131.888, 43.109)  # Vladivostok
    assert not area.contains(129.0, 35.1)  # Busan
    assert not area.contains(125.0, 38.5)  # the Yellow Sea: not in this polygon
    rings = [list(r) for r in area.rings]
    rng = random.Random(1)
    x0, y0, x1, y1 = area.bbox
    for _ in range(2000):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        assert area.contains(x, y) == _plain(rings, x, y)


def test_bad_geometry_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path / "line.json", {"type": "LineString", "coordinates": [[0, 0], [1, 1]]})
    with pytest.raises(SourceError, match=r"line\.json.*only Polygon and MultiPolygon"):
        read_area(path, "x")
