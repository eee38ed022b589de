"""A load killed half-way (SIGKILL, a real separate process) leaves the previous version."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from hermit.sources.detect import read_list_files
from hermit.store import Store

_LOADER = """
import sys, time
from pathlib import Path
from hermit.sources.detect import read_list_files
from hermit.store import Store

snapshot = read_list_files([Path(sys.argv[2])], companions="none")[0]

def pause(stage: str) -> None:
    if stage == sys.argv[3]:
        print("PAUSED", flush=True)
        time.sleep(600)

with Store(Path(sys.argv[1])) as store:
    store.load(snapshot, on_progress=pause, allow_large_change=True)  # no alt.csv ...
print("FINISHED", flush=True)
"""


def _kill_during(store_path: Path, sdn: Path, stage: str) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", _LOADER, str(store_path), str(sdn), stage],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "PAUSED", f"loader did not reach {stage}: {line!r}"
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL


def test_killed_load_leaves_previous_version(tmp_path: Path, shared_lists: Path) -> None:
    store_path = tmp_path / "store.duckdb"
    with Store(store_path) as store:
        first = store.load(read_list_files([shared_lists / "ofac_sdn.csv"])[0]).version
        before = store.entity("ofac-19613")
        counts_before = store.con.execute(
            "SELECT count(*), count(valid_to) FROM statements"
        ).fetchone()
    assert before is not None

    # Killed after the stored values were rewritten inside the transaction, and again
    # while committing: each time the 2024 version must be absent.
    for stage in ("statements", "entities", "committing"):
        _kill_during(store_path, shared_lists / "ofac_sdn_2024-05-02.csv", stage)
        with Store(store_path) as store:
            assert store.versions() == [first]
            after = store.entity("ofac-19613")
            counts_after = store.con.execute(
                "SELECT count(*), count(valid_to) FROM statements"
            ).fetchone()
        assert after is not None and after.entity.values == before.entity.values
        assert counts_after == counts_before

    # And the store still works: the same load, not killed, goes through.
    with Store(store_path) as store:
        newer = read_list_files([shared_lists / "ofac_sdn_2024-05-02.csv"], companions="none")[0]
        second = store.load(newer, allow_large_change=True)
        assert second.version.seq == 2
