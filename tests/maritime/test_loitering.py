"""``hermit ais events --kind loitering`` and ``--kind dark_port_call`` on small planted
tracks: a vessel drifting 6 h far offshore loiters, one drifting 2 h or steaming does
not; a vessel dark for 20 h 39 nm from Nampo may have called there, one dark for 8 h
may not (79 nm there and back at its 10 kn and 4 h in port need 11.9 h)."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, track


def _events(tmp_path: Path, rows: list[str], kind: str) -> list[dict]:  # type: ignore[type-arg]
    path = tmp_path / "t.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(path))
    out = hermit(store, "ais", "events", "--kind", kind, "--json").stdout
    return [orjson.loads(line) for line in out.splitlines()]


def test_loitering(tmp_path: Path) -> None:
    # Gulf of Mexico, about 100 nm from the nearest port; 0.0015 deg (167 m) per 10 min
    # is 0.54 kn
    rows = track(366000010, 0, 37, 26.5, -91.5, dlat=0.0015, sog="0.5", name="DRIFTER")
    rows += track(366000011, 0, 13, 26.0, -92.5, dlat=0.0015, sog="0.5", name="SHORT")
    rows += track(366000012, 0, 37, 25.5, -91.0, dlat=0.03, sog="10.8", name="STEAMER")
    found = _events(tmp_path, rows, "loitering")
    assert [(e["mmsi"], e["start"], e["end"]) for e in found] == [
        (366000010, "2020-01-01T00:00:00", "2020-01-01T06:00:00")
    ]
    e = found[0]
    assert e["algorithm"] == "hermit-loitering@1"
    assert e["facts"]["hours"] == 7 and e["facts"]["mean_speed_kn"] < 2
    assert e["facts"]["mean_shore_nm"] >= 20
    assert e["positions"] == [
        [366000010, "2020-01-01T00:00:00"],
        [366000010, "2020-01-01T06:00:00"],
    ]


def test_dark_dprk_port_call(tmp_path: Path) -> None:
    rows = []
    for mmsi, back_h in ((445000021, 22), (445000022, 10)):
        # steaming at 10 kn, then dark from 02:00 until back_h at the same place
        rows += track(mmsi, 0, 12, 38.8, 124.6, dlat=0.0083, sog="10.0", name="DARK")
        rows += track(mmsi, back_h, 3, 38.9, 124.6, dlat=0.0, sog="10.0", name="DARK")
    found = _events(tmp_path, rows, "dark_port_call")
    assert [(e["mmsi"], e["facts"]["port"]) for e in found] == [(445000021, "Nampo")]
    e = found[0]
    assert e["kind"] == "dark_dprk_port_call" and e["algorithm"] == "hermit-dark-dprk-call@1"
    assert (e["start"], e["end"]) == ("2020-01-01T01:50:00", "2020-01-01T22:00:00")
    assert e["facts"]["own_speed"] is True and e["facts"]["transit_speed_kn"] == 10.0
    assert [445000021, "2020-01-01T01:50:00"] in e["positions"]
    assert [445000021, "2020-01-01T22:00:00"] in e["positions"]
