"""``hermit ais events --kind port_visit``: entry within 3 km of a port point, exit beyond
4 km (hysteresis), stops, DPRK and KIMS ports named, on small planted tracks; and on the
real Houston day, visits at the WPI ports of the box."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, track

NAMPO = (38.716667, 125.4)  # World Port Index point of Nampo (KP NAM)


def test_visit_with_stop_and_hysteresis(tmp_path: Path) -> None:
    lat, lon = NAMPO
    rows = []
    # in from 10 km south (0.09 deg) to the port point, 10 min steps of 1 km
    rows += track(445111000, 0, 10, lat - 0.09, lon, dlat=0.009, sog="6.0", name="IN")
    # moored 3 h at the port point
    rows += track(445111000, 2, 18, lat, lon, dlat=0.0, sog="0.0", name="IN")
    # out to 3.5 km (still inside: no exit before 4 km), back in, then away to 10 km
    rows += track(445111000, 5, 4, lat + 0.009, lon, dlat=0.0075, sog="6.0", name="IN")
    rows += track(445111000, 6, 10, lat + 0.01, lon, dlat=0.009, sog="6.0", name="IN")
    # a pass-by 1.7 km east of the point, northbound at 6 kn, without stopping
    rows += track(445222000, 0, 12, lat - 0.05, lon + 0.02, dlat=0.009, sog="6.0", name="BY")
    path = tmp_path / "visits.csv"
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    path.write_text(text, "utf-8")
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(path))
    out = hermit(store, "ais", "events", "--kind", "port_visit", "--json").stdout
    found = [orjson.loads(line) for line in out.splitlines()]
    assert [(e["mmsi"], e["facts"]["port"]) for e in found] == [
        (445111000, "Nampo"),
        (445222000, "Nampo"),
    ]
    visit, passby = found
    assert visit["algorithm"] == "hermit-port-visit@4"
    # entry: the first position within 3 km (2 km at 01:20), one visit despite the
    # excursion to 3.5 km; it ends at the last position within 4 km
    assert visit["start"] == "2020-01-01T01:20:00"
    assert visit["facts"]["has_stop"] is True
    assert visit["facts"]["dprk_port"] is True and visit["facts"]["kims_port"] is False
    assert "a DPRK port" in visit["reasons"]
    assert visit["positions"][0] == [445111000, "2020-01-01T01:20:00"]
    assert passby["facts"]["has_stop"] is False
    assert "no stop: a pass-by" in passby["reasons"]


def test_two_transmitters_and_an_excursion_are_one_visit(tmp_path: Path) -> None:
    """One hull moored at Nampo while a second transmitter on its MMSI reports from the
    Yellow Sea, 300 km away (alternating rows, then a run of its own), and a 30-minute
    excursion to 6 km: one visit on track 0, the excursion counted (hermit-port-visit@2
    cut it into three visits at the other transmitter's run and at the excursion)."""
    lat, lon = NAMPO
    here = (lat, lon, "0.0")
    away = (36.0, 124.0, "0.0")
    slots = []
    slots += [here if i % 2 == 0 else away for i in range(12)]  # alternating: conflicts
    slots += [away] * 6  # a run of the other transmitter
    slots += [here] * 12
    slots += [here if i % 2 == 0 else away for i in range(12)]
    slots += [here] * 30
    # out to 6 km north and back (2.2, 4.4, 6, 6, 6, 4.4, 2.2 km), then moored again
    slots += [(lat + d, lon, "5.0") for d in (0.02, 0.04, 0.054, 0.054, 0.054, 0.04, 0.02)]
    slots += [here] * 12
    rows = []
    for i, (y, x, sog) in enumerate(slots):
        ts = f"2020-01-01T{i * 5 // 60:02d}:{i * 5 % 60:02d}:00"
        rows.append(f"445333000,{ts},{y:.5f},{x:.5f},{sog},10.0,511,TWO,IMO9137960,CALL1,70")
    path = tmp_path / "two.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(path))
    out = hermit(store, "ais", "events", "--kind", "port_visit", "--json").stdout
    found = [orjson.loads(line) for line in out.splitlines()]
    assert [(e["mmsi"], e["facts"]["port"], e["start"], e["end"]) for e in found] == [
        (445333000, "Nampo", "2020-01-01T00:00:00", f"2020-01-01T{(len(slots) - 1) * 5 // 60:02d}:"
         f"{(len(slots) - 1) * 5 % 60:02d}:00"),
    ]  # fmt: skip
    visit = found[0]
    assert visit["algorithm"] == "hermit-port-visit@4"
    assert visit["facts"]["excursions"] == 1
    assert (visit["facts"]["track"], visit["facts"]["tracks"]) == (0, 2)
    assert any("1 excursion(s) beyond 4 km" in r for r in visit["reasons"])
    assert any("2 tracks (two transmitters)" in r for r in visit["reasons"])
