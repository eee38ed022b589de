"""``hermit ais eo13810 CALLS.csv`` on a small planted load: a vessel that stopped at
Nampo is barred, a vessel that met it ship to ship afterwards is barred too (citing the
encounter and the other vessel's call), a vessel with nothing in a window the load does
not cover is "not shown" (never cleared), and a row without a date is set aside."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, track

NAMPO = (38.716667, 125.4)


def test_eo13810_verdicts(tmp_path: Path) -> None:
    lat, lon = NAMPO
    rows = track(445000031, 0, 13, lat, lon, dlat=0.0, sog="0.0", name="CALLER")  # 2 h moored
    # then both drift side by side 55 m apart far from any anchorage, 10:00 to 14:00
    rows += track(445000031, 10, 25, 37.0, 124.0, dlat=0.0001, sog="0.5", name="CALLER")
    rows += track(636000033, 10, 25, 37.0005, 124.0, dlat=0.0001, sog="0.5", name="MET")
    rows += track(366000034, 0, 6, 29.0, -94.0, name="ELSEWHERE")
    (tmp_path / "p.csv").write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(tmp_path / "p.csv"))
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "mmsi,imo,vessel_name,us_port,arrival\n"
        "445000031,,CALLER,Houston,2020-03-01\n"
        "636000033,,MET,Tacoma,2020-03-01\n"
        "636000033,,MET,Tacoma,2020-09-01\n"
        "366000034,,ELSEWHERE,Houston,2020-01-02\n"
        "366000034,,ELSEWHERE,Houston,soon\n",
        "utf-8",
    )
    proc = hermit(store, "ais", "eo13810", str(calls), "--json")
    found = [orjson.loads(line) for line in proc.stdout.splitlines()]
    assert [(f["row"], f["verdict"]) for f in found] == [
        (2, "barred"),
        (3, "barred"),
        (4, "not_shown"),
        (5, "not_shown"),
    ]
    assert f"{calls}:6: arrival: no date" in proc.stderr
    caller, met = found[0], found[1]
    assert caller["algorithm"] == "hermit-eo13810@1"
    assert [g["kind"] for g in caller["grounds"]] == ["port_visit"]
    assert caller["grounds"][0]["facts"]["port"] == "Nampo"
    assert caller["grounds"][0]["positions"][0] == [445000031, "2020-01-01T00:00:00"]
    (enc,) = met["grounds"]
    assert enc["kind"] == "encounter" and {enc["mmsi"], enc["other_mmsi"]} == {445000031, 636000033}
    assert enc["positions"] and [c["facts"]["port"] for c in enc["other_calls"]] == ["Nampo"]
    assert "met MMSI 445000031 ship to ship" in enc["ground"]
    assert found[3]["window_days_covered"] < 1
    # the same load, one vessel: what it broadcast and its events
    v = orjson.loads(hermit(store, "ais", "vessel", "445000031").stdout)
    assert v["mmsis"] == [445000031] and v["vessels"][0]["names"] == ["CALLER"]
    assert {e["kind"] for e in v["events"]} >= {"port_visit", "encounter"}
    bad = hermit(store, "ais", "vessel", "445999999", check=False)
    assert bad.returncode != 0 and "no vessel 445999999" in bad.stderr
