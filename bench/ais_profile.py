"""Where the US day's CPU goes: the load and every detector timed stage by stage in one
process (``hermit.maritime.stages.StageClock``), with the sha256 of each kind's events
as ``hermit ais events --output`` writes them (JSON lines), so a speed change can show
its output unchanged.

    .venv/bin/python bench/ais_profile.py [--positions FILE.parquet] [--store DIR]
        [--kind KIND ...] [--events-out FILE.jsonl]

Run with ``PYTHONPATH`` at an earlier revision's source (``git archive REV``) it times
that revision the same way, by load and detectors only (it has no stage clock). With
``--store DIR`` the store is kept there and a later run with the same DIR skips
the load (to time detectors alone). Prints one JSON object; BENCHMARKS.md keeps the
figures with the machine's load.
"""

from __future__ import annotations

import argparse
import hashlib
import inspect
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("HERMIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def profile(
    path: Path, store_dir: Path, kinds: list[str] | None, events_out: Path | None
) -> dict[str, Any]:
    from hermit.maritime.detect import find_events
    from hermit.maritime.store import AisStore

    # an earlier revision (the anchor, run from its own source) has no stage clock
    staged = "clock" in inspect.signature(AisStore.load).parameters
    if staged:
        from hermit.maritime.stages import StageClock

        clock = StageClock()
    db = store_dir / "profile.ais.duckdb"
    loaded = db.exists()
    c0, w0 = time.process_time(), time.perf_counter()
    with AisStore(db) as store:
        if loaded:
            load_id = store.latest_load()
            rows = store.summary(load_id).rows_read
        else:
            summary = store.load([path], clock=clock) if staged else store.load([path])
            load_id, rows = summary.load_id, summary.rows_read
        c1, w1 = time.process_time(), time.perf_counter()
        found = (
            find_events(store.con, load_id, kinds, None, clock)
            if staged
            else find_events(store.con, load_id, kinds)
        )
        c2, w2 = time.process_time(), time.perf_counter()
    lines: dict[str, list[bytes]] = {}
    every: list[bytes] = []
    for e in found:
        line = orjson.dumps(e.to_dict()) + b"\n"
        lines.setdefault(e.kind, []).append(line)
        every.append(line)
    if events_out is not None:
        events_out.write_bytes(b"".join(every))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "rows": rows,
        "load_was_kept": loaded,
        "load_cpu_s": round(c1 - c0, 2),
        "load_wall_s": round(w1 - w0, 2),
        "events_cpu_s": round(c2 - c1, 2),
        "events_wall_s": round(w2 - w1, 2),
        "end_to_end_cpu_s": round(c2 - c0, 2),
        "positions_per_cpu_s": round(rows / (c2 - c0)),
        "stages_cpu_s": {k: round(v, 2) for k, v in clock.cpu.items()} if staged else None,
        "stages_wall_s": {k: round(v, 2) for k, v in clock.wall.items()} if staged else None,
        "events": {k: len(v) for k, v in lines.items()},
        "sha256": {k: hashlib.sha256(b"".join(v)).hexdigest()[:16] for k, v in lines.items()},
        "sha256_all": hashlib.sha256(b"".join(every)).hexdigest()[:16],
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--positions", type=Path, default=DATA / "ais" / "marinecadastre_20200101_us_full.parquet"
    )
    parser.add_argument("--store", type=Path, help="keep the store here (reused when present)")
    parser.add_argument("--kind", action="append", help="only these detectors (repeatable)")
    parser.add_argument("--events-out", type=Path, help="write every event as JSON lines here")
    args = parser.parse_args()
    before = os.getloadavg()
    if args.store is not None:
        args.store.mkdir(parents=True, exist_ok=True)
        body = profile(args.positions, args.store, args.kind, args.events_out)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            body = profile(args.positions, Path(tmp), args.kind, args.events_out)
    result = {
        "positions": str(args.positions),
        "cpus": os.cpu_count(),
        "load_average_before": before,
        "load_average_after": os.getloadavg(),
        **body,
    }
    sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
