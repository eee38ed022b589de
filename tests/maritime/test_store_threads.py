"""Two threads of one process opening the AIS store at the same moment, as the service's
two parallel GET /ais/tracks of an encounter do (hermit.dbfiles): each opens, reads its
track and closes, and neither fails. Before connecting was one thread at a time, about
a third of such pairs failed in DuckDB's client ("Table Function with name
python_arrow_scan does not exist", from the reference tables the store registers)."""

from __future__ import annotations

import threading
from pathlib import Path

from hermit.maritime.store import AisStore
from hermit.maritime.track import vessel_track
from tests.maritime.fixtures import HEADER, track

A, B = 445000031, 636000033
ROUNDS = 20


def test_two_threads_open_the_store_at_once(tmp_path: Path) -> None:
    positions = tmp_path / "p.csv"
    rows = track(A, 10, 25, 37.0, 124.0, dlat=0.0001, sog="0.5")
    rows += track(B, 10, 25, 37.0005, 124.0, dlat=0.0001, sog="0.5")
    positions.write_text(HEADER + "\n" + "\n".join(rows) + "\n", "utf-8")
    path = tmp_path / "s.ais.duckdb"
    with AisStore(path) as store:
        store.load([positions])
    start = threading.Barrier(2)
    failed: list[str] = []
    totals: list[int] = []

    def read(mmsi: int) -> None:
        start.wait()
        try:
            with AisStore(path, read_only=True) as store:
                totals.append(
                    vessel_track(store.con, store.load_id(None), mmsi, None, None, 50)["total"]
                )
        except Exception as exc:  # what the service answered as a 500
            failed.append(repr(exc))

    for _ in range(ROUNDS):  # no connection between rounds: each pair meets a new instance
        pair = [threading.Thread(target=read, args=(m,)) for m in (A, B)]
        for t in pair:
            t.start()
        for t in pair:
            t.join()
    assert failed == []
    assert totals == [25] * (2 * ROUNDS)
