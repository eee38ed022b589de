"""Implausible speeds as events (hermit.maritime.speed, events.yaml implausible_speed):
one MMSI at two places far apart, as BRIGHT VENTURE 19 (MMSI 312510922) of the NW
Pacific dev set is while GOO RYONG broadcasts its identity at Vladivostok, and a track
that goes on from a far place; a single bad fix stays the validation's position jump and
a 45-kn jetfoil is left alone. On the real Houston / Galveston day: the two MMSIs the
validation counts as speed conflicts, each step checked against the raw file."""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from hermit.maritime import params
from hermit.maritime.detect import find_events
from hermit.maritime.events import Event
from hermit.maritime.speed import find_implausible_speeds
from hermit.maritime.store import AisStore
from tests.maritime.fixtures import HEADER, ais_dir, track

TWO_PLACES, MOVED, BAD_FIX, JETFOIL = 312510922, 366000001, 366000002, 440000003


def _hav_km(lat0: float, lon0: float, lat1: float, lon1: float) -> float:
    p0, p1 = math.radians(lat0), math.radians(lat1)
    h = (
        math.sin((p1 - p0) / 2) ** 2
        + math.cos(p0) * math.cos(p1) * math.sin(math.radians(lon1 - lon0) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _row(mmsi: int, minutes: int, lat: float, lon: float, sog: str = "10.0") -> str:
    ts = f"2020-01-01T{minutes // 60:02d}:{minutes % 60:02d}:00"
    return f"{mmsi},{ts},{lat:.5f},{lon:.5f},{sog},10.0,511,SHIP {mmsi},,,70"


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    folder = tmp_path_factory.mktemp("speed")
    # the real ship off Noto, every 10 min for 6 h; from 02:05 to 03:55 a second
    # transmitter at Vladivostok, 760 km away, every 10 min between its positions
    rows = track(TWO_PLACES, 0, 37, 37.27, 136.61, dlat=0.001, sog="6.0")
    rows += [_row(TWO_PLACES, 125 + 10 * i, 43.10, 131.88, "0.0") for i in range(12)]
    # north 1 h, then on from 30 km east (no return)
    rows += [_row(MOVED, 10 * i, 29.0 + 0.03 * i, -94.0) for i in range(7)]
    rows += [_row(MOVED, 70 + 10 * i, 29.2 + 0.03 * i, -93.7) for i in range(7)]
    # one fix 80 km off, then back on the track
    rows += [_row(BAD_FIX, 10 * i, 28.0 + 0.03 * i, -93.0) for i in range(10)]
    rows[-5] = _row(BAD_FIX, 50, 28.8, -93.0)
    # Busan-Hakata jetfoil at 45 kn: 13.9 km every 10 min
    rows += [_row(JETFOIL, 10 * i, 34.0 + 0.125 * i, 129.5, "45.0") for i in range(12)]
    positions = folder / "p.csv"
    positions.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    with AisStore(folder / "s.ais.duckdb") as store:
        summary = store.load([positions])
        assert summary.problems["position_jump"]["rows"] == 1  # the bad fix, as before
        return find_events(store.con, summary.load_id, ["implausible_speed"])


def test_one_mmsi_at_two_places_is_one_event_with_its_positions(planted: list[Event]) -> None:
    (e,) = [e for e in planted if e.mmsi == TWO_PLACES]
    assert e.algorithm == params.implausible_speed().algorithm == "hermit-ais-speed@1"
    assert e.facts["pattern"] == "two_places"
    assert e.facts["steps"] == 24  # out and back for each of the 12 foreign positions
    assert 750 < e.facts["max_km"] < 770
    assert e.start == dt.datetime(2020, 1, 1, 2, 0) and e.end == dt.datetime(2020, 1, 1, 4, 0)
    times = {t for _, t in e.positions}
    assert dt.datetime(2020, 1, 1, 2, 5) in times and dt.datetime(2020, 1, 1, 3, 55) in times
    assert len(e.positions) == 25  # 12 far + 13 near, each step's two ends
    assert "24 step(s) of MMSI 312510922" in e.reasons[0] and "two transmitters" in e.reasons[0]
    assert len(e.reasons) == 1 + 5 + 1  # the five longest steps, then "19 more"
    assert "43.10000, 131.88000" in " ".join(e.reasons[1:6])
    assert e.reasons[-1].startswith("19 more step(s)")


def test_a_track_going_on_from_far_away_is_a_relocation(planted: list[Event]) -> None:
    (e,) = [e for e in planted if e.mmsi == MOVED]
    assert e.facts["pattern"] == "relocation" and e.facts["steps"] == 1
    assert e.positions == [
        (MOVED, dt.datetime(2020, 1, 1, 1, 0)),
        (MOVED, dt.datetime(2020, 1, 1, 1, 10)),
    ]
    assert (e.lat, e.lon) == (29.18, -94.0) and (e.facts["far_lat"], e.facts["far_lon"]) == (
        29.2,
        -93.7,
    )
    assert (
        "01:00:00 at 29.18000, -94.00000 -> 2020-01-01 01:10:00 at 29.20000, -93.70000"
        in e.reasons[1]
    )


def test_a_bad_fix_and_a_jetfoil_are_no_events(planted: list[Event]) -> None:
    assert {e.mmsi for e in planted} == {TWO_PLACES, MOVED}


def test_the_real_houston_day(tmp_path: Path) -> None:
    """The two MMSIs of the Houston / Galveston day that the validation counts as speed
    conflicts are the two events (golden: their patterns and steps); the ends of every
    step are the ends of the steps found again from the raw rows."""
    path = ais_dir() / "marinecadastre_20200101_houston_galveston.parquet"
    with AisStore(tmp_path / "s.ais.duckdb") as store:
        summary = store.load([path])
        found = find_implausible_speeds(store.con, summary.load_id, params.implausible_speed())
        conflicts = {
            m
            for (m,) in store.con.execute(
                "SELECT DISTINCT mmsi FROM ais_positions WHERE conflict"
            ).fetchall()
        }
    assert [(e.mmsi, e.facts["pattern"], e.facts["steps"]) for e in found] == [
        (258947000, "two_places", 9),
        (338147366, "two_places", 6),
    ]
    assert {e.mmsi for e in found} == conflicts
    raw = pq.read_table(path, columns=["mmsi", "ts", "lat", "lon"]).to_pylist()
    for e in found:  # the steps again from the raw rows: first row of each time kept
        first: dict[dt.datetime, tuple[float, float]] = {}
        for r in raw:
            if r["mmsi"] == e.mmsi:
                first.setdefault(r["ts"], (r["lat"], r["lon"]))
        track = sorted(first.items())
        ends = set()
        for (t0, a), (t1, b) in itertools.pairwise(track):
            km = _hav_km(*a, *b)
            if km > 1.0 and km / 1.852 > 50.0 * (t1 - t0).total_seconds() / 3600.0:
                ends |= {(e.mmsi, t0), (e.mmsi, t1)}
        assert set(e.positions) == ends
