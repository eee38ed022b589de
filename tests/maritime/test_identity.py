"""``hermit ais events --kind identity`` and ``--kind dprk_waters --eez FILE`` on small
planted files: a rename on one MMSI, an IMO moving to a new MMSI of another flag (with
before and after and the two positions cited), a vessel crossing a polygon."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, track


def _events(store: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    out = hermit(store, "ais", "events", "--json", *args).stdout
    return [orjson.loads(line) for line in out.splitlines()]


def test_rename_and_reflagging(tmp_path: Path) -> None:
    rows = track(366123450, 0, 12, 29.0, -94.0, name="OLD NAME")
    rows += track(366123450, 2, 12, 29.2, -94.0, name="NEW NAME")  # renamed at 02:00
    # IMO 9137960 on a US MMSI until 05:50, then on a Liberian one (MID 636) at 06:00
    rows += track(366000001, 4, 12, 27.0, -92.0, imo="IMO9176187", dlat=0.001)
    rows += track(636000001, 6, 12, 27.012, -92.0, imo="IMO9176187", dlat=0.001)
    path = tmp_path / "ids.csv"
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(path))
    found = _events(store, "--kind", "identity")
    assert [(e["kind"], e["mmsi"], e["other_mmsi"]) for e in found] == [
        ("identity_change", 366123450, None),
        ("mmsi_change", 636000001, 366000001),
    ]
    rename, hop = found
    assert rename["algorithm"] == "hermit-identity@1"
    assert rename["facts"]["changed"] == ["name"]
    assert rename["facts"]["before"]["name"] == "OLD NAME"
    assert rename["facts"]["after"]["name"] == "NEW NAME"
    assert rename["positions"] == [
        [366123450, "2020-01-01T01:50:00"],
        [366123450, "2020-01-01T02:00:00"],
    ]
    assert hop["facts"]["flag_change"] is True
    assert hop["facts"]["before"] == {"mmsi": 366000001, "flag": "United States of America"}
    assert hop["facts"]["after"]["flag"] == "Liberia (Republic of)"
    assert hop["positions"] == [
        [366000001, "2020-01-01T05:50:00"],
        [636000001, "2020-01-01T06:00:00"],
    ]


def test_dprk_waters_needs_an_area_and_cites_entry_and_exit(tmp_path: Path) -> None:
    # north through a square 29.05-29.15 N: positions 29.00, 29.01, ... every 10 minutes
    path = tmp_path / "cross.csv"
    rows = track(445000001, 0, 30, 29.0, -94.0, imo="")
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    square = tmp_path / "square.json"
    ring = [[-94.5, 29.055], [-93.5, 29.055], [-93.5, 29.145], [-94.5, 29.145]]
    square.write_bytes(orjson.dumps({"type": "Polygon", "coordinates": [ring]}))
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(path))
    refused = hermit(store, "ais", "events", "--kind", "dprk_waters", check=False)
    assert refused.returncode != 0 and "needs --eez FILE" in refused.stderr
    (stay,) = _events(store, "--kind", "dprk_waters", "--eez", str(square))
    assert stay["kind"] == "dprk_waters" and stay["mmsi"] == 445000001
    assert stay["positions"] == [
        [445000001, "2020-01-01T01:00:00"],  # 29.06 N, the first inside
        [445000001, "2020-01-01T02:20:00"],  # 29.14 N, the last
    ]
    assert stay["facts"]["positions_inside"] == 9
    assert stay["facts"]["first"] == {"file_id": 1, "row": 7}
