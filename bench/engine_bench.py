"""Bulk screening on this machine and on Spark local mode, side by side (issue 17).

The same generated query file (bench/bulk/run.py's generator: a quarter names of listed
entities, mostly damaged, the rest plain names, one row in a thousand rejected), the
same store (the real UN and OFAC lists, its screening index built beforehand, untimed),
screened by

    hermit --store STORE screen --file queries.parquet -o out.parquet --workers 2 --json
    hermit --store STORE screen --file queries.parquet --engine spark --out out-spark.parquet --json

(Spark: its own session on local[2]), each timed from outside: wall seconds, CPU
seconds of the whole process tree (the command, its workers; for Spark the JVM and its
Python workers: /proc sampled every 0.5 s, each process's last reading summed), rows
per second, and the run record's screening seconds (from the index being ready to the
end). Spark's start-up is measured apart: a process that starts a local[2] session,
runs one trivial job and stops it. The two results are compared row for row.

    .venv/bin/python bench/engine_bench.py [--rows 20000,200000] [--workdir DIR]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pyarrow.dataset as ds
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.bulk.run import generate  # noqa: E402
from bench.machine import machine  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime + stime


class TreeCpu(threading.Thread):
    """CPU seconds of a process tree: the last reading of every process seen."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.seen: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            stack = [self.root]
            while stack:
                pid = stack.pop()
                cpu = _cpu(pid)
                if cpu is not None:
                    self.seen[pid] = max(cpu, self.seen.get(pid, 0.0))
                stack.extend(_children(pid))
            self.done.wait(0.5)

    @property
    def seconds(self) -> float:
        return sum(self.seen.values())

    @property
    def first(self) -> float:
        """What the root had used before the sampling began (its first reading)."""
        return self._first

    def start(self) -> None:
        self._first = _cpu(self.root) or 0.0
        super().start()


def timed(cmd: list[str]) -> tuple[float, float, bytes]:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    sampler = TreeCpu(proc.pid)
    sampler.start()
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    sampler.join()
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 3):  # 3: rows rejected (the generator rejects one in a thousand)
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}")
    own = usage.ru_utime + usage.ru_stime
    return elapsed, max(sampler.seconds, own), out


SPARK_START = """
from hermit.engine.spark_engine import SparkEngine
e = SparkEngine.start(master="local[2]")
e.session.range(10).count()
e.close()
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="20000,200000")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/hermit-engine-bench"))
    parser.add_argument("--lists", type=Path, default=REPO.parent / "shared" / "data" / "lists")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    hermit = [sys.executable, "-m", "hermit"]
    store = args.workdir / "store.duckdb"
    if not store.exists():
        lists = [args.lists / "un_consolidated.xml", args.lists / "ofac_sdn.csv"]
        load = [*hermit, "--store", str(store), "lists", "load", *map(str, lists)]
        subprocess.run(load, check=True, capture_output=True)
    warm = [*hermit, "--store", str(store), "screen", "Kim Jong Un"]
    subprocess.run(warm, check=True, capture_output=True)  # the index built, untimed
    print(machine())
    wall, cpu, _ = timed([sys.executable, "-c", SPARK_START])
    print(f"spark start-up (local[2], one trivial job, stop): {wall:.1f} s wall, {cpu:.1f} s CPU")
    print("| rows | engine | wall s | CPU s | rows/s (wall) | screening s | rows/s (screening) |")
    print("|---|---|---|---|---|---|---|")
    for rows in (int(r) for r in args.rows.split(",")):
        source = generate(args.workdir, store, rows)["parquet"]
        outputs = {}
        for engine in ("duckdb", "spark"):
            out = args.workdir / f"out-{rows}-{engine}.parquet"
            cmd = [*hermit, "--store", str(store), "screen", "--file", str(source)]
            cmd += ["--out", str(out), "--json", "--engine", engine]
            cmd += ["--workers", "2"] if engine == "duckdb" else []
            wall, cpu, printed = timed(cmd)
            record = orjson.loads(printed)
            screening = record["screening_seconds"]
            print(
                f"| {rows:,} | {engine} | {wall:.1f} | {cpu:.1f} | {rows / wall:,.0f} | "
                f"{screening:.1f} | {rows / screening:,.0f} |",
                flush=True,
            )
            outputs[engine] = out
        local = pq.read_table(outputs["duckdb"]).to_pylist()
        spark = ds.dataset(outputs["spark"], format="parquet").to_table().to_pylist()
        print(f"  {rows:,} rows: {len(local):,} result rows; identical: {local == spark}")
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
