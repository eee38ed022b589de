"""Recall and precision of hermit's AIS events on the NW Pacific dev labels.

    .venv/bin/python bench/ais_nwpacific.py [--events FILE.jsonl]

Loads shared/data/ais_nwpacific/positions_201801.parquet into a fresh AIS store, runs
every detector (or reads events written before by ``hermit ais events --output``) and
prints the scores of bench/maritime/labels.py as JSON.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.maritime.labels import (  # noqa: E402
    score_disabling,
    score_encounters,
    score_gaps,
    score_port_visits,
)

DATA = REPO.parent / "shared" / "data" / "ais_nwpacific"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=Path)
    args = parser.parse_args()
    timing = {}
    if args.events is None:
        from hermit.maritime.detect import find_events
        from hermit.maritime.store import AisStore

        with tempfile.TemporaryDirectory() as tmp, AisStore(Path(tmp) / "a.ais.duckdb") as s:
            t0 = time.perf_counter()
            s.load([DATA / "positions_201801.parquet"])
            t1 = time.perf_counter()
            events = [e.to_dict() for e in find_events(s.con, s.latest_load())]
            t2 = time.perf_counter()
        timing = {"load_s": round(t1 - t0, 2), "events_s": round(t2 - t1, 2)}
    else:
        events = [orjson.loads(line) for line in args.events.read_text().splitlines()]
    labels = DATA / "labels"
    out = {
        "timing": timing,
        "encounters": score_encounters(labels, events).to_dict(),
        "encounters_observable": score_encounters(labels, events, True).to_dict(),
        "gaps_6h": score_gaps(labels, events).to_dict(),
        "suspected_disabling": score_disabling(labels, events).to_dict(),
        "port_visits": score_port_visits(labels, events).to_dict(),
    }
    print(orjson.dumps(out, option=orjson.OPT_INDENT_2).decode())


if __name__ == "__main__":
    main()
