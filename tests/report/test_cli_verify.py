"""``hermit report verify``: a report standing on its sources passes; one whose figure
or cited row no longer agrees with the input files fails, naming the figure and row."""

from __future__ import annotations

import json
from pathlib import Path

from hermit.report.schema import dumps
from tests.cli.helpers import hermit
from tests.report.test_document import small_report


def test_verify_passes_a_sound_report_and_names_what_breaks(tmp_path: Path) -> None:
    data = small_report(tmp_path)
    path = tmp_path / "r.json"
    path.write_bytes(dumps(data))
    ok = hermit(tmp_path / "s.duckdb", "report", "verify", str(path), "--inputs", str(tmp_path))
    assert "r.json: 3 figures recomputed, 1 citations resolved" in ok.stdout
    broken = json.loads(path.read_bytes())
    broken["figures"][1]["value"] = 36
    path.write_bytes(dumps(broken))
    bad = hermit(
        tmp_path / "s.duckdb", "report", "verify", str(path), "--inputs", str(tmp_path), check=False
    )
    assert bad.returncode == 1
    assert "figure sum: sum gives 35.0, states 36" in bad.stdout
    (tmp_path / "cash.csv").write_text("id,amount,name\nC-1,10,x\n", "utf-8")
    path.write_bytes(dumps(data))
    moved = hermit(
        tmp_path / "s.duckdb", "report", "verify", str(path), "--inputs", str(tmp_path), check=False
    )
    assert moved.returncode == 1
    assert "[1] cash.csv: sha256 differs from the cited one" in moved.stdout
