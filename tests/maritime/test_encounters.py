"""``hermit ais events --kind encounter`` on the real Houston / Galveston day: the three
tanker pairs lightering offshore Galveston (README of shared/data: within 500 m for
2.5-3.8 h under 2 kn) are found, each with its reasons and both vessels' positions, and
the hundreds of boats moored side by side in the marinas and the ship channel are not
(the anchorages derived from the data keep them out)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import orjson
import pytest

from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, ais_dir, track

# (names, README window); MMSIs are looked up from the names in the data
LIGHTERING = [
    (("BARBARICA", "STEMNITSA"), ("17:00", "20:50")),
    (("BARBARICA", "NORDORCHID"), ("08:20", "11:20")),
    (("ZENITH SPIRIT", "EAGLE TAMPA"), ("11:00", "13:30")),
]


@pytest.fixture(scope="module")
def galveston(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("galveston") / "hermit.duckdb"
    path = ais_dir() / "marinecadastre_20200101_houston_galveston.parquet"
    hermit(store, "ais", "load", str(path))
    return store


def _t(hhmm: str) -> dt.datetime:
    return dt.datetime.fromisoformat(f"2020-01-01T{hhmm}:00")


def test_lightering_pairs_found(galveston: Path) -> None:
    import duckdb

    con = duckdb.connect(str(galveston.with_name("hermit.ais.duckdb")), read_only=True)
    names = dict(
        con.execute(
            "SELECT any_value(vessel_name), mmsi FROM ais_positions GROUP BY mmsi"
        ).fetchall()
    )
    con.close()
    out = hermit(galveston, "ais", "events", "--kind", "encounter", "--json").stdout
    found = [orjson.loads(line) for line in out.splitlines()]
    for (a, b), (start, end) in LIGHTERING:
        pair = {names[a], names[b]}
        hits = [
            e
            for e in found
            if {e["mmsi"], e["other_mmsi"]} == pair
            and dt.datetime.fromisoformat(e["start"]) < _t(end)
            and dt.datetime.fromisoformat(e["end"]) > _t(start)
        ]
        assert hits, (a, b)
        e = hits[0]
        assert e["algorithm"] == "hermit-encounter@2"
        assert e["facts"]["hours"] >= 2.0
        assert max(e["facts"]["median_speed_kn"]) < 2.0
        assert e["facts"]["nearest_port_km"] >= 10.0
        assert 28.4 < e["lat"] < 28.8 and -94.8 < e["lon"] < -94.1
        assert {m for m, _ in e["positions"]} == pair  # both vessels' positions
        assert len(e["reasons"]) == 3 and e["reasons"][0].startswith("within 500 m for")
    # the marinas and the ship channel (hundreds of moored pairs) stay out
    assert len(found) < 20


def test_definition_on_a_planted_pair(tmp_path: Path) -> None:
    """Two ships drifting 100 m apart far offshore: 3 h is an encounter; the same at
    10 kn, or for 1.5 h, is not."""
    rows = []
    # 3 h at 0.3 kn, 60 positions each, 0.0009 deg (100 m) apart
    rows += track(
        538001111,
        0,
        19,
        25.0,
        -60.0,
        step_min=10,
        dlat=0.0001,
        sog="0.3",
        name="A",
        imo="IMO9137960",
    )
    rows += track(
        538002222,
        0,
        19,
        25.0009,
        -60.0,
        step_min=10,
        dlat=0.0001,
        sog="0.3",
        name="B",
        imo="IMO9137960",
    )
    # 1.5 h only
    rows += track(
        538003333,
        6,
        10,
        26.0,
        -60.0,
        step_min=10,
        dlat=0.0001,
        sog="0.3",
        name="C",
        imo="IMO9137960",
    )
    rows += track(
        538004444,
        6,
        10,
        26.0009,
        -60.0,
        step_min=10,
        dlat=0.0001,
        sog="0.3",
        name="D",
        imo="IMO9137960",
    )
    # 3 h together at 10 kn (a convoy)
    rows += track(
        538005555,
        10,
        19,
        27.0,
        -60.0,
        step_min=10,
        dlat=0.0275,
        sog="10.0",
        name="E",
        imo="IMO9137960",
    )
    rows += track(
        538006666,
        10,
        19,
        27.0009,
        -60.0,
        step_min=10,
        dlat=0.0275,
        sog="10.0",
        name="F",
        imo="IMO9137960",
    )
    path = tmp_path / "pairs.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(path))
    out = hermit(store, "ais", "events", "--kind", "encounter", "--json").stdout
    found = [orjson.loads(line) for line in out.splitlines()]
    assert [(e["mmsi"], e["other_mmsi"]) for e in found] == [(538001111, 538002222)]
    assert found[0]["facts"]["hours"] == 3.0
    assert len(found[0]["positions"]) == 38
