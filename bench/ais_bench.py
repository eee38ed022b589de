"""AIS speed: positions per second end to end (Parquet -> checked store -> all events) on
the real US day, and NMEA decoding through hermit's own decoder (hermit-nmea@2) beside
bare pyais (bench/nmea_bench.py measures that part alone, longer, in CPU seconds).

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
DATA = Path(os.environ.get("HERMIT_SHARED_DATA", REPO.parent / "shared" / "data"))


def end_to_end(path: Path, each: bool = False) -> dict[str, float]:
    from hermit.maritime.detect import DETECTORS, find_events
    from hermit.maritime.store import AisStore

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        with AisStore(Path(tmp) / "bench.ais.duckdb") as store:
            summary = store.load([path])
            t1, c1 = time.perf_counter(), time.process_time()
            # all events as the service makes them: the port layer once for every kind
            k0, kc0 = time.perf_counter(), time.process_time()
            counts: dict[str, int] = {}
            for e in find_events(store.con, summary.load_id):
                counts[e.kind] = counts.get(e.kind, 0) + 1
            out["all_events_s"] = round(time.perf_counter() - k0, 2)
            out["all_events_cpu_s"] = round(time.process_time() - kc0, 2)
            for kind in DETECTORS if each else ():  # each alone (the port layer again)
                k0, kc0 = time.perf_counter(), time.process_time()
                find_events(store.con, summary.load_id, [kind])
                out[f"{kind}_s"] = round(time.perf_counter() - k0, 2)
                out[f"{kind}_cpu_s"] = round(time.process_time() - kc0, 2)
    rows = summary.rows_read
    e2e_s = (t1 - t0) + out["all_events_s"]
    e2e_cpu = (c1 - c0) + out["all_events_cpu_s"]
    out.update(
        {
            "rows": rows,
            "load_s": round(t1 - t0, 2),
            "load_cpu_s": round(c1 - c0, 2),
            "end_to_end_s": round(e2e_s, 2),
            "end_to_end_cpu_s": round(e2e_cpu, 2),
            "positions_per_s": round(rows / e2e_s),
            "positions_per_cpu_s": round(rows / e2e_cpu),
            "load_average_after": os.getloadavg()[0],
            **{f"n_{k}": v for k, v in counts.items()},
        }
    )
    return out


def nmea(path: Path) -> dict[str, float]:
    from pyais.stream import FileReaderStream

    from hermit.maritime.nmea import decode_bytes

    data = path.read_bytes()
    lines = data.splitlines()
    decode_bytes(data[:10_000])  # imports out of the timing
    t0, c0 = time.perf_counter(), time.process_time()
    found = decode_bytes(data)
    t1, c1 = time.perf_counter(), time.process_time()
    n = 0
    for msg in FileReaderStream(str(path)):
        try:
            msg.decode()
            n += 1
        except Exception:  # count what pyais decodes, as hermit does
            continue
    t2, c2 = time.perf_counter(), time.process_time()
    return {
        "sentences": len(lines),
        "hermit_messages": found.counts["messages"],
        "hermit_msgs_per_s": round(found.counts["messages"] / (t1 - t0)),
        "hermit_msgs_per_cpu_s": round(found.counts["messages"] / (c1 - c0)),
        "pyais_messages": n,
        "pyais_msgs_per_s": round(n / (t2 - t1)),
        "pyais_msgs_per_cpu_s": round(n / (c2 - c1)),
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
    parser.add_argument("--each", action="store_true", help="time each detector alone too")
    parser.add_argument("--skip-nmea", action="store_true")
    args = parser.parse_args()
    result = {
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
        "nmea": None if args.skip_nmea else nmea(args.nmea),
        "end_to_end": end_to_end(args.positions, args.each),
    }
    sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
