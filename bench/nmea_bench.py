"""NMEA decoding speed: hermit's own decoder (hermit-nmea@2) beside pyais in the same run.

    .venv/bin/python bench/nmea_bench.py [--nmea FILE] [--copies N] [--repeats R]

The file (default: the NW Pacific receiver, 46,136 sentences) is read N times over (the
same lines one after another, a longer log) and decoded R times by each of:
  - hermit-nmea@2: file bytes -> lines -> positions table, counts and problems;
  - pyais 3.3.1 alone: ``IterMessages`` over the lines (a receiver's ``[time]`` prefix cut
    off beforehand, outside the timing: pyais reads no such prefix) and ``decode()`` of
    every message;
  - hermit-nmea@1: hermit's reader before, pyais underneath (``--with-v1``).
Messages per CPU second (``time.process_time``: this process's user + system time,
Arrow's threads included) and per wall second; the load average beside them. Prints
one JSON object; BENCHMARKS.md keeps the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import orjson

REPO = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("HERMIT_SHARED_DATA", REPO.parent / "shared" / "data"))
DEFAULT = DATA / "ais_nwpacific" / "nmea" / "peter_the_great_gulf_2018-01-10_2018-01-11.nmea"


def _timed(run: Callable[[], int], repeats: int) -> dict[str, float]:
    cpu, wall, n = [], [], 0
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.process_time()
        n = run()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    return {
        "messages": n,
        "cpu_s": [round(c, 3) for c in cpu],
        "msgs_per_cpu_s": round(n / statistics.median(cpu)),
        "msgs_per_wall_s": round(n / statistics.median(wall)),
        "load_average": round(os.getloadavg()[0], 2),
    }


def bench(path: Path, copies: int, repeats: int, with_v1: bool) -> dict[str, object]:
    from pyais.stream import IterMessages

    from hermit.maritime import nmea, nmea_pyais

    data = path.read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / path.name
        big.write_bytes(data * copies)

        def hermit() -> int:
            return nmea.decode_bytes(big.read_bytes()).counts["messages"]

        plain = [
            line.split(b"] ", 1)[1] if line.startswith(b"[") else line
            for line in (data * copies).splitlines()
        ]

        def pyais() -> int:
            n = 0
            for msg in IterMessages(plain):
                try:
                    msg.decode()
                    n += 1
                except Exception:  # count what pyais decodes, as hermit does
                    continue
            return n

        def v1() -> int:
            return nmea_pyais.decode_lines(big.read_bytes().splitlines()).counts["messages"]

        hermit()  # imports and first-call set-up out of the timing
        out: dict[str, object] = {
            "file": path.name,
            "copies": copies,
            "sentences": len(data.splitlines()) * copies,
            "cpus": os.cpu_count(),
            "load_average_before": os.getloadavg(),
            "hermit_nmea_2": _timed(hermit, repeats),
            "pyais": _timed(pyais, max(1, repeats // 2)),
        }
        if with_v1:
            out["hermit_nmea_1"] = _timed(v1, 1)
        out["load_average_after"] = os.getloadavg()
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nmea", type=Path, default=DEFAULT)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--with-v1", action="store_true", help="hermit-nmea@1 (pyais) too")
    args = parser.parse_args()
    result = bench(args.nmea, args.copies, args.repeats, args.with_v1)
    sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")


if __name__ == "__main__":
    main()
