"""``hermit ais events --kind gap``: gaps of 6 h and more, suspected disabling at 12 h
with both ends far offshore, each with its reasons and the two positions it rests on."""

from __future__ import annotations

from pathlib import Path

import orjson

from tests.cli.helpers import hermit
from tests.maritime.fixtures import HEADER, planted_csv, track


def _events(store: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    out = hermit(store, "ais", "events", "--json", *args).stdout
    return [orjson.loads(line) for line in out.splitlines()]


def test_gap_and_suspected_disabling(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    offshore = tmp_path / "offshore.csv"
    # mid-Atlantic, over 500 nm from any port: 13 h of silence, then 5 h (no gap)
    rows = track(255805000, 0, 3, 30.0, -45.0, step_min=30)
    rows += track(255805000, 14, 3, 30.5, -45.0, step_min=30)
    rows += track(255805000, 20, 3, 30.9, -45.0, step_min=30)
    offshore.write_text(HEADER + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    hermit(store, "ais", "load", str(planted_csv(tmp_path / "planted.csv")), str(offshore))
    found = _events(store, "--kind", "gap")
    assert [(e["mmsi"], e["start"], e["end"]) for e in found] == [
        (255805000, "2020-01-01T01:00:00", "2020-01-01T14:00:00"),
        (366123450, "2020-01-01T00:50:00", "2020-01-01T08:00:00"),
    ]
    far, near = found
    assert far["algorithm"] == "hermit-ais-gap@2"
    assert far["facts"]["suspected_disabling"] is True
    assert far["positions"] == [
        [255805000, "2020-01-01T01:00:00"],
        [255805000, "2020-01-01T14:00:00"],
    ]
    assert far["reasons"][0] == "no position for 13.0 h (gap at >= 6 h)"
    assert far["reasons"][1].startswith("suspected disabling: >= 12 h and both ends more than 50")
    assert far["facts"]["positions_before"] == 3
    # 7.2 h off Galveston: a gap, not a suspected disabling
    assert near["facts"]["suspected_disabling"] is False
    assert near["duration_h"] == 7.167
    assert len(near["reasons"]) == 1
    # the jump row of 366999990 is no gap end; the text table lists both gaps
    out = tmp_path / "events.jsonl"
    text = hermit(store, "ais", "events", "--output", str(out)).stdout
    assert "load 1: 2 gap" in text
    assert len(out.read_text(encoding="utf-8").splitlines()) == 2


def test_unknown_kind_is_one_clear_line(tmp_path: Path) -> None:
    store = tmp_path / "hermit.duckdb"
    hermit(store, "ais", "load", str(planted_csv(tmp_path / "planted.csv")))
    proc = hermit(store, "ais", "events", "--kind", "loiter", check=False)
    assert proc.returncode == 1
    assert "--kind loiter: not one of" in proc.stderr
