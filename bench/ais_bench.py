"""AIS speed: positions per second end to end (Parquet -> checked store -> all events) on
the real US day, and NMEA decoding through hermit (pyais underneath) beside bare pyais.

    .venv/bin/python bench/ais_bench.py [--positions FILE.parquet] [--nmea FILE]

Prints one JSON object; BENCHMARKS.md keeps the figures with the machine's load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
DATA = REPO.parent / "shared" / "data"


def end_to_end(path: Path) -> dict[str, float]:
    from hermit.maritime.detect import DETECTORS, find_events
    from hermit.maritime.store import AisStore

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        with AisStore(Path(tmp) / "bench.ais.duckdb") as store:
            summary = store.load([path])
            t1 = time.perf_counter()
            counts = {}
            for kind in DETECTORS:
                k0 = time.perf_counter()
                counts[kind] = len(find_events(store.con, summary.load_id, [kind]))
                out[f"{kind}_s"] = round(time.perf_counter() - k0, 2)
        t2 = time.perf_counter()
    rows = summary.rows_read
    out.update(
        {
            "rows": rows,
            "load_s": round(t1 - t0, 2),
            "events_s": round(t2 - t1, 2),
            "total_s": round(t2 - t0, 2),
            "positions_per_s": round(rows / (t2 - t0)),
            **{f"n_{k}": v for k, v in counts.items()},
        }
    )
    return out


def nmea(path: Path) -> dict[str, float]:
    from pyais.stream import FileReaderStream

    from hermit.maritime.nmea import decode_lines

    lines = path.read_bytes().splitlines()
    t0 = time.perf_counter()
    found = decode_lines(lines)
    t1 = time.perf_counter()
    n = 0
    for msg in FileReaderStream(str(path)):
        try:
            msg.decode()
            n += 1
        except Exception:  # count what pyais decodes, as hermit does
            continue
    t2 = time.perf_counter()
    return {
        "sentences": len(lines),
        "hermit_messages": found.counts["messages"],
        "hermit_msgs_per_s": round(found.counts["messages"] / (t1 - t0)),
        "pyais_messages": n,
        "pyais_msgs_per_s": round(n / (t2 - t1)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--positions", type=Path, default=DATA / "ais" / "marinecadastre_20200101_us_full.parquet"
    )
    parser.add_argument(
        "--nmea",
        type=Path,
        default=DATA / "ais_nwpacific" / "nmea" / "peter_the_great_gulf_2018-01-10_2018-01-11.nmea",
    )
    args = parser.parse_args()
    result = {
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "nmea": nmea(args.nmea),
        "end_to_end": end_to_end(args.positions),
    }
    sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
